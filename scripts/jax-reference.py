"""Reference tensors from JAX for Tests/ConvNetTests/JAXReferenceTests.swift (issue 24,
item 6: the engine checked tensor by tensor against a framework, as llm.c checks against
PyTorch).

Run from the repository root with the peers' Python (jax, numpy):
    PY=$(../shared/bench/peers/setup.sh | tail -1); $PY scripts/jax-reference.py
It rewrites reference-data/jax/reference.bin, byte for byte the same on every run.

Three models, float32 on CPU, one mini-batch (the first 16 digits of data/mnist_5k.csv.gz,
pixels / 255):
  cnn_sigmoid_quadratic  seed 002's CNN, sigmoid everywhere (output too), quadratic cost
  cnn_relu_softmax       seed 002's CNN with ReLU, raw outputs, softmax log-likelihood
  mlp_sigmoid_cross_entropy  784-30-10, sigmoid everywhere, cross-entropy (network2.py)
The CNN is cnn_jax.py's (../shared/bench/peers): conv 16@5x5, maxpool 2, conv 32@5x5,
maxpool 2, dense 128, dense 10, NCHW.

Weights: np.random.RandomState(0).uniform(-s, s, n) per parameter in the engine's order
and layout (conv weights [filters, channels, kh, kw], dense weights [outputs, inputs], then
its bias), cast to float32. Every s is a power of two, so the doubles -s + 2s r are exact
and the Swift test draws the same float32 values with Datasets.NumpyRandomState.

Costs are means over the batch, as the engine's `.mean` reduction:
  quadratic 1/(2n) sum ||a - y||^2, softmax -1/n sum ln softmax(z)_y,
  cross-entropy -1/n sum [y ln a + (1 - y) ln(1 - a)] (written with log_sigmoid of z).

Stored per model: the output, the loss, the gradient of every parameter at those weights,
and the weights after:
  sgd       one step, w - eta g
  momentum  two steps on the same batch, the engine's classical form (Training.swift,
            Sutskever et al. 2013; CS231n): v = mu v - eta g, w = w + v, v from 0. One step
            from v = 0 equals SGD, so the second step is what tests the velocity. (optax and
            PyTorch keep v = mu v + g, w = w - eta v: the same weights for a constant eta.)
  adam      one step from zero moments, Kingma and Ba's Algorithm 1 as Training.swift has
            it (and optax.adam): m = b1 m + (1 - b1) g, s = b2 s + (1 - b2) g^2,
            w = w - eta (m / (1 - b1^t)) / (sqrt(s / (1 - b2^t)) + eps), eps outside the root.
Weights after a step are stored for every element of parameters up to 4096 values and for
every k-th element (k = count // 4096) of larger ones, to keep the file near 1 MB.

File layout: the line "jax-reference 1", then records, each a text line
"<name> <stride> <count>" and <count> little-endian float32 values (elements 0, stride,
2 stride, ... of the tensor, row-major). Names: "batch/inputs", "batch/labels", and
"<model>/output", "<model>/loss", "<model>/gradient/<parameter>",
"<model>/<optimizer>/<parameter>", parameters named "conv1.weight", "dense2.bias", ...
"""
import gzip
import os
import numpy as np
import jax
import jax.numpy as jnp
from jax import lax

jax.config.update("jax_platforms", "cpu")
jax.config.update("jax_default_matmul_precision", "highest")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTPUT = os.path.join(ROOT, "reference-data", "jax", "reference.bin")
BATCH = 16
STORED_PER_PARAMETER = 4096
MU = 0.9
ADAM_RATE, BETA1, BETA2, EPSILON = 1e-3, 0.9, 0.999, 1e-8

# name, shape and uniform half-width of every parameter, in the engine's order.
CNN_PARAMETERS = [("conv1.weight", (16, 1, 5, 5), 2**-2), ("conv1.bias", (16,), 2**-4),
                  ("conv2.weight", (32, 16, 5, 5), 2**-4), ("conv2.bias", (32,), 2**-4),
                  ("dense1.weight", (128, 512), 2**-5), ("dense1.bias", (128,), 2**-4),
                  ("dense2.weight", (10, 128), 2**-3), ("dense2.bias", (10,), 2**-4)]
MLP_PARAMETERS = [("dense1.weight", (30, 784), 2**-5), ("dense1.bias", (30,), 2**-4),
                  ("dense2.weight", (10, 30), 2**-2), ("dense2.bias", (10,), 2**-4)]


def fixed_weights(layout):
    random = np.random.RandomState(0)
    return [jnp.asarray(random.uniform(-s, s, int(np.prod(shape))).astype(np.float32).reshape(shape))
            for _, shape, s in layout]


def first_digits(count):
    with gzip.open(os.path.join(ROOT, "data", "mnist_5k.csv.gz"), "rt") as f:
        rows = [next(f) for _ in range(count)]
    raw = np.array([[float(v) for v in row.split(",")] for row in rows], dtype=np.float32)
    return raw[:, :-1] / np.float32(255), raw[:, -1].astype(np.int32)


def conv(h, w, b):
    z = lax.conv_general_dilated(h, w, (1, 1), "VALID", dimension_numbers=("NCHW", "OIHW", "NCHW"))
    return z + b[None, :, None, None]


def pool(h):
    return lax.reduce_window(h, -jnp.inf, lax.max, (1, 1, 2, 2), (1, 1, 2, 2), "VALID")


def cnn_logits(activation):
    def logits(p, x):
        h = pool(activation(conv(x.reshape(-1, 1, 28, 28), p[0], p[1])))
        h = pool(activation(conv(h, p[2], p[3])))
        h = activation(h.reshape(h.shape[0], -1) @ p[4].T + p[5])
        return h @ p[6].T + p[7]
    return logits


def mlp_logits(p, x):
    return jax.nn.sigmoid(x @ p[0].T + p[1]) @ p[2].T + p[3]


def quadratic(z, onehot):
    return 0.5 * jnp.mean(jnp.sum((jax.nn.sigmoid(z) - onehot) ** 2, axis=1))


def softmax_log_likelihood(z, onehot):
    return -jnp.mean(jnp.sum(jax.nn.log_softmax(z) * onehot, axis=1))


def cross_entropy(z, onehot):
    return -jnp.mean(jnp.sum(onehot * jax.nn.log_sigmoid(z) + (1 - onehot) * jax.nn.log_sigmoid(-z), axis=1))


# name, parameters, logits, output from logits (what the engine's last layer gives), cost
# of the logits, SGD and momentum learning rate (each model's usual one).
MODELS = [
    ("cnn_sigmoid_quadratic", CNN_PARAMETERS, cnn_logits(jax.nn.sigmoid), jax.nn.sigmoid, quadratic, 3.0),
    ("cnn_relu_softmax", CNN_PARAMETERS, cnn_logits(jax.nn.relu), lambda z: z, softmax_log_likelihood, 0.1),
    ("mlp_sigmoid_cross_entropy", MLP_PARAMETERS, mlp_logits, jax.nn.sigmoid, cross_entropy, 0.5),
]


def optimizer_results(gradient, weights, rate):
    """The weights after each optimiser's steps, as the module docstring defines them."""
    g0 = gradient(weights)
    sgd = [w - rate * g for w, g in zip(weights, g0)]
    velocity = [-rate * g for g in g0]
    moved = [w + v for w, v in zip(weights, velocity)]
    velocity = [MU * v - rate * g for v, g in zip(velocity, gradient(moved))]
    momentum = [w + v for w, v in zip(moved, velocity)]
    adam = []
    for w, g in zip(weights, g0):
        m = (1 - BETA1) * g
        s = (1 - BETA2) * g * g
        adam.append(w - ADAM_RATE * (m / (1 - BETA1)) / (jnp.sqrt(s / (1 - BETA2)) + EPSILON))
    return {"sgd": sgd, "momentum": momentum, "adam": adam}


def record(out, name, values, stride=1):
    flat = np.asarray(values, dtype=np.float32).reshape(-1)[::stride]
    out.write(f"{name} {stride} {flat.size}\n".encode())
    out.write(flat.astype("<f4").tobytes())


def write_model(out, model, x, labels):
    name, layout, logits, output, cost, rate = model
    weights = fixed_weights(layout)
    onehot = jax.nn.one_hot(labels, 10, dtype=jnp.float32)
    loss = lambda p: cost(logits(p, x), onehot)
    gradient = jax.jit(jax.grad(loss))
    record(out, f"{name}/output", output(logits(weights, x)))
    record(out, f"{name}/loss", [loss(weights)])
    for (parameter, _, _), g in zip(layout, gradient(weights)):
        record(out, f"{name}/gradient/{parameter}", g)
    for optimizer, stepped in optimizer_results(gradient, weights, rate).items():
        for (parameter, shape, _), w in zip(layout, stepped):
            record(out, f"{name}/{optimizer}/{parameter}", w, max(1, int(np.prod(shape)) // STORED_PER_PARAMETER))


def main():
    pixels, labels = first_digits(BATCH)
    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    with open(OUTPUT, "wb") as out:
        out.write(b"jax-reference 1\n")
        record(out, "batch/inputs", pixels)
        record(out, "batch/labels", labels)
        for model in MODELS:
            write_model(out, model, jnp.asarray(pixels), jnp.asarray(labels))
    print(f"wrote {OUTPUT} ({os.path.getsize(OUTPUT)} bytes)")


if __name__ == "__main__":
    main()
