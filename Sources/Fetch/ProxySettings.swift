import AsyncHTTPClient

/// The proxy a URL goes through, from the usual variables: `https_proxy`/`HTTPS_PROXY` for https,
/// `http_proxy`/`HTTP_PROXY` for http, none when the host matches `no_proxy`/`NO_PROXY`
/// (exact host, `.suffix` or `suffix`, `*` for all). Lower case wins, as in curl.
enum ProxySettings {
    static func proxy(for url: String, environment env: [String: String]) -> HTTPClient.Configuration.Proxy? {
        guard let parts = URLParts(url) else { return nil }
        let noProxy = (env["no_proxy"] ?? env["NO_PROXY"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for pattern in noProxy where !pattern.isEmpty {
            if pattern == "*" { return nil }
            let bare = pattern.hasPrefix(".") ? String(pattern.dropFirst()) : pattern
            if parts.host == bare || parts.host.hasSuffix("." + bare) { return nil }
        }
        let names = parts.scheme == "https" ? ["https_proxy", "HTTPS_PROXY"] : ["http_proxy", "HTTP_PROXY"]
        guard let value = names.lazy.compactMap({ env[$0] }).first(where: { !$0.isEmpty }) else { return nil }
        let withScheme = value.contains("://") ? value : "http://" + value
        guard let proxy = URLParts(withScheme) else { return nil }
        if let user = proxy.user {
            return .server(host: proxy.host, port: proxy.port, authorization: .basic(username: user, password: proxy.password ?? ""))
        }
        return .server(host: proxy.host, port: proxy.port)
    }
}

/// Scheme, host and port of a URL, without Foundation's URL (which accepts too much).
struct URLParts {
    var scheme: String, host: String, port: Int
    var user: String?, password: String?

    init?(_ text: String) {
        guard let schemeEnd = text.range(of: "://") else { return nil }
        scheme = text[..<schemeEnd.lowerBound].lowercased()
        var authority = String(text[schemeEnd.upperBound...].prefix(while: { $0 != "/" && $0 != "?" && $0 != "#" }))
        if let at = authority.lastIndex(of: "@") {
            let credentials = authority[..<at].split(separator: ":", maxSplits: 1).map(String.init)
            user = credentials.first.flatMap { $0.removingPercentEncoding }
            password = credentials.count > 1 ? credentials[1].removingPercentEncoding : nil
            authority = String(authority[authority.index(after: at)...])
        }
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            host = String(authority[authority.index(after: authority.startIndex)..<close]).lowercased()
            let rest = authority[authority.index(after: close)...]
            port = rest.hasPrefix(":") ? Int(rest.dropFirst()) ?? 0 : (scheme == "https" ? 443 : 80)
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon].lowercased()
            guard let p = Int(authority[authority.index(after: colon)...]) else { return nil }
            port = p
        } else {
            host = authority.lowercased()
            port = scheme == "https" ? 443 : 80
        }
        guard !host.isEmpty else { return nil }
    }
}

import Foundation
