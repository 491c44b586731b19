import Foundation

/// An HTTP request as the router needs it (the HTTP library's type stays in HTTPServer.swift).
public struct ServeRequest: Sendable {
    public var method = "GET"
    public var path: String
    /// The first value of each query item, decoded.
    public var query: [String: String] = [:]
    /// The Host and Cookie headers: all the security checks read.
    public var host: String?
    public var cookies: String?
}

public struct ServeResponse: Sendable {
    public var status = 200
    public var contentType: String
    public var body: Data
    public var headers: [String: String] = [:]

    static func text(_ status: Int, _ message: String) -> ServeResponse {
        ServeResponse(status: status, contentType: "text/plain; charset=utf-8", body: Data((message + "\n").utf8))
    }

    static func json(_ value: some Encodable) -> ServeResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return ServeResponse(contentType: "application/json", body: try encoder.encode(value))
        } catch {
            return .text(500, "cannot encode the answer: \(error)")
        }
    }
}

/// Answers every request: the security checks, then one handler per path. Read-only: no
/// path writes anything, and files are found through the index only.
public final class ServeRouter: Sendable {
    public let index: RunIndex
    public let policy: AccessPolicy
    /// Where the chart library is (Debian's libjs-dygraphs, installed by scripts/setup.sh).
    public let chartLibrary: URL

    public static let debianDygraphs = URL(fileURLWithPath: "/usr/share/javascript/dygraphs")

    public init(index: RunIndex, policy: AccessPolicy, chartLibrary: URL = ServeRouter.debianDygraphs) {
        self.index = index
        self.policy = policy
        self.chartLibrary = chartLibrary
    }

    public func respond(to request: ServeRequest) -> ServeResponse {
        let verdict = policy.check(host: request.host, queryToken: request.query["token"], cookies: request.cookies)
        switch verdict {
        case .badHost(let host):
            return .text(403, "refused: Host '\(host)' is not one this server answers (DNS rebinding protection)")
        case .noToken:
            return .text(401, "this server needs the token it printed at start: open the URL it printed")
        case .allowed, .allowedSettingCookie:
            break
        }
        guard request.method == "GET" || request.method == "HEAD" else {
            return .text(405, "read-only: \(request.method) is not answered")
        }
        var response = route(request)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cache-Control"] = "no-store"
        if verdict == .allowedSettingCookie, let token = policy.token {
            response.headers["Set-Cookie"] = "\(AccessPolicy.cookieName)=\(token); Path=/; HttpOnly; SameSite=Strict"
        }
        return response
    }

    private func route(_ request: ServeRequest) -> ServeResponse {
        do {
            switch request.path {
            case "/": return Pages.html(.runs)
            case "/compare": return Pages.html(.compare)
            case "/run": return Pages.html(.run)
            case "/assets/serve.js": return Pages.script
            case "/assets/serve.css": return Pages.style
            case "/assets/dygraph.min.js": return chartFile("dygraph.min.js", type: "text/javascript")
            case "/assets/dygraph.min.css": return chartFile("dygraph.min.css", type: "text/css")
            case "/api/generation": return .json(["generation": index.snapshot.generation])
            case "/api/runs": return .json(RunsTableResponse(try RunQuery(request.query), snapshot: index.snapshot))
            case "/api/series": return .json(SeriesResponse(try SeriesRequest(request.query), snapshot: index.snapshot))
            case "/api/diff": return .json(DiffResponse(selection(request)))
            case "/api/csv": return try csv(request)
            case "/api/run": return runDetail(request)
            default:
                if request.path.hasPrefix("/files/") { return artifact(String(request.path.dropFirst("/files/".count))) }
                return .text(404, "no such page: \(request.path)")
            }
        } catch {
            return .text(400, "bad request: \(error)")
        }
    }

    private func selection(_ request: ServeRequest) -> RunSelection {
        RunSelection(ids: (request.query["ids"] ?? "").split(separator: ",").map(String.init), in: index.snapshot)
    }

    private func csv(_ request: ServeRequest) throws -> ServeResponse {
        guard let metric = request.query["metric"], !metric.isEmpty else { throw QueryError("metric: name one") }
        guard let axis = XAxis(rawValue: request.query["x"] ?? "epoch") else { throw QueryError("x must be epoch or wall") }
        let text = selectionCSV(selection(request), metric: metric, axis: axis)
        let name = metric.filter { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
        return ServeResponse(contentType: "text/csv; charset=utf-8", body: Data(text.utf8),
                             headers: ["Content-Disposition": "attachment; filename=\"runs-\(name).csv\""])
    }

    private func runDetail(_ request: ServeRequest) -> ServeResponse {
        let snapshot = index.snapshot
        guard let id = request.query["id"], let run = snapshot.run(id) else {
            return .text(404, "no run with that id in this results folder")
        }
        return .json(RunDetailResponse(run, snapshot: snapshot))
    }

    /// A report page or figure, by its key in the index; anything else, however spelt, is 404.
    private func artifact(_ key: String) -> ServeResponse {
        guard let url = index.snapshot.artifacts[key], let data = try? Data(contentsOf: url) else {
            return .text(404, "no such report file")
        }
        let types = ["html": "text/html; charset=utf-8", "md": "text/plain; charset=utf-8", "png": "image/png", "svg": "image/svg+xml"]
        // Reports are self-contained (images inline): they may load nothing and run no script.
        return ServeResponse(contentType: types[url.pathExtension] ?? "application/octet-stream", body: data,
                             headers: ["Content-Security-Policy": "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'"])
    }

    private func chartFile(_ name: String, type: String) -> ServeResponse {
        guard let data = try? Data(contentsOf: chartLibrary.appendingPathComponent(name)) else {
            return .text(500, "the chart library is missing (\(chartLibrary.path)/\(name)): run scripts/setup.sh")
        }
        return ServeResponse(contentType: type, body: data)
    }
}
