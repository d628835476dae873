import Foundation
import Logging
import CurateCore
import Pipeline
import Fetch
import FetchTestServer

/// A project folder with one pipeline whose `source.fetch` is `fetch` (YAML), for fetch tests.
final class FetchProject {
    let root = NSTemporaryDirectory() + "curate-fetch-" + UUID().uuidString
    let path: String

    init(fetch: String, path: String = "Raw/test/data.csv") throws {
        self.path = path
        try FileManager.default.createDirectory(atPath: root + "/Pipelines", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/Raw/test", withIntermediateDirectories: true)
        try """
            name: test-source
            title: Test source
            source:
              title: A table served by the test server
              path: \(path)
              fetch: \(fetch)
              publisher: Test server (synthetic)
              url: http://127.0.0.1/
            read:
              format: csv
            shape:
              period: {column: year, field: year}
              measures:
                - {column: value, name: value, unit: count}
            schema:
              fields:
                - {name: year, type: integer}
                - {name: measure, type: string}
                - {name: value, type: number}
                - {name: unit, type: string}
              primary_key: [year, measure]
            license: {name: CC0-1.0, path: https://creativecommons.org/publicdomain/zero/1.0/}

            """.write(toFile: root + "/Pipelines/test-source.yaml", atomically: true, encoding: .utf8)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    var file: String { root + "/" + path }
    var contents: String? { try? String(contentsOfFile: file, encoding: .utf8) }

    func write(_ text: String) throws {
        try text.write(toFile: file, atomically: true, encoding: .utf8)
    }

    var lock: SourceLock { (try? SourceLock.load(root: root)) ?? SourceLock() }
    var lockText: String { (try? String(contentsOfFile: root + "/Raw/sources.lock.json", encoding: .utf8)) ?? "" }

    /// Files left in the raw file's folder (a temporary file left behind would show here).
    var folderListing: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: (file as NSString).deletingLastPathComponent)) ?? []).sorted()
    }

    /// Every file under the project, as text, for checking that a secret was written nowhere.
    func everything() -> String {
        var out = ""
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let name = enumerator?.nextObject() as? String {
            if let data = FileManager.default.contents(atPath: root + "/" + name) { out += String(decoding: data, as: UTF8.self) + "\n" }
        }
        return out
    }

    func fetcher(_ environment: [String: String] = [:], logs: LogCapture? = nil) throws -> SourceFetcher {
        // Fast retries: the schedule is the same, the waits are milliseconds.
        var fetcher = SourceFetcher(project: try Project(root: root),
                                    environment: ["CURATE_FETCH_BACKOFF": "0.01"].merging(environment, uniquingKeysWith: { _, b in b }))
        if let logs { fetcher.logger = Logger(label: "test", factory: { _ in logs.handler() }) }
        return fetcher
    }
}

/// Collects log events as text (message and metadata), to check what logs would carry.
final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    var text: String { lock.withLock { lines.joined(separator: "\n") } }
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    func handler() -> CaptureHandler { CaptureHandler(capture: self) }
}

struct CaptureHandler: LogHandler {
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:], uniquingKeysWith: { _, b in b })
        capture.append("\(event.level) \(event.message) \(all.map { "\($0)=\($1)" }.sorted().joined(separator: " "))")
    }
}

extension FetchResult.Status {
    var error: CurateError? { if case .failed(let e) = self { return e }; return nil }
}
