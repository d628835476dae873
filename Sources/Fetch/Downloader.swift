import Foundation
import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import Logging
import CurateCore

/// One HTTP GET, done properly: conditional headers, retries with backoff on 429/5xx and dropped
/// connections (Retry-After honoured), connect and read timeouts, a redirect limit, a size limit,
/// the proxy from the environment, and the body streamed into a `StagedFile`.
struct Downloader {
    let policy: FetchPolicy
    let environment: [String: String]
    let redaction: Redaction
    let logger: Logger
    /// Waits between attempts (tests of the retry schedule need no real sleeping beyond milliseconds).
    var sleep: @Sendable (Double) async throws -> Void = { try await Task.sleep(nanoseconds: UInt64(max(0, $0) * 1e9)) }

    struct Validators: Sendable { var etag: String?; var lastModified: String? }

    struct Received {
        var status: Int
        var contentType: String?
        var etag: String?
        var lastModified: String?
        /// The URL that answered (after redirects).
        var url: String
    }

    enum Outcome {
        case notModified
        case received(Received)
        /// A final error status (404, or 4xx/5xx after its retries) with the start of its body, for service messages.
        case refused(status: Int, reason: String, body: [UInt8])
    }

    /// GETs `url` into `file` (which is reset first). Throws `fetch-error` for what no retry mended.
    func get(_ url: String, accept: String? = nil, validators: Validators? = nil, into file: StagedFile) async throws -> Outcome {
        let shown = redaction.redacted(url)
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: nil,
            redirectConfiguration: .follow(max: policy.maxRedirects, allowCycles: false),
            timeout: .init(connect: .milliseconds(Int64(policy.connectTimeout * 1000)), read: .milliseconds(Int64(policy.readTimeout * 1000))),
            connectionPool: .init(),
            proxy: ProxySettings.proxy(for: url, environment: environment),
            ignoreUncleanSSLShutdown: false,
            decompression: .disabled)
        configuration.httpVersion = .http1Only
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let outcome: Result<Outcome, Error>
        do { outcome = .success(try await attempts(url, shown: shown, accept: accept, validators: validators, client: client, into: file)) } catch {
            outcome = .failure(error)
        }
        try? await client.shutdown()
        return try outcome.get()
    }

    private func attempts(_ url: String, shown: String, accept: String?, validators: Validators?, client: HTTPClient, into file: StagedFile) async throws -> Outcome {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "User-Agent", value: "curate (official-statistics ETL; +https://github.com/curate)")
        if let accept { request.headers.add(name: "Accept", value: accept) }
        if let etag = validators?.etag { request.headers.add(name: "If-None-Match", value: etag) }
        if let modified = validators?.lastModified { request.headers.add(name: "If-Modified-Since", value: modified) }

        var attempt = 0
        while true {
            attempt += 1
            try file.reset()
            var retryAfter: Double? = nil
            var failure = ""
            do {
                // A generous deadline for the whole transfer; stalls are caught by the read timeout.
                let response = try await client.execute(request, timeout: .hours(6))
                let status = Int(response.status.code)
                switch status {
                case 200..<300:
                    return .received(try await receive(response, url: url, shown: shown, into: file))
                case 304:
                    return .notModified
                case 429, 500, 502, 503, 504:
                    _ = try? await response.body.collect(upTo: 1 << 16)
                    retryAfter = Self.retryAfter(response.headers.first(name: "Retry-After"))
                    failure = "HTTP \(status) \(response.status.reasonPhrase)"
                    if let retryAfter, retryAfter > policy.maxRetryAfter {
                        throw CurateError(.fetchError, "\(failure) from \(shown): the server asks to retry after \(Int(retryAfter)) s, beyond the \(Int(policy.maxRetryAfter)) s limit")
                    }
                default:
                    var body: [UInt8] = []
                    for try await chunk in response.body {
                        body += chunk.readableBytesView.prefix(65_536 - body.count)
                        if body.count >= 65_536 { break }
                    }
                    return .refused(status: status, reason: response.status.reasonPhrase, body: body)
                }
            } catch let error as HTTPClientError {
                switch error {
                case .redirectCycleDetected:
                    throw CurateError(.fetchError, "redirect loop: \(shown) redirects back to a URL already visited")
                case .redirectLimitReached:
                    throw CurateError(.fetchError, "more than \(policy.maxRedirects) redirects from \(shown)")
                default:
                    retryAfter = nil
                    failure = "\(Self.describe(error)) (\(shown))"
                }
            } catch let error as Truncated {
                retryAfter = nil
                failure = "truncated download from \(shown): HTTP \(error.status), \(error.received) of \(error.expected.map(String.init) ?? "?") bytes received" + (error.cause.map { " (\($0))" } ?? "")
            } catch let error as CurateError {
                throw error
            } catch {
                // Connection refused, reset, DNS: transient until the retries run out.
                retryAfter = nil
                failure = "\(error) (\(shown))"
            }
            guard attempt <= policy.retries else {
                throw CurateError(.fetchError, failure + (attempt > 1 ? " (gave up after \(attempt) attempts)" : ""))
            }
            let wait = retryAfter ?? policy.backoff * pow(2, Double(attempt - 1)) * Double.random(in: 0.8...1.2)
            logger.warning("fetch retrying", metadata: ["url": .string(shown), "attempt": .stringConvertible(attempt),
                                                         "reason": .string(failure), "wait_seconds": .string(String(format: "%.3f", wait))])
            try await sleep(wait)
        }
    }

    struct Truncated: Error { var status: Int; var received: Int; var expected: Int?; var cause: String? = nil }

    /// Streams a 2xx body into the file, refusing it past the size limit or short of its Content-Length.
    private func receive(_ response: HTTPClientResponse, url: String, shown: String, into file: StagedFile) async throws -> Received {
        let status = Int(response.status.code)
        let declared = response.headers.first(name: "Content-Length").flatMap(Int.init)
        if let declared, declared > policy.maxBytes {
            throw CurateError(.fetchError, "oversized download from \(shown): HTTP \(status), Content-Length \(declared) bytes exceeds the \(policy.maxBytes)-byte limit (CURATE_FETCH_MAX_BYTES)")
        }
        do {
            for try await chunk in response.body {
                if file.bytes + chunk.readableBytes > policy.maxBytes {
                    throw CurateError(.fetchError, "oversized download from \(shown): HTTP \(status), more than the \(policy.maxBytes)-byte limit (CURATE_FETCH_MAX_BYTES) arrived")
                }
                try file.write(chunk.readableBytesView)
            }
        } catch let error as CurateError {
            throw error
        } catch {
            // The connection closed, reset or timed out mid-body (AHC reports an early close as an
            // HTTP parser error): what arrived is incomplete.
            throw Truncated(status: status, received: file.bytes, expected: declared, cause: "\(error)")
        }
        if let declared, file.bytes < declared {
            throw Truncated(status: status, received: file.bytes, expected: declared)
        }
        return Received(status: status, contentType: response.headers.first(name: "Content-Type"),
                        etag: response.headers.first(name: "ETag"), lastModified: response.headers.first(name: "Last-Modified"),
                        url: url)
    }

    /// Retry-After as seconds: a number, or an HTTP date.
    static func retryAfter(_ value: String?) -> Double? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value) { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: value).map { max(0, $0.timeIntervalSinceNow) }
    }

    static func describe(_ error: HTTPClientError) -> String {
        switch error {
        case .connectTimeout: return "connect timeout"
        case .readTimeout: return "read timeout (no bytes for too long)"
        case .remoteConnectionClosed: return "connection closed by the server"
        case .deadlineExceeded: return "transfer took too long"
        default: return "\(error)"
        }
    }
}
