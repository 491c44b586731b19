import ArgumentParser
import Foundation
import Notebook

struct SubmitStudy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Run a study on a Slurm cluster: a job array of shards, then a job that writes the report.",
        discussion: """
        Writes two sbatch scripts into <results>/<study>/slurm/ and submits them: run.sbatch,
        an array of N tasks where task i runs 'experiments run <study> --shard i/N', and
        report.sbatch, which waits for every task (afterok) and assembles the report. The
        results folder must be shared by the nodes. Runs already stored are skipped and an
        interrupted run resumes from its checkpoint, so after a failed or cancelled task
        the same command (or 'sbatch run.sbatch') finishes the study; a lock per run keeps
        two tasks from computing the same run. The runs are bit-identical to 'experiments
        run' on one machine. docs/CLUSTER.md has the details.

        Examples:
          experiments submit random-search --full --array 20 --time 2:00:00
          experiments submit init-study --array 4 --partition short --dry-run   only write and print the script
        """)

    @OptionGroup var options: StudyOptions

    @Option(help: ArgumentHelp("Array tasks, each computing 1/N of the study's runs.", valueName: "N"))
    var array: Int

    @Option(help: "The Slurm partition (default: the cluster's default).")
    var partition: String?

    @Option(help: ArgumentHelp("Time limit of each task, in any form sbatch takes (e.g. 30, 2:00:00, 1-0).", valueName: "T"))
    var time: String?

    @Option(help: "CPUs for each task; its runs train on that many threads.")
    var cpusPerTask = 1

    @Option(help: ArgumentHelp("Seconds between checkpoints of a training run: the most a cancelled or preempted task loses.", valueName: "seconds"))
    var checkpointInterval = 30.0

    @Flag(help: "Only write the scripts and print them; submit nothing.")
    var dryRun = false

    func validate() throws {
        guard array >= 1 else { throw ValidationError("--array must be at least 1, got \(array)") }
        guard cpusPerTask >= 1 else { throw ValidationError("--cpus-per-task must be at least 1, got \(cpusPerTask)") }
        try validateCheckpointInterval(checkpointInterval)
        for (name, value) in [("--partition", partition), ("--time", time)] {
            if let value, value.isEmpty || value.contains(where: { $0.isWhitespace }) {
                throw ValidationError("\(name) must be one word, got '\(value)'")
            }
        }
    }

    func run() throws {
        let study = try options.resolvedStudy()
        let scripts = SlurmScripts(invocation: try invocation(of: study), tasks: array, partition: partition,
                                   time: time, cpusPerTask: cpusPerTask, checkpointInterval: checkpointInterval,
                                   executable: try executablePath(), workingDirectory: FileManager.default.currentDirectoryPath,
                                   folder: URL(fileURLWithPath: options.results, isDirectory: true)
                                       .appendingPathComponent(study.name).appendingPathComponent("slurm").standardizedFileURL)
        let sbatch = dryRun ? nil : try findOnPath("sbatch")
        try scripts.write()
        guard let sbatch else {
            print("wrote \(scripts.runScript.path)\n\n\(scripts.runText)")
            print("wrote \(scripts.reportScript.path)\n\n\(scripts.reportText)", terminator: "")
            return
        }
        let arrayJob = try submit(sbatch, [scripts.runScript.path])
        let reportJob = try submit(sbatch, ["--dependency=afterok:\(arrayJob)", "--kill-on-invalid-dep=yes", scripts.reportScript.path])
        print("submitted \(study.name): array job \(arrayJob) (\(array) tasks), report job \(reportJob) after it")
        print("scripts and logs: \(scripts.folder.path)")
        print("follow it with: squeue -j \(arrayJob),\(reportJob)")
    }

    /// The study as the user gave it, with the results folder made absolute (a task may
    /// start elsewhere; a --data folder is absolute already).
    private func invocation(of study: Study) throws -> Invocation {
        let results = URL(fileURLWithPath: URL(fileURLWithPath: options.results).standardizedFileURL.path, isDirectory: true)
        return Invocation(study: study.name, context: options.context, results: results, formats: try options.formats())
    }

    /// This executable, so that tasks run the very build that wrote the script.
    private func executablePath() throws -> String {
        guard let url = Bundle.main.executableURL?.resolvingSymlinksInPath() else {
            throw StudyError("cannot tell where the experiments executable is")
        }
        return url.path
    }

    /// Runs sbatch --parsable and returns the job id it prints ("123" or "123;cluster").
    private func submit(_ sbatch: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: sbatch)
        process.arguments = ["--parsable"] + arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let complaint = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let job = printed.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        guard process.terminationStatus == 0, !job.isEmpty, job.allSatisfy(\.isNumber) else {
            let reason = complaint.split(separator: "\n").last.map(String.init) ?? "exit status \(process.terminationStatus)"
            throw StudyError("sbatch refused \(arguments.last ?? ""): \(reason)")
        }
        return job
    }
}

/// The first executable `name` on PATH, or one line saying it is missing.
private func findOnPath(_ name: String) throws -> String {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    for folder in path.split(separator: ":") {
        let candidate = "\(folder)/\(name)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    throw StudyError("\(name) is not on PATH: this machine cannot submit to Slurm (use --dry-run to only write the scripts)")
}

/// The two batch scripts of a submission: readable, kept beside the results.
struct SlurmScripts {
    let invocation: Invocation
    let tasks: Int
    let partition: String?
    let time: String?
    let cpusPerTask: Int
    let checkpointInterval: Double
    let executable: String
    let workingDirectory: String
    let folder: URL

    var runScript: URL { folder.appendingPathComponent("run.sbatch") }
    var reportScript: URL { folder.appendingPathComponent("report.sbatch") }
    var logs: URL { folder.appendingPathComponent("logs") }

    /// The #SBATCH lines: a job name, the job's own lines, then where to run.
    private func directives(name: String, _ own: [String]) -> String {
        (["--job-name=\(name)"] + own + (partition.map { ["--partition=\($0)"] } ?? []) + ["--chdir=\(shellQuoted(workingDirectory))"])
            .map { "#SBATCH \($0)" }.joined(separator: "\n")
    }

    var runText: String {
        let command = ([executable] + invocation.arguments(.run)).map(shellQuoted).joined(separator: " ")
        let own = ["--array=1-\(tasks)", "--cpus-per-task=\(cpusPerTask)"] + (time.map { ["--time=\($0)"] } ?? [])
            + ["--output=\(logs.path)/%x-%A_%a.out"]
        return """
        #!/bin/bash
        # experiments submit: the runs of \(invocation.study) as a Slurm job array. Task i computes every
        # N-th run of the study, starting at its i-th (experiments run --shard i/N). Runs already
        # stored are skipped and an interrupted run resumes from its checkpoint, so submitting
        # this script again finishes whatever a failed or cancelled task left. N is written out
        # rather than read from SLURM_ARRAY_TASK_COUNT, which is 1 when a single task is
        # resubmitted (sbatch --array=3 run.sbatch).
        \(directives(name: invocation.study, own))
        set -euo pipefail
        exec \(command) \\
            --shard "${SLURM_ARRAY_TASK_ID}/\(tasks)" --checkpoint-interval \(wholeNumber(checkpointInterval)) --no-report

        """
    }

    var reportText: String {
        let command = ([executable] + invocation.arguments(.report)).map(shellQuoted).joined(separator: " ")
        return """
        #!/bin/bash
        # experiments submit: the report of \(invocation.study), once every task of the array has succeeded
        # (submitted with --dependency=afterok:<array job>). It reads the stored runs and trains nothing.
        \(directives(name: "\(invocation.study)-report", ["--output=\(logs.path)/%x-%j.out"]))
        set -euo pipefail
        exec \(command)

        """
    }

    func write() throws {
        do {
            try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
            try runText.write(to: runScript, atomically: true, encoding: .utf8)
            try reportText.write(to: reportScript, atomically: true, encoding: .utf8)
        } catch {
            throw StudyError("cannot write the Slurm scripts into \(folder.path): \(error.localizedDescription)")
        }
    }
}

/// A number as a shell word: 30 rather than 30.0.
private func wholeNumber(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
}
