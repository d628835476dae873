import Pipeline

/// Where requests go. Every base URL can be pointed elsewhere by the environment, for a mirror or
/// a test server: `CURATE_ESTAT_BASE_URL`, `CURATE_SDMX_<NAME>_URL` (e.g. `CURATE_SDMX_OECD_URL`),
/// and for plain downloads `CURATE_FETCH_MIRROR` = `from=to` prefix pairs separated by `;`.
struct Endpoints {
    let environment: [String: String]

    static let estatDefault = "https://api.e-stat.go.jp/rest/3.0/app"

    var estat: String { trimmed(environment["CURATE_ESTAT_BASE_URL"] ?? Self.estatDefault) }

    func sdmx(_ endpoint: String) -> String {
        if let known = FetchSpec.SDMX.knownEndpoints[endpoint] {
            return trimmed(environment["CURATE_SDMX_\(endpoint.uppercased())_URL"] ?? known)
        }
        return trimmed(endpoint)
    }

    /// A download URL after the mirror's prefix rewrites (the first matching prefix wins).
    func mirrored(_ url: String) -> String {
        for pair in (environment["CURATE_FETCH_MIRROR"] ?? "").split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2, url.hasPrefix(parts[0]) { return parts[1] + url.dropFirst(parts[0].count) }
        }
        return url
    }

    private func trimmed(_ base: String) -> String { base.hasSuffix("/") ? String(base.dropLast()) : base }
}

/// `name=value&…`, percent-encoded the way query strings need (RFC 3986 unreserved kept).
func queryString(_ params: [(String, String)]) -> String {
    params.map { "\(percentEncoded($0.0))=\(percentEncoded($0.1))" }.joined(separator: "&")
}

func percentEncoded(_ text: String) -> String {
    let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
    return text.utf8.map { unreserved.contains($0) ? String(UnicodeScalar($0)) : String(format: "%%%02X", $0) }.joined()
}

import Foundation
