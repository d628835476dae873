import Foundation

/// The limits every download obeys. Defaults suit a yearly refresh of government tables; each can
/// be set from the environment (cron, a test server) without a flag: `CURATE_FETCH_<NAME>`.
public struct FetchPolicy: Sendable {
    /// A body larger than this is refused (Content-Length up front, or bytes as they arrive).
    public var maxBytes: Int = 2 << 30
    public var maxRedirects = 5
    public var connectTimeout: Double = 30
    /// Longest silence while waiting for bytes.
    public var readTimeout: Double = 120
    /// Further attempts after a 429, a 5xx, a dropped connection or a timeout.
    public var retries = 4
    /// First wait before a retry; doubled each time (with jitter), unless the server sends Retry-After.
    public var backoff: Double = 2
    /// A Retry-After longer than this gives up instead of sleeping through a cron window.
    public var maxRetryAfter: Double = 300

    public init() {}

    /// The defaults, overridden by `CURATE_FETCH_MAX_BYTES`, `…_MAX_REDIRECTS`, `…_CONNECT_TIMEOUT`,
    /// `…_READ_TIMEOUT`, `…_RETRIES`, `…_BACKOFF` and `…_MAX_RETRY_AFTER` (seconds may have decimals).
    public static func from(environment env: [String: String]) -> FetchPolicy {
        var p = FetchPolicy()
        func number(_ name: String) -> Double? { env["CURATE_FETCH_" + name].flatMap(Double.init) }
        if let v = number("MAX_BYTES") { p.maxBytes = Int(v) }
        if let v = number("MAX_REDIRECTS") { p.maxRedirects = Int(v) }
        if let v = number("CONNECT_TIMEOUT") { p.connectTimeout = v }
        if let v = number("READ_TIMEOUT") { p.readTimeout = v }
        if let v = number("RETRIES") { p.retries = Int(v) }
        if let v = number("BACKOFF") { p.backoff = v }
        if let v = number("MAX_RETRY_AFTER") { p.maxRetryAfter = v }
        return p
    }
}
