import Foundation

/// `experiments serve` from start to stop: check the folder, index it, bind, say where, then
/// refresh the index every `refreshInterval` seconds until the process ends.
public struct ServeSession {
    public let results: URL
    public let host: String
    public let port: Int
    public var refreshInterval: TimeInterval = 2

    public init(results: URL, host: String, port: Int) {
        self.results = results
        self.host = host
        self.port = port
    }

    /// Checks what can be checked before any work: one ServeError line each.
    public func validate() throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: results.path, isDirectory: &isFolder) else {
            throw ServeError("results folder '\(results.relativePath)' does not exist: run a study first (swift run experiments run init-study) or name one with --results")
        }
        guard isFolder.boolValue else { throw ServeError("--results '\(results.relativePath)' is a file, not a folder") }
        guard (0...65535).contains(port) else { throw ServeError("--port must be from 1 to 65535 (0: any free port), not \(port)") }
        guard !host.isEmpty, !host.contains("/"), !host.contains(" ") else { throw ServeError("--host '\(host)' is not a host name or address") }
    }

    /// Serves until the process is stopped; `say` gets the lines a user reads (where to point the browser).
    public func run(say: @escaping @Sendable (String) -> Void) throws -> Never {
        try validate()
        let index = RunIndex(results: results)
        let started = Date()
        index.refresh()
        let snapshot = index.snapshot
        let unreadable = snapshot.runs.filter { $0.contents == nil }.count
        say("indexed \(snapshot.runs.count) runs (\(unreadable) unreadable) under \(results.relativePath) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        let policy = AccessPolicy(bindHost: host)
        let router = ServeRouter(index: index, policy: policy)
        let server = try blocking { try await WebServer.start(router: router, host: self.host, port: UInt16(self.port)) }
        let shown = host.contains(":") ? "[\(host)]" : host
        say("serving http://\(shown):\(server.port)/\(policy.token.map { "?token=\($0)" } ?? "") (read-only; Ctrl-C stops)")
        if policy.token != nil { say("not loopback: the page and the API answer only with that token") }
        let interval = refreshInterval
        Thread.detachNewThread {
            var lastDuration = 0.0
            while true {
                // A huge folder is listed less often, so listing never takes more than a fifth of a core.
                Thread.sleep(forTimeInterval: max(interval, 4 * lastDuration))
                let start = Date()
                index.refresh()
                lastDuration = Date().timeIntervalSince(start)
            }
        }
        blocking { await server.wait() }
        exit(0)
    }
}

/// The result an async task hands to the thread waiting for it (written before the signal).
private final class Outcome<Value>: @unchecked Sendable {
    var result: Result<Value, any Error>?
}

/// Runs async work from synchronous code (the CLI's run()) and waits for its result.
func blocking<Value: Sendable>(_ body: @escaping @Sendable () async throws -> Value) throws -> Value {
    let outcome = Outcome<Value>(), done = DispatchSemaphore(value: 0)
    Task {
        do { outcome.result = .success(try await body()) } catch { outcome.result = .failure(error) }
        done.signal()
    }
    done.wait()
    return try outcome.result!.get()
}

func blocking(_ body: @escaping @Sendable () async -> Void) {
    let done = DispatchSemaphore(value: 0)
    Task {
        await body()
        done.signal()
    }
    done.wait()
}
