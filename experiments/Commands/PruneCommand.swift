import ArgumentParser
import Foundation
import Notebook

struct PruneRuns: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "List the stored runs of an older engine version, with their size; remove them with --yes.",
        discussion: """
        A run's cache key names the engine version that computed it, so after an upgrade that
        changes the arithmetic, 'run' computes every config afresh and the older runs are never
        reused ('list --runs' marks them). They stay until you remove them: their numbers
        stand, and 'compare' can still set them beside new ones.

        Examples:
          experiments prune                    what would be removed, and how much space it frees
          experiments prune --yes              remove them
          experiments prune --results ~/old    another results folder
        """)

    @Option(help: ArgumentHelp("The results folder to look in.", valueName: "dir"))
    var results = "results"

    @Flag(help: "Remove the listed runs (without it, nothing is changed).")
    var yes = false

    func run() throws {
        let root = URL(fileURLWithPath: results, isDirectory: true)
        let older = try olderRuns(in: root)
        guard !older.isEmpty else {
            print("no runs of an older engine in \(results) (this is engine \(Engine.version))")
            return
        }
        let total = older.reduce(0) { $0 + $1.bytes }
        for run in older {
            let path = run.url.path.hasPrefix(root.path + "/") ? String(run.url.path.dropFirst(root.path.count + 1)) : run.url.path
            print("\(run.engine)  \(megabytes(run.bytes))  \(path)")
        }
        guard yes else {
            print("\(older.count) run(s) of an older engine, \(megabytes(total)); remove them with: experiments prune --yes\(results == "results" ? "" : " --results \(results)")")
            return
        }
        for run in older { try FileManager.default.removeItem(at: run.url) }
        print("removed \(older.count) run(s) of an older engine, \(megabytes(total))")
    }

    private func megabytes(_ bytes: Int64) -> String { String(format: "%.1f MB", Double(bytes) / 1_000_000) }
}
