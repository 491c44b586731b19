import ArgumentParser
import Foundation
import RunServer

struct ServeRuns: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "A local web page over the stored runs: the runs table, compare any runs, each run's page, live.",
        discussion: """
        Indexes every run file under the results folder (all studies) and serves,
        read-only: the runs table (filter, sort on any metric's last, best, min or
        max, config columns), the compare page (curves against epoch or wall time,
        smoothing, log scale, mean and min-max bands grouped by a config key, the
        config keys that differ, CSV export) and a page per run with its study's
        report and figures. A running study's runs appear and update as it trains.
        Every view's state is in its URL.

        It answers only Host headers localhost, 127.0.0.1 and [::1]. With any other
        --host (a name or address of this machine) it listens there and prints a URL
        with a random token that every request must carry; it then also answers
        requests addressed to that host.

        Examples:
          experiments serve                     http://127.0.0.1:6070/
          experiments serve --results ~/old --port 7000
          experiments serve --host mybox.lan    http://mybox.lan:6070/?token=...
        """)

    @Option(help: ArgumentHelp("The results folder to serve.", valueName: "dir"))
    var results = "results"

    @Option(help: "The port to listen on (0: any free port).")
    var port = 6070

    @Option(help: ArgumentHelp("The address to listen on. Anything but 127.0.0.1, localhost or ::1 requires the printed token.", valueName: "host"))
    var host = "127.0.0.1"

    func run() throws {
        let session = ServeSession(results: URL(fileURLWithPath: results, isDirectory: true), host: host, port: port)
        try session.run { line in FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
    }
}
