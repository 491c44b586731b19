import Baselines
import ConvNet
import Datasets
import Foundation

// The project side of scripts/bench.sh: the same work as a peer script in
// ../shared/bench/peers/, timed the same way, printed as one JSON line last.
//
//   experiments-bench knn --idx /usr/share/datasets/fashion-mnist --k 5 --threads 2
//   experiments-bench knn --mnist5k --train 1000 --test 100 --seed 0
//   experiments-bench mlp --hidden 30 --batch 10 --eta 0.5 --epochs 5 --threads 1
//   experiments-bench cnn --variant relu_ce --batch 64 --epochs 3 --threads 2
//   experiments-bench cpu          the CPU and the instruction-set path our kernels run

struct Arguments {
    var values: [String: String] = [:]
    init(_ list: ArraySlice<String>) {
        var key: String?
        for item in list {
            if item.hasPrefix("--") {
                if let key { values[key] = "" }
                key = String(item.dropFirst(2))
            } else if let k = key {
                values[k] = item
                key = nil
            }
        }
        if let key { values[key] = "" }
    }
    func int(_ name: String, _ fallback: Int) -> Int { values[name].flatMap { Int($0) } ?? fallback }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("experiments-bench: \(message)\n".utf8))
    exit(1)
}

func knn(_ args: Arguments) throws {
    let k = args.int("k", 5)
    // The search's threads are its own (DispatchQueue.concurrentPerform over the cores that
    // scripts/bench.sh pins); `threads` is reported only. No BLAS is involved.
    let threads = args.int("threads", 2)
    let train: ImageSet, test: ImageSet
    if let folder = args.values["idx"] {
        let data = try DataLoader.load(.idxFolder(folder))
        train = data.train
        test = data.test
    } else {
        let data = try DataLoader.load(.mnist5k)
        let split = try randomSplit(count: data.train.count, train: args.int("train", 1000),
                                    test: args.int("test", 100), seed: UInt32(args.int("seed", 0)))
        train = data.train.subset(split.train)
        test = data.train.subset(split.test)
    }
    let start = Date()
    let neighbours = try NearestNeighbours(maxK: k).search(train: train.pixels, queries: test.pixels,
                                                        dimension: train.pixelsPerImage)
    let predictions = NearestNeighbours.vote(neighbours, labels: train.labels, k: k)
    let seconds = Date().timeIntervalSince(start)
    let correct = zip(predictions, test.labels).filter { $0 == $1 }.count
    // Little-endian int32 bytes, as numpy's pred.astype(np.int32).tobytes() on x86.
    let bytes = predictions.flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) }
    let fields: [(String, String)] = [
        ("accuracy", String(format: "%.4f", Double(correct) / Double(test.count))),
        ("k", "\(k)"), ("n_test", "\(test.count)"), ("n_train", "\(train.count)"),
        ("predictions_sha256", "\"\(SHA256.hex(bytes))\""),
        ("queries_per_s", String(format: "%.1f", Double(test.count) / seconds)),
        ("script", "\"experiments-bench knn\""), ("seconds", String(format: "%.3f", seconds)),
        ("threads", "\(threads)"),
    ]
    report(fields)
}

/// SHA-256 of every parameter's float32 bits: equal digests mean bit-identical training.
func weightsDigest(_ network: Network) -> String {
    SHA256.hex(network.parameters.flatMap { $0.value.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) } })
}

/// JSON fields in a fixed order, printed as one line.
func report(_ fields: [(String, String)]) {
    print("{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
}

/// The peers' split of mnist5k: 4000 train / 1000 test, numpy RandomState(seed).
func mnist5kSplit(seed: Int) throws -> (train: ImageSet, test: ImageSet) {
    let data = try DataLoader.load(.mnist5k)
    let split = try randomSplit(count: data.train.count, train: 4000, test: 1000, seed: UInt32(seed))
    return (data.train.subset(split.train), data.train.subset(split.test))
}

/// mlp_numpy.py's network: 784-hidden-10 sigmoid, cross-entropy, N(0, 1/n_in) weights,
/// N(0, 1) biases, mini-batch 10, eta 0.5.
func mlp(_ args: Arguments) throws {
    let threads = args.int("threads", 1), epochs = args.int("epochs", 5), batch = args.int("batch", 10)
    let hidden = args.int("hidden", 30), eta = Double(args.values["eta"] ?? "") ?? 0.5
    let (train, test) = try mnist5kSplit(seed: args.int("seed", 0))
    let network = ModelSpec.mlp([784, hidden, 10], .sigmoid).build(weights: .nielsen, biases: .gaussian(std: 1), seed: 0)
    network.threads = threads
    let trainer = Trainer(network: network, loss: .crossEntropy, optimizer: Optimizer(learningRate: eta), batchSize: batch, seed: 0)
    let start = Date()
    for _ in 0..<epochs { _ = trainer.trainEpoch(inputs: train.pixels, labels: train.labels) }
    let epochSeconds = Date().timeIntervalSince(start) / Double(epochs)
    report([("batch", "\(batch)"), ("epoch_s", String(format: "%.4f", epochSeconds)), ("epochs", "\(epochs)"),
            ("hidden", "\(hidden)"), ("images_per_s", String(format: "%.1f", Double(train.count) / epochSeconds)),
            ("script", "\"experiments-bench mlp\""),
            ("test_accuracy", String(format: "%.4f", trainer.evaluate(inputs: test.pixels, labels: test.labels).accuracy)),
            ("threads", "\(threads)")])
}

/// cnn_jax.py's network (seed 002's 16-32-128-10, 80,202 parameters): `sigmoid_mse`
/// (sigmoid everywhere, quadratic cost, lr 3.0) or `relu_ce` (ReLU, softmax log-likelihood, lr 0.1).
/// Besides images/s: the useful GFLOP/s (products only, `trainingFlopsPerSample`), the share
/// of the training threads' time spent in matrix products, and the process's peak memory.
func cnn(_ args: Arguments) throws {
    let threads = args.int("threads", 2), epochs = args.int("epochs", 3), batch = args.int("batch", 64)
    let variant = args.values["variant"] ?? "relu_ce"
    guard variant == "relu_ce" || variant == "sigmoid_mse" else { fail("--variant is relu_ce or sigmoid_mse") }
    let sigmoid = variant == "sigmoid_mse"
    let act: Activation = sigmoid ? .sigmoid : .relu
    let (train, test) = try mnist5kSplit(seed: args.int("seed", 0))
    let network = ModelSpec.seed002CNN(.activation(act), outputActivation: sigmoid ? .activation(.sigmoid) : nil)
        .build(weights: .xavierNormal, seed: 0)
    network.threads = threads
    let trainer = Trainer(network: network, loss: sigmoid ? .quadratic : .softmaxLogLikelihood,
                          optimizer: Optimizer(learningRate: sigmoid ? 3.0 : 0.1), batchSize: batch, seed: 0)
    ProductClock.start()
    let start = Date()
    for _ in 0..<epochs { _ = trainer.trainEpoch(inputs: train.pixels, labels: train.labels) }
    let seconds = Date().timeIntervalSince(start)
    let productSeconds = ProductClock.stop()
    let imagesPerSecond = Double(epochs * train.count) / seconds
    let busyThreads = min(threads, network.chunkCount(batch: batch))
    // The products per image in the order of sgemm.py's shapes conv1_im2col, conv2_im2col, dense.
    let convolutions = network.layers.filter { $0 is Conv2D }.map(\.trainingFlopsPerSample)
    let dense = network.layers.filter { $0 is Dense }.reduce(0) { $0 + $1.trainingFlopsPerSample }
    let accuracy = trainer.evaluate(inputs: test.pixels, labels: test.labels).accuracy
    report([("batch", "\(batch)"), ("build", "\"\(buildConfiguration)\""), ("busy_threads", "\(busyThreads)"),
            ("epochs", "\(epochs)"),
            ("flops_per_image", "\(network.trainingFlopsPerSample)"), ("flops_by_shape", "\(convolutions + [dense])"),
            ("gflops", String(format: "%.2f", Double(network.trainingFlopsPerSample) * imagesPerSecond / 1e9)),
            ("images_per_s", String(format: "%.1f", imagesPerSecond)),
            ("parameters", "\(network.parameterCount)"), ("peak_rss_mb", String(format: "%.1f", peakMemoryMB())),
            ("script", "\"experiments-bench cnn\""),
            ("products_share", String(format: "%.3f", productSeconds / (seconds * Double(busyThreads)))),
            ("test_accuracy", String(format: "%.4f", accuracy)),
            ("threads", "\(threads)"), ("train_s", String(format: "%.3f", seconds)), ("variant", "\"\(variant)\""),
            ("weights_sha256", "\"\(weightsDigest(network))\"")])
}

/// The CPU and the instruction-set path of our kernels, for the header of scripts/bench.sh.
func cpu() {
    report([("cpu", "\"\(Engine.cpu)\""), ("isa", "\"\(KernelPath.current.rawValue)\"")])
}

/// The process's peak resident memory so far (Linux reports ru_maxrss in KiB).
func peakMemoryMB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

#if DEBUG
let buildConfiguration = "debug"
#else
let buildConfiguration = "release"
#endif

let arguments = CommandLine.arguments
guard arguments.count >= 2 else { fail("usage: experiments-bench knn|mlp|cnn [options] (see the comment at the top of bench/main.swift)") }
do {
    try KernelPath.selectFromEnvironment()
    switch arguments[1] {
    case "knn": try knn(Arguments(arguments.dropFirst(2)))
    case "mlp": try mlp(Arguments(arguments.dropFirst(2)))
    case "cnn": try cnn(Arguments(arguments.dropFirst(2)))
    case "elastic": try elastic(Arguments(arguments.dropFirst(2)))
    case "cpu": cpu()
    default: fail("unknown benchmark '\(arguments[1])' (benchmarks: knn, mlp, cnn, elastic, cpu)")
    }
} catch {
    fail("\(error)")
}
