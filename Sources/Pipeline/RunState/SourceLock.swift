import Foundation
import Crypto
import CurateCore
import Validate

/// `Raw/sources.lock.json`: what `curate fetch` last fetched for each raw file, so a later run can
/// prove which bytes a curated value came from, and notice a file changed by hand. Committed.
/// Written only by `curate fetch`; `curate run` reads it.
public struct SourceLock: Codable, Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
        /// The URL asked for, with secrets (the e-Stat application id) replaced by `REDACTED`.
        public var url: String
        public var sha256: String
        public var bytes: Int
        /// ISO 8601, UTC: when these bytes arrived.
        public var retrievedAt: String
        /// The validators sent back as If-None-Match / If-Modified-Since on the next fetch.
        public var etag: String?
        public var lastModified: String?
        public var contentType: String?
        /// e-Stat: how many API pages were merged into the file (nil for a single response).
        public var pages: Int?

        public init(url: String, sha256: String, bytes: Int, retrievedAt: String, etag: String? = nil,
                    lastModified: String? = nil, contentType: String? = nil, pages: Int? = nil) {
            self.url = url; self.sha256 = sha256; self.bytes = bytes; self.retrievedAt = retrievedAt
            self.etag = etag; self.lastModified = lastModified; self.contentType = contentType; self.pages = pages
        }

        enum CodingKeys: String, CodingKey {
            case url, sha256, bytes, etag, pages
            case retrievedAt = "retrieved_at", lastModified = "last_modified", contentType = "content_type"
        }
    }

    public static let file = "Raw/sources.lock.json"
    public var version = 1
    /// Raw path (relative to the project root, as in `source.path`) → what was fetched there.
    public var files: [String: Entry] = [:]

    public init() {}

    /// The project's lock; an absent file is an empty lock, an unreadable one an `io-error`.
    public static func load(root: String) throws -> SourceLock {
        guard let data = FileManager.default.contents(atPath: root + "/" + file) else { return SourceLock() }
        do { return try JSONDecoder().decode(SourceLock.self, from: data) } catch {
            throw CurateError(.ioError, "not a valid lock file: \(error)", at: SourceLocation(file: file))
        }
    }

    public func encoded() throws -> Data { try CanonicalJSON.encode(self) }

    /// The SHA-256 of a file, streamed (a raw file can be larger than memory): the run's own
    /// `RawFileHash`, so the lock and the releases name a file by the same digest.
    public static func sha256(ofFile path: String) throws -> (digest: String, bytes: Int) {
        let hash = try RawFileHash.of(path, as: path)
        return (hash.sha256, hash.bytes)
    }

    /// A raw file that no longer holds the bytes fetched: a `raw-not-as-fetched` warning naming the file and
    /// both digests, under the check `source-lock`. Files never fetched are not checked (no check is
    /// added, so their reports stay as they were).
    func check(_ relative: String, root: String, into report: inout ReportBuilder) {
        guard let entry = files[relative] else { return }
        report.begin("source-lock", severity: .warning)
        guard let actual = try? Self.sha256(ofFile: root + "/" + relative) else { return }
        report.count(passed: actual.digest == entry.sha256)
        if actual.digest != entry.sha256 {
            report.add(Finding(.rawNotAsFetched, check: "source-lock", location: SourceLocation(file: relative),
                               expected: "sha256 \(entry.sha256) (\(entry.bytes) bytes, fetched \(entry.retrievedAt) from \(entry.url))",
                               actual: "sha256 \(actual.digest) (\(actual.bytes) bytes)"))
        }
    }
}
