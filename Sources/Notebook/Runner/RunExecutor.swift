import Foundation

/// What computing one run came to.
enum ComputeResult {
    case computed
    /// The step threw: its run is stored with status `failed` and this reason.
    case failed(String)
    /// Another process holds the run's lock and is computing it.
    case busy
}

/// Computes a slice's pending runs, each through `compute` (given the run and its position,
/// "[2/5]", for the log), and returns their results in the runs' order. A problem that is not
/// the step's own (a full disk, a lock that cannot be taken) stops it and is rethrown. A
/// `--shard` or a Slurm array task is the same executor, handed its shard's slice of the plan.
protocol RunExecutor {
    func execute(_ runs: [RunPlan.Run],
                 _ compute: (RunPlan.Run, String) throws -> ComputeResult) throws -> [ComputeResult]
}

/// `--jobs N`: N threads, each taking the next run. Each run's products are single-threaded
/// per chunk, so results are bit-identical whatever N is.
struct LocalThreads: RunExecutor {
    let jobs: Int

    func execute(_ runs: [RunPlan.Run],
                 _ compute: (RunPlan.Run, String) throws -> ComputeResult) throws -> [ComputeResult] {
        let total = runs.count
        let lock = NSLock()
        var results = [ComputeResult?](repeating: nil, count: total)
        var problems: [Error] = []
        func work(_ number: Int) {
            do {
                let result = try compute(runs[number], "[\(number + 1)/\(total)]")
                lock.withLock { results[number] = result }
            } catch {
                lock.withLock { problems.append(error) }
            }
        }
        if jobs > 1 {
            let next = Counter()
            DispatchQueue.concurrentPerform(iterations: min(jobs, max(total, 1))) { _ in
                while let number = next.take(below: total), lock.withLock({ problems.isEmpty }) { work(number) }
            }
        } else {
            for number in 0..<total where problems.isEmpty { work(number) }
        }
        if let problem = problems.first { throw problem }
        return results.map { $0! }
    }
}
