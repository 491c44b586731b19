import ArgumentParser
import Foundation
import Notebook

struct VerifyArithmetic: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that this machine computes the same bits as every other: on each instruction-set path, or for a study's stored runs.",
        discussion: """
        Without --study: trains a few small networks on 300 real digits and a k-NN on 1,100 (every kind of
        arithmetic a stored number goes through) on each instruction-set path this CPU runs
        (baseline, avx2, avx512), and compares every dataset with the SHA-256 digests committed
        in the repository. One line per path: match, or the first dataset that differs. Exit 0
        only when every path matches. Takes under a minute.

        With --study S: recomputes S's --quick runs into a scratch folder and compares them,
        dataset by dataset, with the ones stored under --results (run 'experiments run S --quick'
        first, on any machine): one line per run.

        EXPERIMENTS_ISA=baseline|avx2|avx512 forces a path for any command.

        Examples:
          experiments verify
          experiments verify --study init-study
          experiments verify --study knn-baseline --results ~/coursework/results
        """)

    @Option(help: ArgumentHelp("Recompute this study's --quick runs and compare them with the stored ones.", valueName: "study"))
    var study: String?

    @Option(help: ArgumentHelp("The results folder holding the stored runs (with --study).", valueName: "dir"))
    var results = "results"

    @Flag(help: ArgumentHelp("Print the digests of this machine's runs, as ArithmeticDigests.swift holds them.", visibility: .hidden))
    var printDigests = false

    func run() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("experiments-verify-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        if let study {
            try verifyStudy(try Catalog.study(named: study), scratch: scratch)
        } else if printDigests {
            print(ArithmeticCheck.listing(try ArithmeticCheck.compute(into: scratch)))
        } else {
            try verifyPaths(scratch: scratch)
        }
    }

    private func verifyPaths(scratch: URL) throws {
        let expected = ArithmeticCheck.expected
        guard !expected.isEmpty else { throw ValidationError("no committed digests in this build (ArithmeticDigests.swift is empty)") }
        let chosen = KernelPath.current
        defer { try? KernelPath.select(chosen) }
        var matched = true
        for path in KernelPath.supported {
            try KernelPath.select(path)
            let digests = try ArithmeticCheck.compute(into: scratch.appendingPathComponent(path.rawValue))
            matched = say(path.rawValue, ArithmeticCheck.compare(digests, with: expected)) && matched
        }
        if !matched { throw ExitCode.failure }
    }

    private func verifyStudy(_ study: Study, scratch: URL) throws {
        let context = StudyContext(profile: .quick)
        let stored = try Runner(study: study, context: context, options: RunnerOptions(results: URL(fileURLWithPath: results)),
                                log: { _ in }).runLocations()
        let missing = stored.filter { !FileManager.default.fileExists(atPath: $0.url.path) }.map(\.step)
        guard missing.isEmpty else {
            throw ValidationError("\(results)/\(study.name) has no stored --quick run for \(missing.prefix(3).joined(separator: ", ")); run 'experiments run \(study.name) --quick' first")
        }
        var options = RunnerOptions(results: scratch, commandLine: "experiments verify --study \(study.name)", progressBars: false)
        options.writesReport = false
        let runner = Runner(study: study, context: context, options: options, log: { _ in })
        _ = try runner.run()
        let fresh = Dictionary(uniqueKeysWithValues: try runner.runLocations().map { ($0.step, $0.url) })
        var matched = true
        for run in stored {
            let outcome = ArithmeticCheck.compare(try datasetDigests(at: fresh[run.step]!), with: try datasetDigests(at: run.url))
            matched = say(run.step, outcome) && matched
        }
        if !matched { throw ExitCode.failure }
    }

    /// One line for a path or a run: match, or the first dataset that differs. True on a match.
    private func say(_ label: String, _ outcome: ArithmeticCheck.Outcome) -> Bool {
        switch outcome {
        case .match(let datasets):
            print("\(label): match (\(datasets) datasets)")
            return true
        case let .differs(dataset, differing):
            print("\(label): differs at \(dataset) (\(differing) datasets differ)")
            return false
        }
    }
}
