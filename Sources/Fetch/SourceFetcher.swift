import Foundation
import Logging
import CurateCore
import Pipeline

/// What `curate fetch` did for one raw file.
public struct FetchResult: Sendable {
    public enum Status: Sendable, Equatable {
        /// New bytes written to the raw file (and recorded in the lock).
        case fetched
        /// The server answered 304 to the lock's validators: nothing rewritten.
        case notModified
        /// The server sent the bytes already there: nothing rewritten.
        case unchanged
        case failed(CurateError)

        public static func == (a: Status, b: Status) -> Bool {
            switch (a, b) {
            case (.fetched, .fetched), (.notModified, .notModified), (.unchanged, .unchanged): return true
            case (.failed(let x), .failed(let y)): return x.description == y.description
            default: return false
            }
        }
    }

    public var dataset: String
    /// The raw file, relative to the project root (`source.path`).
    public var path: String
    /// The URL asked for, secrets redacted.
    public var url: String
    public var status: Status
    /// The lock entry as it now stands (nil when the fetch failed before anything was recorded).
    public var entry: SourceLock.Entry?
}

/// Fetches the raw files of the pipelines that declare `source.fetch`, writing each atomically
/// into its `source.path` and recording what arrived in Raw/sources.lock.json.
public struct SourceFetcher: Sendable {
    public let project: Project
    public var policy: FetchPolicy
    public var environment: [String: String]
    public var logger = Logger(label: "curate", factory: { _ in SwiftLogNoOpLogHandler() })

    public init(project: Project, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.project = project
        self.environment = environment
        self.policy = FetchPolicy.from(environment: environment)
    }

    /// `fetch` for synchronous callers (the command line). Never call it from a task on Swift's
    /// cooperative pool: it blocks its thread until the fetch, which needs the pool, is done.
    public func fetchBlocking(datasets names: [String], onlyThoseWithFetch: Bool = false) throws -> [FetchResult] {
        try blocking { try await fetch(datasets: names, onlyThoseWithFetch: onlyThoseWithFetch) }
    }

    /// Fetches the named datasets (every dataset with `source.fetch` when none is named). A spec
    /// problem throws before anything is fetched; a failed download is that dataset's result and
    /// the others go on. `onlyThoseWithFetch` (for `run --fetch`): a named dataset without
    /// `source.fetch` is passed over instead of being an error.
    public func fetch(datasets names: [String], onlyThoseWithFetch: Bool = false) async throws -> [FetchResult] {
        let specs = try project.loadSpecs()
        let chosen: [PipelineSpec]
        if names.isEmpty {
            chosen = specs.filter { $0.source.fetch != nil }
        } else {
            chosen = try names.map { name in
                guard let spec = specs.first(where: { $0.name == name }) else {
                    throw CurateError(.specError, "no pipeline named \(name) (have: \(specs.map(\.name).joined(separator: ", ")))")
                }
                guard spec.source.fetch != nil || onlyThoseWithFetch else {
                    throw CurateError(.specError, "pipeline \(name) has no source.fetch: its raw file is delivered by hand", at: SourceLocation(file: spec.file))
                }
                return spec
            }.filter { $0.source.fetch != nil }
        }
        return try await fetchAll(chosen)
    }

    private func fetchAll(_ specs: [PipelineSpec]) async throws -> [FetchResult] {
        var lock = try SourceLock.load(root: project.root)
        var results: [FetchResult] = []
        for spec in specs {
            var log = logger
            log[metadataKey: "dataset"] = .string(spec.name)
            let started = Date()
            let before = results.count
            do {
                results += try await fetch(spec, lock: &lock, logger: log)
            } catch let error as CurateError {
                results.append(FetchResult(dataset: spec.name, path: spec.source.path, url: shownURL(spec), status: .failed(error), entry: nil))
            } catch {
                results.append(FetchResult(dataset: spec.name, path: spec.source.path, url: shownURL(spec),
                                           status: .failed(CurateError(.fetchError, "\(error)", at: SourceLocation(file: spec.source.path))), entry: nil))
            }
            for result in results[before...] { Self.log(result, since: started, to: log) }
        }
        return results
    }

    private func fetch(_ spec: PipelineSpec, lock: inout SourceLock, logger: Logger) async throws -> [FetchResult] {
        let estatID = environment["ESTAT_APP_ID"]
        let redaction = Redaction(secrets: [estatID])
        let downloader = Downloader(policy: policy, environment: environment, redaction: redaction, logger: logger)
        let endpoints = Endpoints(environment: environment)
        let path = spec.source.path
        switch spec.source.fetch! {
        case .url(let declared):
            let url = endpoints.mirrored(declared)
            return [try await download(url, accept: nil, dataset: spec.name, path: path, lock: &lock, downloader: downloader,
                                       check: Self.notAWebPage(path))]
        case .sdmx(let sdmx):
            let query = SDMXQuery(query: sdmx, base: endpoints.sdmx(sdmx.endpoint))
            let check: Check = { file, shown, _ in
                if let message = try SDMXQuery.serviceMessage(inFile: file) {
                    throw CurateError(.sdmxError, "SDMX service message instead of the data from \(shown): \(message)", at: SourceLocation(file: path))
                }
            }
            var results = [try await download(query.dataURL, accept: SDMXQuery.dataAccept, dataset: spec.name, path: path, lock: &lock,
                                              downloader: downloader, check: check)]
            if sdmx.structure {
                results.append(try await download(query.structureURL, accept: SDMXQuery.structureAccept, dataset: spec.name,
                                                  path: SDMXQuery.structurePath(for: path), lock: &lock, downloader: downloader, check: check))
            }
            return results
        case .estat(let query):
            guard let appID = estatID, !appID.isEmpty else {
                throw CurateError(.fetchError, "ESTAT_APP_ID is not set: the e-Stat API needs an application id (register at https://www.e-stat.go.jp/mypage/user/preregister), read from the environment only",
                                  at: SourceLocation(file: path))
            }
            let pages = EStatPages(query: query, appID: appID, base: endpoints.estat, downloader: downloader)
            let target = project.root + "/" + path
            let staged = try StagedFile(destination: target)
            defer { staged.discard() }
            let count = try await pages.fetch(into: staged)
            let received = Downloader.Received(status: 200, contentType: query.format == .json ? "application/json" : "application/xml",
                                               etag: nil, lastModified: nil, url: pages.lockURL)
            return [try record(staged, received, shownURL: pages.lockURL, pages: count, dataset: spec.name, path: path, lock: &lock)]
        }
    }

    /// The (first) URL a spec's fetch asks for, as shown: secrets redacted.
    private func shownURL(_ spec: PipelineSpec) -> String {
        let endpoints = Endpoints(environment: environment)
        let redaction = Redaction(secrets: [environment["ESTAT_APP_ID"]])
        switch spec.source.fetch {
        case .url(let url): return endpoints.mirrored(url)
        case .sdmx(let sdmx): return SDMXQuery(query: sdmx, base: endpoints.sdmx(sdmx.endpoint)).dataURL
        case .estat(let query):
            let downloader = Downloader(policy: policy, environment: environment, redaction: redaction, logger: logger)
            return EStatPages(query: query, appID: environment["ESTAT_APP_ID"] ?? "", base: endpoints.estat, downloader: downloader).lockURL
        case nil: return ""
        }
    }

    /// One GET into one raw file: conditional on the lock's validators while the file still holds
    /// the bytes the lock records; an error status names itself and the URL.
    private func download(_ url: String, accept: String?, dataset: String, path: String, lock: inout SourceLock,
                          downloader: Downloader, check: Check?) async throws -> FetchResult {
        let target = project.root + "/" + path
        let shown = downloader.redaction.redacted(url)
        let previous = lock.files[path]
        var validators: Downloader.Validators?
        if let previous, (previous.etag != nil || previous.lastModified != nil),
           let current = try? SourceLock.sha256(ofFile: target), current.digest == previous.sha256 {
            validators = .init(etag: previous.etag, lastModified: previous.lastModified)
        }
        let staged = try StagedFile(destination: target)
        defer { staged.discard() }
        switch try await downloader.get(url, accept: accept, validators: validators, into: staged) {
        case .notModified:
            return FetchResult(dataset: dataset, path: path, url: shown, status: .notModified, entry: previous)
        case .refused(let status, let reason, let body):
            if accept == SDMXQuery.dataAccept || accept == SDMXQuery.structureAccept, let message = SDMXQuery.serviceMessage(in: body) {
                throw CurateError(.sdmxError, "HTTP \(status) \(reason) from \(shown): \(message)", at: SourceLocation(file: path))
            }
            throw CurateError(.fetchError, "HTTP \(status) \(reason) from \(shown)", at: SourceLocation(file: path))
        case .received(let received):
            try check?(staged.path, shown, received.contentType)
            return try record(staged, received, shownURL: shown, pages: nil, dataset: dataset, path: path, lock: &lock)
        }
    }

    /// Moves a complete download into place (unless the file already holds these bytes) and records it.
    private func record(_ staged: StagedFile, _ received: Downloader.Received, shownURL: String, pages: Int?,
                        dataset: String, path: String, lock: inout SourceLock) throws -> FetchResult {
        let target = project.root + "/" + path
        let digest = staged.sha256
        var entry = SourceLock.Entry(url: shownURL, sha256: digest, bytes: staged.bytes, retrievedAt: Self.timestamp(),
                                     etag: received.etag, lastModified: received.lastModified, contentType: received.contentType, pages: pages)
        let status: FetchResult.Status
        if let current = try? SourceLock.sha256(ofFile: target), current.digest == digest {
            staged.discard()
            status = .unchanged
            // Same bytes: keep the lock's record of when they first arrived; take the new validators.
            if let previous = lock.files[path], previous.sha256 == digest { entry.retrievedAt = previous.retrievedAt }
        } else {
            try staged.commit()
            status = .fetched
        }
        if lock.files[path] != entry {
            lock.files[path] = entry
            try StagedFile.write(try lock.encoded(), to: project.root + "/" + SourceLock.file)
        }
        return FetchResult(dataset: dataset, path: path, url: shownURL, status: status, entry: entry)
    }

    /// A publisher's site answers a moved file with its HTML page (a "soft 404", or the landing page
    /// a spec points at until the file's own link is confirmed): refused, unless the raw file is HTML.
    static func notAWebPage(_ path: String) -> Check {
        { _, shown, contentType in
            let type = (contentType ?? "").lowercased()
            let ext = (path as NSString).pathExtension.lowercased()
            if type.hasPrefix("text/html") && ext != "html" && ext != "htm" {
                throw CurateError(.fetchError, "\(shown) sent a web page (Content-Type \(type)), not the data file \(path) expects: the download link has moved or the spec points at a landing page",
                                  at: SourceLocation(file: path))
            }
        }
    }

    static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date())
    }

    static func log(_ result: FetchResult, since start: Date, to logger: Logger) {
        var metadata: Logger.Metadata = ["path": .string(result.path), "url": .string(result.url),
                                         "seconds": .string(String(format: "%.3f", Date().timeIntervalSince(start)))]
        if let entry = result.entry { metadata["sha256"] = .string(entry.sha256); metadata["bytes"] = .stringConvertible(entry.bytes) }
        switch result.status {
        case .fetched: logger.notice("source fetched anew", metadata: metadata)
        case .notModified: logger.info("source not modified (304)", metadata: metadata)
        case .unchanged: logger.info("source unchanged", metadata: metadata)
        case .failed(let error):
            metadata["code"] = .string(error.code.rawValue); metadata["error"] = .string(error.description)
            logger.error("source not fetched: previous file kept", metadata: metadata)
        }
    }
}

/// A look at a complete download before it replaces the raw file: (temporary file, URL shown, Content-Type).
typealias Check = @Sendable (String, String, String?) throws -> Void

/// Runs async work from the synchronous command line (curate's commands are synchronous).
func blocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task {
        do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
        done.signal()
    }
    done.wait()
    return try box.result!.get()
}

/// Carries a task's result to the waiting thread (written once, read after the semaphore).
private final class ResultBox<T>: @unchecked Sendable { var result: Result<T, Error>? }
