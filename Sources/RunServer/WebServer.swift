// The thin layer between FlyingFox and ServeRouter: binding, and converting requests and
// responses. Everything the server decides is in ServeRouter.
import FlyingFox
import FlyingSocks
import Foundation

/// Why the server could not start, in one line.
public struct ServeError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

public final class WebServer: Sendable {
    private let server: HTTPServer
    private let task: Task<Void, Never>
    public let port: UInt16

    /// Binds `host:port` (port 0: any free port) and serves `router` until `stop()`.
    public static func start(router: ServeRouter, host: String, port: UInt16) async throws -> WebServer {
        let server = HTTPServer(address: try socketAddress(host: host, port: port), timeout: 30,
                                logger: .disabled, handler: RouterHandler(router: router))
        let failure = FailureBox()
        let task = Task { do { try await server.run() } catch { failure.set(error) } }
        // run() fails at once when the address cannot be bound; otherwise it listens within moments.
        for _ in 0..<400 {
            if await server.isListening, let bound = boundPort(await server.listeningAddress) {
                return WebServer(server: server, task: task, port: bound)
            }
            if let error = failure.error { throw describe(error, host: host, port: port) }
            try await Task.sleep(nanoseconds: 25_000_000)
        }
        task.cancel()
        throw ServeError("\(host):\(port): the server did not start listening within 10 s")
    }

    private init(server: HTTPServer, task: Task<Void, Never>, port: UInt16) {
        self.server = server
        self.task = task
        self.port = port
    }

    private static func boundPort(_ address: Socket.Address?) -> UInt16? {
        switch address {
        case .ip4(_, let port)?, .ip6(_, let port)?: return port
        default: return nil
        }
    }

    /// Returns when the server stops (it runs until the process ends or `stop()`).
    public func wait() async {
        await task.value
    }

    public func stop() async {
        await server.stop(timeout: 0.2)
        await task.value
    }

    /// An IPv4 or IPv6 address, or a name resolved to its first IPv4 address.
    private static func socketAddress(host: String, port: UInt16) throws -> any SocketAddress {
        if host.contains(":") {
            guard let address = try? sockaddr_in6.inet6(ip6: host, port: port) else { throw ServeError("--host '\(host)' is not an IPv6 address") }
            return address
        }
        if let address = try? sockaddr_in.inet(ip4: host, port: port) { return address }
        var hints = addrinfo(), result: UnsafeMutablePointer<addrinfo>?
        hints.ai_family = AF_INET
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else {
            throw ServeError("--host '\(host)' is neither an IP address nor a name this machine resolves")
        }
        defer { freeaddrinfo(result) }
        var address = first.pointee.ai_addr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee }
        address.sin_port = port.bigEndian
        return address
    }

    private static func describe(_ error: any Error, host: String, port: UInt16) -> ServeError {
        guard case .failed(_, let code, let message)? = error as? SocketError else {
            return ServeError("\(host):\(port): cannot serve (\(error))")
        }
        switch code {
        case EADDRINUSE: return ServeError("port \(port) is in use on \(host): choose another with --port")
        case EADDRNOTAVAIL: return ServeError("--host \(host) is not an address of this machine")
        case EACCES: return ServeError("port \(port) needs privileges on this machine: choose one above 1023 with --port")
        default: return ServeError("\(host):\(port): cannot listen (\(message))")
        }
    }
}

/// The error of the server's run task, read by the task that waits for it to listen.
private final class FailureBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: (any Error)?
    var error: (any Error)? { lock.withLock { stored } }
    func set(_ error: any Error) { lock.withLock { stored = error } }
}

private struct RouterHandler: HTTPHandler {
    let router: ServeRouter

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        var query: [String: String] = [:]
        for item in request.query where query[item.name] == nil { query[item.name] = item.value }
        let answer = router.respond(to: ServeRequest(method: request.method.rawValue, path: request.path, query: query,
                                                     host: request.headers[.host], cookies: request.headers[.cookie]))
        var headers = HTTPHeaders()
        headers[.contentType] = answer.contentType
        for (name, value) in answer.headers { headers[HTTPHeader(name)] = value }
        return HTTPResponse(statusCode: HTTPStatusCode(answer.status, phrase: Self.phrase(answer.status)), headers: headers,
                            body: request.method == .HEAD ? Data() : answer.body)
    }

    private static func phrase(_ status: Int) -> String {
        [200: "OK", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
         405: "Method Not Allowed", 500: "Internal Server Error"][status] ?? "Status"
    }
}
