import Foundation

// Training on several cores with results that do not depend on how many there are.
//
// OpenBLAS's own threading changes the rounding with the thread count, so training keeps
// OpenBLAS on one thread and splits each mini-batch instead: into a number of chunks set
// by the batch size and the layers only (`chunkCount`), each trained by its own replica of
// the layers (its own buffers and gradients, the main network's parameter values), their
// gradients summed in chunk order. One thread trains the same chunks one after another,
// so one or two threads give the same bits.

/// A layer that computes each sample of a batch on its own, so that a mini-batch can be
/// split between copies of it. Batch norm is not one: it needs the whole batch's statistics.
protocol PerSampleLayer: Layer {
    /// A layer of the same kind and shape with its own buffers and parameter objects.
    func replica() -> Layer
}

extension Dense: PerSampleLayer {
    func replica() -> Layer { Dense(inputs: inputShape[0], outputs: outputShape[0]) }
}

extension Conv2D: PerSampleLayer {
    func replica() -> Layer {
        Conv2D(inputShape: inputShape, filters: filters, kernel: kernelH, stride: stride, padding: padding,
               dilation: dilation)
    }
}

extension Pool: PerSampleLayer {
    func replica() -> Layer { Pool(kind, inputShape: inputShape, size: size, stride: stride) }
}

extension Flatten: PerSampleLayer {
    func replica() -> Layer { Flatten(inputShape: inputShape) }
}

extension ActivationLayer: PerSampleLayer {
    func replica() -> Layer { ActivationLayer(function, shape: inputShape) }
}

extension Dropout: PerSampleLayer {
    func replica() -> Layer { Dropout(rate: rate, style: style, shape: inputShape) }
}

extension PReLU: PerSampleLayer {
    func replica() -> Layer { PReLU(shape: inputShape) }
}

extension Maxout: PerSampleLayer {
    func replica() -> Layer { Maxout(pieces: pieces, shape: inputShape) }
}

extension Network {
    /// Splitting pays only when each chunk keeps at least this much work: below it, the
    /// smaller products and the hand-over between threads cost more than a second core gains
    /// (measured on the seed-002 CNN and the 784-30-10 MLP, scripts/bench.sh).
    static let minimumChunkFlops = 8_000_000
    /// Samples per chunk: 8 images of the seed-002 CNN keep conv1's im2col columns (25 x 8 x 576
    /// floats, 460 KB) in a core's L2 cache. Chunks of 32 spill them and trained 20% slower at
    /// batch 64 (scripts/bench.sh cnn, AMD EPYC); chunks of 3 to 12 measured alike.
    static let samplesPerChunk = 8
    /// At most this many chunks (each trained by its own replica of the layers).
    static let maximumChunks = 32

    /// How many chunks a training mini-batch of `batch` samples is split into. A rule on the
    /// batch size and the layers only, never on the thread count: the chunks, and so the
    /// trained bits, are the same on any machine.
    public func chunkCount(batch: Int) -> Int {
        guard layers.allSatisfy({ $0 is PerSampleLayer }) else { return 1 }
        let affordable = batch * trainingFlopsPerSample / Self.minimumChunkFlops
        let cacheSized = (batch + Self.samplesPerChunk - 1) / Self.samplesPerChunk
        return max(1, min(Self.maximumChunks, cacheSized, affordable))
    }

    /// Floating-point operations of one sample's training step through the dense and
    /// convolution layers (`Layer.trainingFlopsPerSample`).
    public var trainingFlopsPerSample: Int { layers.reduce(0) { $0 + $1.trainingFlopsPerSample } }
}

extension Layer {
    /// Floating-point operations (2 per multiply-add) of one sample's forward and backward
    /// pass through a dense or convolution layer: the products a training step needs,
    /// without the input gradient nobody reads. 0 for element-wise layers (not counted).
    public var trainingFlopsPerSample: Int {
        let multiplyAdds: Int
        switch self {
        case let dense as Dense: multiplyAdds = dense.inputShape[0] * dense.outputShape[0]
        case let conv as Conv2D: multiplyAdds = conv.weight.count / conv.filters * conv.outputSize
        default: return 0
        }
        // Forward, weight gradient and (when read) input gradient: one product each.
        return 2 * multiplyAdds * (computesInputGradient ? 3 : 2)
    }
}

/// The replicas, buffers and worker threads that train the chunks of a mini-batch. Chunk 0
/// runs on the main network itself, chunk c > 0 on `replicas[c - 1]`.
///
/// State: nothing here outlives a step. The replicas read the main network's parameter
/// values during a step and let go of them after; their dropout streams are re-seeded at
/// every step from the main dropout layer's stream. So the main network's layers hold all
/// the state a saved and resumed run needs.
final class BatchChunks: @unchecked Sendable {  // its worker threads only run `train(chunk:)` between run's signals
    let replicas: [Network]
    /// The largest chunk count it can train.
    var capacity: Int { replicas.count + 1 }

    private unowned let main: Network
    private let mainParameters: [Parameter]
    /// replicaParameters[r][i] is replica r's copy of mainParameters[i].
    private let replicaParameters: [[Parameter]]
    /// Each dropout layer of the main network and the same layer in every replica.
    private let dropouts: [(main: Dropout, replicas: [Dropout])]
    private let lossGradients: [Buffer]
    private let results: UnsafeMutablePointer<(loss: Double, correct: Int)>
    private var workers: WorkerThreads?

    // The current step, set before the workers are woken.
    private var input: UnsafePointer<Float>?, labels: UnsafePointer<Int32>?
    private var batch = 0, chunks = 0
    private var loss = Loss.quadratic, reduction = Reduction.mean

    init(main: Network, capacity: Int) {
        self.main = main
        let replicas = (1..<capacity).map { _ in
            Network(layers: main.layers.map { ($0 as! PerSampleLayer).replica() }, inputShape: main.inputShape)
        }
        self.replicas = replicas
        mainParameters = main.parameters
        replicaParameters = replicas.map(\.parameters)
        dropouts = main.layers.indices.compactMap { index in
            guard let dropout = main.layers[index] as? Dropout else { return nil }
            return (dropout, replicas.map { $0.layers[index] as! Dropout })
        }
        lossGradients = (0..<capacity).map { _ in Buffer() }
        results = .allocate(capacity: capacity)
    }

    deinit { results.deallocate() }

    func step(_ input: UnsafePointer<Float>, labels: UnsafePointer<Int32>, batch: Int, chunks: Int, threads: Int,
              loss: Loss, reduction: Reduction) -> (loss: Double, correct: Int) {
        (self.input, self.labels, self.batch, self.chunks, self.loss, self.reduction) =
            (input, labels, batch, chunks, loss, reduction)
        let replicasUsed = 0..<(chunks - 1)
        // The replicas read the main values through the arrays' shared storage: no copy.
        for r in replicasUsed {
            for (i, parameter) in replicaParameters[r].enumerated() { parameter.value = mainParameters[i].value }
        }
        // Chunk 0 draws its dropout masks from the main layer's stream, chunk c > 0 from a
        // stream seeded by the main stream's next numbers.
        for dropout in dropouts {
            for r in replicasUsed { dropout.replicas[r].random = RandomStream(seed: dropout.main.random.next(), purpose: .dropout) }
        }

        let used = max(1, min(threads, capacity))
        if workers?.count != used {
            workers = WorkerThreads(count: used) { [unowned self] thread in
                for chunk in stride(from: thread, to: self.chunks, by: used) { self.train(chunk: chunk) }
            }
        }
        workers!.run()

        // The gradients summed in chunk order; then the replicas let go of the main values, so
        // that the optimizer updates them in place (a shared array would be copied on write).
        for (i, parameter) in mainParameters.enumerated() {
            parameter.gradient.withUnsafeMutableBufferPointer { sum in
                for r in replicasUsed {
                    replicaParameters[r][i].gradient.withUnsafeBufferPointer { g in
                        for k in 0..<sum.count { sum[k] += g[k] }
                    }
                    replicaParameters[r][i].value = []
                }
            }
        }
        var total = (loss: 0.0, correct: 0)
        for chunk in 0..<chunks { total = (total.loss + results[chunk].loss, total.correct + results[chunk].correct) }
        return total
    }

    /// Forward, loss and backward of one chunk: a contiguous run of the batch's samples,
    /// sizes differing by at most one.
    private func train(chunk: Int) {
        let start = chunk * batch / chunks, end = (chunk + 1) * batch / chunks
        let network = chunk == 0 ? main : replicas[chunk - 1]
        let size = main.inputShape.reduce(1, *)
        results[chunk] = network.wholeStep(input! + start * size, labels: labels! + start, batch: end - start,
                                           meanOver: batch, loss: loss, reduction: reduction,
                                           gradient: lossGradients[chunk], training: true)
    }
}

/// Threads parked on semaphores between mini-batches: `run` wakes them to run job(1),
/// job(2), ... while the caller runs job(0), and returns when all have finished.
final class WorkerThreads {
    let count: Int
    private let job: @Sendable (_ thread: Int) -> Void
    private let control: Control

    private final class Control: @unchecked Sendable {  // semaphores, and a flag set once before the last wake-up
        let wake: [DispatchSemaphore]
        let finished = DispatchSemaphore(value: 0)
        var stopping = false
        init(threads: Int) { wake = (0..<threads).map { _ in DispatchSemaphore(value: 0) } }
    }

    init(count: Int, job: @escaping @Sendable (_ thread: Int) -> Void) {
        self.count = count
        self.job = job
        control = Control(threads: count - 1)
        for thread in 1..<count {
            let control = control
            Thread {
                while true {
                    control.wake[thread - 1].wait()
                    if control.stopping { return }
                    job(thread)
                    control.finished.signal()
                }
            }.start()
        }
    }

    func run() {
        for wake in control.wake { wake.signal() }
        job(0)
        for _ in control.wake { control.finished.wait() }
    }

    deinit {
        control.stopping = true
        for wake in control.wake { wake.signal() }
    }
}

/// The cores this process may run on (its CPU affinity, as taskset sets it), at least 1.
public func availableCores() -> Int {
    // Linux lists the affinity mask in hexadecimal, e.g. "Cpus_allowed:\tff" or "0000,0003".
    if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
       let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") }) {
        let cores = line.dropFirst("Cpus_allowed:".count).compactMap(\.hexDigitValue).reduce(0) { $0 + $1.nonzeroBitCount }
        if cores > 0 { return cores }
    }
    return ProcessInfo.processInfo.activeProcessorCount
}
