import Foundation

// Training on several cores with results that do not depend on how many there are.
//
// A product split over threads would change its summation order with the thread count, so
// every product runs on one thread and training splits each mini-batch instead: into a
// number of chunks set by the batch size and the layers only (`chunkCount`), each trained
// by its own replica of the layers (its own buffers and gradients, the main network's
// parameter values), their gradients summed in chunk order. One thread trains the same
// chunks one after another, so one or two threads give the same bits.

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
    /// batch size and the layers only, never on the thread count or the CPU: the chunks, and
    /// so the trained bits, are the same on any machine.
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

/// The replicas, buffers and worker threads that train the chunks of a mini-batch. Thread t
/// trains chunks t, t + threads, t + 2 threads, ... on its own copy of the layers (thread 0 on
/// the main network, thread t > 0 on `replicas[t - 1]`), so a thread's activation buffers stay
/// in its core's cache from one chunk to the next: measured 15% faster at batch 64 than a copy
/// of the layers per chunk. A chunk's gradients are copied out when the thread moves on to its
/// next chunk, and all chunks' gradients are summed in chunk order at the end: the same
/// additions in the same order whatever the thread count.
///
/// State: nothing here outlives a step. The replicas read the main network's parameter
/// values during a step and let go of them after; every chunk but chunk 0 draws its dropout
/// masks from a stream seeded from the main dropout layer's stream. So the main network's
/// layers hold all the state a saved and resumed run needs.
final class BatchChunks: @unchecked Sendable {  // its worker threads only run `train`/`sum` between run's signals
    let replicas: [Network]
    /// The most threads it can train with.
    var capacity: Int { replicas.count + 1 }

    private unowned let main: Network
    private let mainParameters: [Parameter]
    /// replicaParameters[r][i] is replica r's copy of mainParameters[i].
    private let replicaParameters: [[Parameter]]
    /// Where each parameter's gradient starts in a chunk's copy of all the gradients.
    private let offsets: [Int]
    /// Each dropout layer of the main network and the same layer in every replica.
    private let dropouts: [(main: Dropout, replicas: [Dropout])]
    /// One loss gradient buffer per thread.
    private let lossGradients: [Buffer]
    private var workers: WorkerThreads?

    // The current step, set before the workers are woken.
    private var input: UnsafePointer<Float>?, labels: UnsafePointer<Int32>?
    private var batch = 0, chunks = 0, threads = 1
    private var loss = Loss.quadratic, reduction = Reduction.mean
    /// Each chunk's loss and correct count (a pointer: threads write their own chunks' slots).
    private var results = UnsafeMutablePointer<(loss: Double, correct: Int)>.allocate(capacity: 1)
    private var resultCapacity = 1
    /// copies[c]: chunk c's gradients, when its thread trains a later chunk on the same layers.
    private var copies: [Buffer] = []
    /// dropoutSeeds[d][c]: the seed of chunk c's masks in dropout layer d (c > 0).
    private var dropoutSeeds: [[UInt64]] = []
    /// What the worker threads do when woken: train the chunks, or sum their gradients.
    private enum Phase { case train, sum }
    private var phase = Phase.train

    init(main: Network, threads: Int) {
        self.main = main
        let replicas = (1..<max(threads, 1)).map { _ in
            Network(layers: main.layers.map { ($0 as! PerSampleLayer).replica() }, inputShape: main.inputShape)
        }
        self.replicas = replicas
        mainParameters = main.parameters
        replicaParameters = replicas.map(\.parameters)
        offsets = mainParameters.reduce(into: [0]) { $0.append($0.last! + $1.count) }
        dropouts = main.layers.indices.compactMap { index in
            guard let dropout = main.layers[index] as? Dropout else { return nil }
            return (dropout, replicas.map { $0.layers[index] as! Dropout })
        }
        lossGradients = (0..<max(threads, 1)).map { _ in Buffer() }
    }

    deinit { results.deallocate() }

    func step(_ input: UnsafePointer<Float>, labels: UnsafePointer<Int32>, batch: Int, chunks: Int, threads: Int,
              loss: Loss, reduction: Reduction) -> (loss: Double, correct: Int) {
        let used = max(1, min(threads, capacity, chunks))
        (self.input, self.labels, self.batch, self.chunks, self.threads, self.loss, self.reduction) =
            (input, labels, batch, chunks, used, loss, reduction)
        if resultCapacity < chunks {
            results.deallocate()
            results = .allocate(capacity: chunks)
            resultCapacity = chunks
        }
        while copies.count < chunks { copies.append(Buffer(offsets.last!)) }
        // The replicas read the main values through the arrays' shared storage: no copy.
        for r in 0..<(used - 1) {
            for (i, parameter) in replicaParameters[r].enumerated() { parameter.value = mainParameters[i].value }
        }
        // Chunk 0 draws its dropout masks from the main layer's stream, chunk c > 0 from a
        // stream seeded by the main stream's next numbers, in chunk order.
        dropoutSeeds = dropouts.map { dropout in [0] + (1..<chunks).map { _ in dropout.main.random.next() } }

        if workers?.count != used {
            workers = WorkerThreads(count: used) { [unowned self] thread in
                switch self.phase {
                case .train: for chunk in stride(from: thread, to: self.chunks, by: self.threads) { self.train(chunk: chunk, thread: thread) }
                case .sum: self.sumGradients(part: thread, of: self.threads)
                }
            }
        }
        phase = .train
        workers!.run()
        // The gradients summed in chunk order, each thread a slice of every parameter (the order
        // of the additions into one value is the same however the values are sliced). With two
        // chunks the sum is not worth waking the threads again (measured at batch 10).
        sums = sumPlan()
        if chunks > 2 && used > 1 {
            phase = .sum
            workers!.run()
        } else {
            sumGradients(part: 0, of: 1)
        }
        // The replicas let go of the main values, so that the optimizer updates them in place
        // (a shared array would be copied on write).
        for r in 0..<(used - 1) { for parameter in replicaParameters[r] { parameter.value = [] } }
        return (0..<chunks).reduce((0.0, 0)) { ($0.0 + results[$1].loss, $0.1 + results[$1].correct) }
    }

    /// Whether chunk c's gradients are still in its thread's layers at the end of the step: it
    /// is that thread's last chunk, and (on the main network, whose gradients receive the sum)
    /// it is chunk 0. Every other chunk's gradients are copied out.
    private func staysInPlace(_ chunk: Int) -> Bool {
        chunk + threads >= chunks && (chunk % threads != 0 || chunk == 0)
    }

    /// Forward, loss and backward of one chunk: a contiguous run of the batch's samples,
    /// sizes differing by at most one.
    private func train(chunk: Int, thread: Int) {
        let start = chunk * batch / chunks, end = (chunk + 1) * batch / chunks
        let network = thread == 0 ? main : replicas[thread - 1]
        // Chunk c > 0 draws from its own stream; the main layers' own streams are put back after.
        var mainStreams: [RandomStream] = []
        if chunk > 0 {
            for (d, dropout) in dropouts.enumerated() {
                let layer = thread == 0 ? dropout.main : dropout.replicas[thread - 1]
                if thread == 0 { mainStreams.append(layer.random) }
                layer.random = RandomStream(seed: dropoutSeeds[d][chunk], purpose: .dropout)
            }
        }
        let size = main.inputShape.reduce(1, *)
        results[chunk] = network.wholeStep(input! + start * size, labels: labels! + start, batch: end - start,
                                           meanOver: batch, loss: loss, reduction: reduction,
                                           gradient: lossGradients[thread], training: true)
        for (d, stream) in mainStreams.enumerated() { dropouts[d].main.random = stream }
        guard !staysInPlace(chunk) else { return }
        let copy = copies[chunk].pointer
        for (i, parameter) in (thread == 0 ? mainParameters : replicaParameters[thread - 1]).enumerated() {
            parameter.gradient.withUnsafeBufferPointer { (copy + offsets[i]).update(from: $0.baseAddress!, count: $0.count) }
        }
    }

    /// For the sum: each main gradient, where each chunk's gradients of that parameter are,
    /// and whether chunk 0's are already in the main gradient. Made before the threads wake,
    /// so that they touch storage only (the arrays stay where they are during the step).
    private var sums: [(sum: UnsafeMutablePointer<Float>, sources: [UnsafePointer<Float>], count: Int)] = []

    private func sumPlan() -> [(sum: UnsafeMutablePointer<Float>, sources: [UnsafePointer<Float>], count: Int)] {
        mainParameters.indices.map { i in
            let sources: [UnsafePointer<Float>] = (0..<chunks).map { chunk in
                guard staysInPlace(chunk) else { return UnsafePointer(copies[chunk].pointer + offsets[i]) }
                let thread = chunk % threads
                let owner = thread == 0 ? mainParameters[i] : replicaParameters[thread - 1][i]
                return owner.gradient.withUnsafeBufferPointer { $0.baseAddress! }
            }
            return (mainParameters[i].gradient.withUnsafeMutableBufferPointer { $0.baseAddress! }, sources, mainParameters[i].count)
        }
    }

    /// The main gradients = chunk 0's + chunk 1's + ... in chunk order, for the `part`-th of
    /// `parts` slices of every parameter.
    private func sumGradients(part: Int, of parts: Int) {
        let firstInPlace = staysInPlace(0)
        for (sum, sources, count) in sums {
            let start = count * part / parts, end = count * (part + 1) / parts
            if !firstInPlace { for k in start..<end { sum[k] = sources[0][k] } }
            for chunk in 1..<chunks { for k in start..<end { sum[k] += sources[chunk][k] } }
        }
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

/// The cores this process may use, at least 1: those Slurm gave the task
/// (SLURM_CPUS_PER_TASK, which without cgroups is not what the machine reports), else its
/// CPU affinity (as taskset sets it). Results never depend on it.
public func availableCores() -> Int {
    if let slurm = ProcessInfo.processInfo.environment["SLURM_CPUS_PER_TASK"].flatMap({ Int($0) }) { return max(slurm, 1) }
    // Linux lists the affinity mask in hexadecimal, e.g. "Cpus_allowed:\tff" or "0000,0003".
    if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
       let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") }) {
        let cores = line.dropFirst("Cpus_allowed:".count).compactMap(\.hexDigitValue).reduce(0) { $0 + $1.nonzeroBitCount }
        if cores > 0 { return cores }
    }
    return ProcessInfo.processInfo.activeProcessorCount
}
