import Datasets
import Foundation
import XCTest
@testable import ConvNet

/// The engine checked tensor by tensor against JAX (issue 24, item 6), as llm.c checks its C
/// against PyTorch: seed 002's CNN (sigmoid + quadratic cost, ReLU + softmax) and the 784-30-10
/// sigmoid MLP with cross-entropy, fixed weights, one mini-batch of 16 real digits. Compared:
/// the outputs, the loss, every parameter's gradient, and the weights after SGD (one step),
/// momentum (two steps, so that the velocity counts) and Adam (one step from zero moments).
/// The reference tensors, the weights and the definitions: scripts/jax-reference.py.
final class JAXReferenceTests: XCTestCase {
    /// One of the script's `MODELS`.
    struct ReferenceModel {
        let name: String
        let spec: ModelSpec
        let loss: Loss
        /// The half-width of each parameter's uniform fixed weights, in the engine's order.
        let halfWidths: [Double]
        /// SGD's and momentum's learning rate.
        let rate: Double
    }

    static let cnnHalfWidths = [0x1p-2, 0x1p-4, 0x1p-4, 0x1p-4, 0x1p-5, 0x1p-4, 0x1p-3, 0x1p-4]
    static let models = [
        ReferenceModel(name: "cnn_sigmoid_quadratic",
                       spec: .seed002CNN(.activation(.sigmoid), outputActivation: .activation(.sigmoid)),
                       loss: .quadratic, halfWidths: cnnHalfWidths, rate: 3),
        ReferenceModel(name: "cnn_relu_softmax", spec: .seed002CNN(.activation(.relu)), loss: .softmaxLogLikelihood,
                       halfWidths: cnnHalfWidths, rate: 0.1),
        ReferenceModel(name: "mlp_sigmoid_cross_entropy", spec: .mlp([784, 30, 10], .sigmoid), loss: .crossEntropy,
                       halfWidths: [0x1p-5, 0x1p-4, 0x1p-2, 0x1p-4], rate: 0.5),
    ]
    static let momentum = 0.9
    static let adamRate = 1e-3, adamEpsilon = 1e-8

    /// The tolerance, fixed before the first comparison ran. Both sides compute in float32 from
    /// the same float32 inputs and weights, but sum in different orders (XLA's convolutions and
    /// products against our im2col and sgemm, the batch split in chunks) with different exp and
    /// log (ours: Sources/CKernels/portable_math.c). Each term carries a few roundings of about
    /// 1e-7, amplified a little through the layers; a wrong formula is off by O(1). So an
    /// element e passes when |ours - e| <= 1e-4 |e| + 1e-4 max|e|: 1e-4 relative, with a floor
    /// of 1e-4 of the tensor's largest magnitude for elements made small by cancellation.
    static let relativeTolerance = 1e-4, floorTolerance = 1e-4

    /// One tensor's comparison.
    struct Comparison {
        /// "<model> <tensor>", e.g. "cnn_relu_softmax gradient/conv1.weight".
        let tensor: String
        let elements: Int, failing: Int
        /// The largest |ours - reference|, alone and over the reference's largest magnitude.
        let largestDifference: Double, scaledDifference: Double
        /// The largest difference over its element's tolerance (below 1 passes).
        let worstShareOfTolerance: Double
        var passes: Bool { failing == 0 }
        var summary: String {
            String(format: "%@: %d elements, %d failing, largest difference %.3g (%.3g of max|ref|), %.3g of tolerance",
                   tensor, elements, failing, largestDifference, scaledDifference, worstShareOfTolerance)
        }
    }

    /// Element by element within `relativeTolerance` and `floorTolerance`, plus `slack(i)`
    /// where a difference is propagated from elsewhere. A count mismatch or a NaN fails.
    static func compare(_ tensor: String, ours: [Double], reference: [Double],
                        slack: (Int) -> Double = { _ in 0 }) -> Comparison {
        let scale = reference.map(abs).max() ?? 0
        var failing = ours.count == reference.count ? 0 : max(ours.count, reference.count)
        var largest = 0.0, worst = 0.0
        for i in 0..<min(ours.count, reference.count) {
            let difference = abs(ours[i] - reference[i])
            let tolerance = relativeTolerance * abs(reference[i]) + floorTolerance * scale + slack(i)
            if !(difference <= tolerance) { failing += 1 }
            largest = max(largest, difference)
            worst = max(worst, tolerance > 0 ? difference / tolerance : difference.isZero ? 0 : .infinity)
        }
        return Comparison(tensor: tensor, elements: reference.count, failing: failing, largestDifference: largest,
                          scaledDifference: scale > 0 ? largest / scale : largest, worstShareOfTolerance: worst)
    }

    /// The network with the script's fixed weights: numpy's RandomState(0).uniform(-s, s, n)
    /// per parameter, drawn in order (s a power of two, so the doubles are exact).
    static func network(_ model: ReferenceModel) -> Network {
        let network = model.spec.build()
        precondition(network.parameters.count == model.halfWidths.count)
        var random = NumpyRandomState(seed: 0)
        for (parameter, s) in zip(network.parameters, model.halfWidths) {
            parameter.value.withUnsafeMutableBufferPointer {
                random.fillUniform($0.baseAddress!, count: $0.count, low: -s, high: s)
            }
        }
        return network
    }

    /// "conv1.weight", "conv1.bias", ..., "dense2.bias": the script's parameter names.
    static func parameterNames(_ network: Network) -> [String] {
        var counts: [String: Int] = [:]
        return network.layers.flatMap { layer -> [String] in
            let kind = layer is Conv2D ? "conv" : "dense"
            guard !layer.parameters.isEmpty else { return [] }
            counts[kind, default: 0] += 1
            return layer.parameters.map { "\(kind)\(counts[kind]!).\($0.name)" }
        }
    }

    /// Trains `steps` mini-batches, all this one, with the engine's own Trainer; returns the
    /// network (its gradients those of the last step) and the first step's loss.
    static func train(_ model: ReferenceModel, _ optimizer: Optimizer, steps: Int,
                      batch: JAXReferenceFile.Batch) -> (network: Network, firstLoss: Double) {
        let network = network(model)
        let trainer = Trainer(network: network, loss: model.loss, optimizer: optimizer, batchSize: batch.labels.count,
                              seed: 0, shuffle: false)
        trainer.recordBatchLosses = true
        let result = trainer.trainEpoch(inputs: Array([[Float]](repeating: batch.inputs, count: steps).joined()),
                                        labels: Array([[Int32]](repeating: batch.labels, count: steps).joined()))
        return (network, result.batchLosses[0])
    }

    /// The optimisers' runs: name, optimiser, steps on the batch.
    static func runs(_ model: ReferenceModel) -> [(name: String, optimizer: Optimizer, steps: Int)] {
        [("sgd", Optimizer(learningRate: model.rate), 1),
         ("momentum", Optimizer(learningRate: model.rate, method: .momentum(momentum)), 2),
         ("adam", Optimizer(learningRate: adamRate, method: .adam(beta1: 0.9, beta2: 0.999, epsilon: adamEpsilon)), 1)]
    }

    /// The engine's tensors under the reference file's names (without the model's prefix).
    static func engineTensors(_ model: ReferenceModel, batch: JAXReferenceFile.Batch) -> [String: [Double]] {
        let fixed = network(model)
        let names = parameterNames(fixed)
        let output = batch.inputs.withUnsafeBufferPointer {
            fixed.forward($0.baseAddress!, batch: batch.labels.count, training: false)
        }
        var tensors = ["output": (0..<batch.labels.count * fixed.outputSize).map { Double(output[$0]) }]
        for run in runs(model) {
            let (trained, firstLoss) = train(model, run.optimizer, steps: run.steps, batch: batch)
            for (parameter, name) in zip(trained.parameters, names) {
                tensors["\(run.name)/\(name)"] = parameter.value.map(Double.init)
                // SGD's one step leaves the gradient at the fixed weights.
                if run.name == "sgd" { tensors["gradient/\(name)"] = parameter.gradient.map(Double.init) }
            }
            if run.name == "sgd" { tensors["loss"] = [firstLoss] }
        }
        return tensors
    }

    /// Every tensor of `model` compared. The weights after a step are compared as updates
    /// (after - before, so the tolerance scales with the step, not the weights), with one
    /// rounding of the stored weight per step as slack. Adam's first step is eta g / (|g| + eps):
    /// a gradient known to tau moves it by up to eta tau / (|g| - tau + eps), which is its slack
    /// (large only where g is within its tolerance of 0, and then at most 2 eta).
    static func comparisons(_ model: ReferenceModel, engine: [String: [Double]],
                            reference: JAXReferenceFile) throws -> [Comparison] {
        func plain(_ name: String) throws -> Comparison {
            compare("\(model.name) \(name)", ours: try XCTUnwrap(engine[name]),
                    reference: try reference.tensor("\(model.name)/\(name)").values)
        }
        let names = parameterNames(network(model))
        var results = try ["output", "loss"].map(plain) + names.map { try plain("gradient/\($0)") }
        let before = network(model).parameters.map { $0.value.map(Double.init) }
        for run in runs(model) {
            for (name, start) in zip(names, before) {
                let stored = try reference.tensor("\(model.name)/\(run.name)/\(name)")
                let gradient = try reference.tensor("\(model.name)/gradient/\(name)").values
                let gradientScale = gradient.map(abs).max() ?? 0
                let element = { (i: Int) in i * stored.stride }
                let ours = try XCTUnwrap(engine["\(run.name)/\(name)"])
                let slack = { (i: Int) -> Double in
                    let rounding = Double(run.steps) * Double(Float(stored.values[i]).ulp)
                    guard run.name == "adam" else { return rounding }
                    let g = abs(gradient[element(i)])
                    let tau = relativeTolerance * g + floorTolerance * gradientScale
                    return rounding + adamRate * min(2, tau / (max(g - tau, 0) + adamEpsilon))
                }
                results.append(compare("\(model.name) \(run.name)/\(name) (update)",
                                       ours: stored.values.indices.map { ours[element($0)] - start[element($0)] },
                                       reference: stored.values.indices.map { stored.values[$0] - start[element($0)] },
                                       slack: slack))
            }
        }
        return results
    }

    func testEveryTensorMatchesJAX() throws {
        let reference = try JAXReferenceFile()
        var failures: [String] = []
        for model in Self.models {
            let comparisons = try Self.comparisons(model, engine: Self.engineTensors(model, batch: reference.batch),
                                                   reference: reference)
            failures += comparisons.filter { !$0.passes }.map(\.summary)
            // The largest differences per kind of tensor (output, loss, gradient, sgd, ...).
            let kinds = Dictionary(grouping: comparisons) { $0.tensor.split(separator: " ")[1].split(separator: "/")[0] }
            for (kind, group) in kinds.sorted(by: { $0.key < $1.key }) {
                print(String(format: "%@ %@: largest difference %.3g of max|ref|, %.3g of tolerance", model.name,
                             String(kind), group.map(\.scaledDifference).max()!, group.map(\.worstShareOfTolerance).max()!))
            }
        }
        XCTAssert(failures.isEmpty, "tensors that differ from JAX:\n" + failures.joined(separator: "\n"))
    }

    /// The check has teeth: the largest element of one gradient off by 1% is reported, and
    /// only that tensor.
    func testAPerturbedGradientIsReported() throws {
        let reference = try JAXReferenceFile()
        let model = Self.models[1]
        var engine = Self.engineTensors(model, batch: reference.batch)
        var gradient = try XCTUnwrap(engine["gradient/conv2.weight"])
        let largest = try XCTUnwrap(gradient.indices.max { abs(gradient[$0]) < abs(gradient[$1]) })
        gradient[largest] *= 1.01
        engine["gradient/conv2.weight"] = gradient
        let failing = try Self.comparisons(model, engine: engine, reference: reference).filter { !$0.passes }
        XCTAssertEqual(failing.map(\.tensor), ["cnn_relu_softmax gradient/conv2.weight"])
        XCTAssertEqual(failing.first?.failing, 1)
    }
}

/// reference-data/jax/reference.bin, written by scripts/jax-reference.py (its layout is in the
/// script's docstring): named float32 tensors, each every `stride`-th element of the tensor.
struct JAXReferenceFile {
    struct Tensor {
        let stride: Int
        let values: [Double]
    }
    struct Batch {
        let inputs: [Float]
        let labels: [Int32]
    }

    static let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("reference-data/jax/reference.bin")
    let tensors: [String: Tensor]
    /// The mini-batch: 16 digits of data/mnist_5k.csv.gz, pixels / 255.
    let batch: Batch

    init() throws {
        let bytes = [UInt8](try Data(contentsOf: Self.url))
        var position = 0
        func line() throws -> String {
            let end = try XCTUnwrap(bytes[position...].firstIndex(of: 10), "reference.bin ends inside a header")
            defer { position = end + 1 }
            return String(decoding: bytes[position..<end], as: UTF8.self)
        }
        XCTAssertEqual(try line(), "jax-reference 1")
        var tensors: [String: Tensor] = [:]
        while position < bytes.count {
            let header = try line(), fields = header.split(separator: " ")
            let stride = try XCTUnwrap(fields.count == 3 ? Int(fields[1]) : nil, "bad header \(header)")
            let count = try XCTUnwrap(Int(fields[2]).flatMap { position + 4 * $0 <= bytes.count ? $0 : nil },
                                      "\(header): a bad count, or the file is cut short")
            let values = (0..<count).map { i -> Double in
                let at = position + 4 * i
                let word = UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
                return Double(Float(bitPattern: word))
            }
            tensors[String(fields[0])] = Tensor(stride: stride, values: values)
            position += 4 * count
        }
        self.tensors = tensors
        batch = Batch(inputs: try XCTUnwrap(tensors["batch/inputs"]).values.map(Float.init),
                      labels: try XCTUnwrap(tensors["batch/labels"]).values.map { Int32($0) })
    }

    func tensor(_ name: String) throws -> Tensor {
        try XCTUnwrap(tensors[name], "reference.bin has no tensor \(name)")
    }
}
