import Foundation

/// Who the server answers. Bound to loopback, it answers only requests whose Host header is
/// localhost, 127.0.0.1 or [::1]: a web page elsewhere cannot reach it by pointing a DNS
/// name at 127.0.0.1 (DNS rebinding). Bound to any other address, every request must also
/// carry the random token printed at start (`?token=`, then a cookie), and the Host header
/// may also be the name the server was started with.
public struct AccessPolicy: Sendable {
    public let allowedHosts: Set<String>
    public let token: String?

    public static let cookieName = "experiments_serve_token"
    private static let loopbackNames: Set<String> = ["localhost", "127.0.0.1", "[::1]"]

    /// `host` as given to --host; a token is made when it is not a loopback address.
    public init(bindHost host: String) {
        if Self.isLoopback(host) {
            allowedHosts = Self.loopbackNames
            token = nil
        } else {
            allowedHosts = Self.loopbackNames.union([host.contains(":") ? "[\(host.lowercased())]" : host.lowercased()])
            var generator = SystemRandomNumberGenerator()
            token = (0..<4).map { _ in String(format: "%016llx", generator.next() as UInt64) }.joined()
        }
    }

    public static func isLoopback(_ host: String) -> Bool {
        ["localhost", "127.0.0.1", "::1"].contains(host.lowercased())
    }

    public enum Verdict: Equatable, Sendable {
        case allowed
        /// The token came in the query: answer, and set the cookie so the page's own requests carry it.
        case allowedSettingCookie
        case badHost(String)
        case noToken
    }

    public func check(host: String?, queryToken: String?, cookies: String?) -> Verdict {
        guard let host, allowedHosts.contains(Self.hostName(host)) else { return .badHost(host ?? "") }
        guard let token else { return .allowed }
        if let queryToken, Self.same(queryToken, token) { return .allowedSettingCookie }
        let cookie = (cookies ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            .first { $0.hasPrefix(Self.cookieName + "=") }.map { String($0.dropFirst(Self.cookieName.count + 1)) }
        return cookie.map { Self.same($0, token) } == true ? .allowed : .noToken
    }

    /// "localhost:8050" -> "localhost", "[::1]:8050" -> "[::1]", lower-case.
    static func hostName(_ header: String) -> String {
        let host = header.lowercased()
        if host.hasPrefix("["), let end = host.firstIndex(of: "]") { return String(host[...end]) }
        return String(host.split(separator: ":", maxSplits: 1).first ?? "")
    }

    /// Compares in time that does not depend on where the strings first differ.
    private static func same(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8), right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        return zip(left, right).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
