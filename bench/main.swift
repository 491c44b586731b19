import Baselines
import CBLAS
import Datasets
import Foundation

// The project side of scripts/bench.sh: the same work as a peer script in
// ../shared/bench/peers/, timed the same way, printed as one JSON line last.
//
//   experiments-bench knn --idx /usr/share/datasets/fashion-mnist --k 5 --threads 2
//   experiments-bench knn --mnist5k --train 1000 --test 100 --seed 0

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
    let threads = args.int("threads", 2)
    openblas_set_num_threads(Int32(threads))
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
    let neighbours = NearestNeighbours(maxK: k).search(train: train.pixels, queries: test.pixels,
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
    print("{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else { fail("usage: experiments-bench knn [--idx DIR | --train N --test N --seed S] [--k K] [--threads T]") }
do {
    switch arguments[1] {
    case "knn": try knn(Arguments(arguments.dropFirst(2)))
    default: fail("unknown benchmark '\(arguments[1])' (benchmarks: knn)")
    }
} catch {
    fail("\(error)")
}
