"""Seed 000's LeNet program (autograd on MNIST), re-run with a chosen weights seed.

What it is
----------
The complete Python program printed in the lecture text
/work/shared/seeds/000_c3f38a90fd5eded0.txt (the "MNIST" section, lines ~208-456):
conv 6@5x5, maxpool 2, conv 16@5x5, maxpool 2, tanh 12, tanh 84, softmax 10;
L2_reg 1.0 on the whole parameter vector, summed log-likelihood, param_scale 0.1,
learning rate 1e-3, averaged momentum 0.9, batch 500, 50 epochs, on 1000 random
training and 100 random test digits (np.random.seed(0)), plus a 5-NN baseline
(the text prints 0.82).

The text draws its initial weights from an UNSEEDED `npr.RandomState()`, so its printed
log is one unrepeatable draw. This script reruns the same code with seeded weights to
measure the spread of the text's own code over weight draws.

How to run
----------
    python3 -m venv /tmp/seed000-venv
    /tmp/seed000-venv/bin/pip install numpy==2.4.6 scipy==1.17.1 scikit-learn==1.9.1 autograd==1.9.1
    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 \
        /tmp/seed000-venv/bin/python scripts/seed000-lenet.py --weights-seed 0 --out run0.json

Options: --weights-seed S (default: none = unseeded, as in the text),
--data-dir D (default: data/mnist next to this script's parent folder),
--out FILE (JSON log; default: none), --save-weights FILE (default: none),
--fixed-maxpool (see (f); default off = the text's code).

Changes from the text (everything else is verbatim)
---------------------------------------------------
(a) Data path: `base_dir` is --data-dir instead of the author's Dropbox folder. The
    project's MNIST IDX files are not gzipped, so the loader opens `name` with `open`
    when `name.gz` does not exist (the parsing itself is unchanged).
(b) Python 3: nothing needed. maxpool's `/` in build_weights_dict gives float shapes
    (e.g. (16, 4.0, 4.0)) but every use of them still works (np.prod(..., dtype=int)),
    so it is left as written.
(c) `rs = npr.RandomState()` becomes `npr.RandomState(S)` when --weights-seed S is given.
    The data draw (np.random.seed(0), test permutation then train permutation) uses the
    global generator and is unaffected by S.
(d) print_perf also records each row; after the training loop one extra evaluation is
    made (row 50 = after the 50th epoch, which the text never prints: its row i is the
    error after i epochs because print_perf runs at the start of each epoch). The rows,
    k-NN score, seed, wall times and versions are written as JSON to --out.
(e) The text's final `np.savetxt('W', W)` (a file in the working directory) only runs
    when --save-weights FILE is given, and writes to FILE.
(f) --fixed-maxpool (off by default; NOT the text's code): the text's maxpool reshapes an
    axis of length n to (2, n // 2) and takes the max over the 2, so it pools pixel y with
    pixel y + n/2 (rows 0 and 12, 1 and 13, ... of a 24x24 map), not adjacent pixels. This
    is the autograd convnet example as it stood from Dec 2016 until HIPS/autograd commit
    434730b (2017-06-21, "fixed reshape bug in maxpool layer of convnet example"), which
    reshapes to (n // 2, 2). The flag switches to that fixed, adjacent 2x2 pooling, to
    compare with ports that pool adjacent pixels.
"""
from __future__ import absolute_import
from __future__ import print_function

import autograd.numpy as np
import autograd.numpy.random as npr
import autograd.scipy.signal
from autograd import grad
from builtins import range
import gzip
import struct
import array

# --- added (c), (d): command line, timing, JSON ---
import argparse
import json
import os
import platform
import time
# --- end added ---

convolve = autograd.scipy.signal.convolve
FIXED_MAXPOOL = False  # added (f); set by --fixed-maxpool

class WeightsParser(object):
    """A helper class to index into a parameter vector."""
    def __init__(self):
        self.idxs_and_shapes = {}
        self.N = 0

    def add_weights(self, name, shape):
        start = self.N
        self.N += np.prod(shape)
        self.idxs_and_shapes[name] = (slice(start, self.N), shape)

    def get(self, vect, name):
        idxs, shape = self.idxs_and_shapes[name]
        return np.reshape(vect[idxs], shape)

def make_batches(N_total, N_batch):
    start = 0
    batches = []
    while start < N_total:
        batches.append(slice(start, start + N_batch))
        start += N_batch
    return batches

def logsumexp(X, axis, keepdims=False):
    max_X = np.max(X)
    return max_X + np.log(np.sum(np.exp(X - max_X), axis=axis, keepdims=keepdims))

def make_nn_funs(input_shape, layer_specs, L2_reg):
    parser = WeightsParser()
    cur_shape = input_shape
    for layer in layer_specs:
        N_weights, cur_shape = layer.build_weights_dict(cur_shape)
        parser.add_weights(layer, (N_weights,))

    def predictions(W_vect, inputs):
        """Outputs normalized log-probabilities.
        shape of inputs : [data, color, y, x]"""
        cur_units = inputs
        for layer in layer_specs:
            cur_weights = parser.get(W_vect, layer)
            cur_units = layer.forward_pass(cur_units, cur_weights)
        return cur_units

    def loss(W_vect, X, T):
        log_prior = -L2_reg * np.dot(W_vect, W_vect)
        log_lik = np.sum(predictions(W_vect, X) * T)
        return - log_prior - log_lik

    def frac_err(W_vect, X, T):
        return np.mean(np.argmax(T, axis=1) != \
                       np.argmax(predictions(W_vect, X), axis=1))

    return parser.N, predictions, loss, frac_err

class conv_layer(object):
    def __init__(self, kernel_shape, num_filters):
        self.kernel_shape = kernel_shape
        self.num_filters = num_filters

    def forward_pass(self, inputs, param_vector):
        # Input dimensions:  [data, color_in, y, x]
        # Params dimensions: [color_in, color_out, y, x]
        # Output dimensions: [data, color_out, y, x]
        params = self.parser.get(param_vector, 'params')
        biases = self.parser.get(param_vector, 'biases')
        conv = convolve(inputs, params,
                        axes=([2, 3], [2, 3]),
                        dot_axes = ([1], [0]),
                        mode='valid')
        return conv + biases

    def build_weights_dict(self, input_shape):
        # Input shape : [color, y, x] (don't need to know number of data yet)
        self.parser = WeightsParser()
        self.parser.add_weights('params', (input_shape[0], self.num_filters)
                                          + self.kernel_shape)
        self.parser.add_weights('biases', (1, self.num_filters, 1, 1))
        output_shape = (self.num_filters,) + \
                       self.conv_output_shape(input_shape[1:], self.kernel_shape)
        return self.parser.N, output_shape

    def conv_output_shape(self, A, B):
        return (A[0] - B[0] + 1, A[1] - B[1] + 1)

class maxpool_layer(object):
    def __init__(self, pool_shape):
        self.pool_shape = pool_shape

    def build_weights_dict(self, input_shape):
        # input_shape dimensions: [color, y, x]
        output_shape = list(input_shape)
        for i in [0, 1]:
            assert input_shape[i + 1] % self.pool_shape[i] == 0, \
                "maxpool shape should tile input exactly"
            output_shape[i + 1] = input_shape[i + 1] / self.pool_shape[i]
        return 0, output_shape

    def forward_pass(self, inputs, param_vector):
        new_shape = inputs.shape[:2]
        for i in [0, 1]:
            pool_width = self.pool_shape[i]
            img_width = inputs.shape[i + 2]
            if FIXED_MAXPOOL:  # added (f): autograd's later fix, off by default
                new_shape += (img_width // pool_width, pool_width)
            else:
                new_shape += (pool_width, img_width // pool_width)
        result = inputs.reshape(new_shape)
        if FIXED_MAXPOOL:  # added (f)
            return np.max(np.max(result, axis=3), axis=4)
        return np.max(np.max(result, axis=2), axis=3)

class full_layer(object):
    def __init__(self, size):
        self.size = size

    def build_weights_dict(self, input_shape):
        # Input shape is anything (all flattened)
        input_size = np.prod(input_shape, dtype=int)
        self.parser = WeightsParser()
        self.parser.add_weights('params', (input_size, self.size))
        self.parser.add_weights('biases', (self.size,))
        return self.parser.N, (self.size,)

    def forward_pass(self, inputs, param_vector):
        params = self.parser.get(param_vector, 'params')
        biases = self.parser.get(param_vector, 'biases')
        if inputs.ndim > 2:
            inputs = inputs.reshape((inputs.shape[0], np.prod(inputs.shape[1:])))
        return self.nonlinearity(np.dot(inputs[:, :], params) + biases)

class tanh_layer(full_layer):
    def nonlinearity(self, x):
        return np.tanh(x)

class softmax_layer(full_layer):
    def nonlinearity(self, x):
        return x - logsumexp(x, axis=1, keepdims=True)

def mnist():
    # --- changed (a): open the .gz file if present, else the plain IDX file ---
    def open_idx(filename):
        if os.path.exists(filename):
            return gzip.open(filename, 'rb')
        return open(filename[:-len('.gz')], 'rb')
    # --- end changed ---

    def parse_labels(filename):
        with open_idx(filename) as fh:
            magic, num_data = struct.unpack(">II", fh.read(8))
            return np.array(array.array("B", fh.read()), dtype=np.uint8)

    def parse_images(filename):
        with open_idx(filename) as fh:
            magic, num_data, rows, cols = struct.unpack(">IIII", fh.read(16))
            return np.array(array.array("B", fh.read()),
                            dtype=np.uint8).reshape(num_data, rows, cols)

    base_dir = args.data_dir  # changed (a); text: '/home/burak/Documents/Dropbox/Public/data'
    train_images = parse_images(base_dir + '/train-images-idx3-ubyte.gz')
    train_labels = parse_labels(base_dir + '/train-labels-idx1-ubyte.gz')
    test_images  = parse_images(base_dir + '/t10k-images-idx3-ubyte.gz')
    test_labels  = parse_labels(base_dir + '/t10k-labels-idx1-ubyte.gz')

    return train_images, train_labels, test_images, test_labels
    

if __name__ == '__main__':
    # --- added (c), (d) ---
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--weights-seed', type=int, default=None)
    ap.add_argument('--data-dir', default=os.path.join(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'data', 'mnist'))
    ap.add_argument('--out', default=None)
    ap.add_argument('--save-weights', default=None)
    ap.add_argument('--fixed-maxpool', action='store_true')
    args = ap.parse_args()
    FIXED_MAXPOOL = args.fixed_maxpool
    t_start = time.time()
    rows = []
    # --- end added ---

    np.random.seed(0)
    # Network parameters    
    L2_reg = 1.0
    input_shape = (1, 28, 28)
    layer_specs = [conv_layer((5, 5), 6),
                   maxpool_layer((2, 2)),
                   conv_layer((5, 5), 16),
                   maxpool_layer((2, 2)),
                   tanh_layer(12),
                   tanh_layer(84),
                   softmax_layer(10)]

    # Training parameters
    param_scale = 0.1
    learning_rate = 1e-3
    momentum = 0.9
    batch_size = 500
    num_epochs = 50

    # Load and process MNIST data
    print("Loading training data...")
    add_color_channel = lambda x : x.reshape((x.shape[0], 1, x.shape[1], x.shape[2]))
    one_hot = lambda x, K : np.array(x[:,None] == np.arange(K)[None, :], dtype=int)
    train_images, train_labels, test_images, test_labels = mnist()
    train_images = add_color_channel(train_images) / 255.0
    test_images  = add_color_channel(test_images)  / 255.0
    train_labels = one_hot(train_labels, 10)
    test_labels = one_hot(test_labels, 10)

    test_sampler = np.random.permutation(len(test_labels))[:100]
    train_sampler = np.random.permutation(len(train_labels))[:1000]
    train_images = train_images[train_sampler]
    train_labels = train_labels[train_sampler]
    test_images = test_images[test_sampler]
    test_labels = test_labels[test_sampler]
    N_data = train_images.shape[0]
    
    from sklearn import neighbors
    train_images_3 = np.reshape(train_images, (1000,28*28))
    test_images_3 = np.reshape(test_images, (100,28*28))
    clf = neighbors.KNeighborsClassifier()
    clf.fit(train_images_3,train_labels)
    res = clf.predict(test_images_3)
    res2 = [np.all(x) for x in (res==test_labels)]
    print ('KNN')
    print ( np.sum(res2) / 100.)
    
    # Make neural net functions
    N_weights, pred_fun, loss_fun, \
        frac_err = make_nn_funs(input_shape, layer_specs, L2_reg)
    loss_grad = grad(loss_fun)

    # Initialize weights
    rs = npr.RandomState(args.weights_seed)  # changed (c); text: npr.RandomState()
    W = rs.randn(N_weights) * param_scale

    print("    Epoch      |    Train err  |   Test error  ")
    def print_perf(epoch, W):
        test_perf  = frac_err(W, test_images, test_labels)
        train_perf = frac_err(W, train_images, train_labels)
        print("{0:15}|{1:15}|{2:15}".format(epoch, train_perf, test_perf))
        rows.append([epoch, float(train_perf), float(test_perf)])  # added (d)

    # Train with sgd
    batch_idxs = make_batches(N_data, batch_size)
    cur_dir = np.zeros(N_weights)

    t_train = time.time()  # added (d)
    for epoch in range(num_epochs):
        print_perf(epoch, W)
        for idxs in batch_idxs:
            grad_W = loss_grad(W, train_images[idxs], train_labels[idxs])
            cur_dir = momentum * cur_dir + (1.0 - momentum) * grad_W
            W -= learning_rate * cur_dir

    # --- added (d): the evaluation after the 50th epoch, and the JSON log ---
    print_perf(num_epochs, W)
    t_end = time.time()
    if args.out:
        import numpy as onp, scipy, sklearn
        from importlib.metadata import version
        record = {
            'weights_seed': args.weights_seed,
            'fixed_maxpool': FIXED_MAXPOOL,
            'n_weights': int(N_weights),
            'knn_accuracy': float(np.sum(res2) / 100.),
            'test_sampler_first5': [int(i) for i in test_sampler[:5]],
            'train_sampler_first5': [int(i) for i in train_sampler[:5]],
            'rows': rows,  # [epoch, train_err, test_err]; row i = error after i epochs
            'train_err_row49': rows[49][1], 'test_err_row49': rows[49][2],
            'train_err_after50': rows[50][1], 'test_err_after50': rows[50][2],
            'final_loss_full_train': float(loss_fun(W, train_images, train_labels)),
            'seconds_total': t_end - t_start,
            'seconds_training_loop': t_end - t_train,
            'versions': {'python': platform.python_version(), 'numpy': onp.__version__,
                         'scipy': scipy.__version__, 'scikit-learn': sklearn.__version__,
                         'autograd': version('autograd')},
        }
        with open(args.out, 'w') as f:
            json.dump(record, f, indent=1)
    # --- end added ---

    if args.save_weights:  # changed (e); text: np.savetxt('W',W)
        np.savetxt(args.save_weights, W)
