import ArgumentParser
import Foundation
import Logging
import CurateCore
import Pipeline
import Fetch

struct FetchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download the raw files of pipelines that declare source.fetch, and record them in Raw/sources.lock.json.",
        discussion: """
            Each file is asked for conditionally (If-None-Match / If-Modified-Since from the lock): a 304, or the same bytes, rewrites nothing. A download is written to a temporary file beside its destination and renamed into place only when complete: a failed, truncated or oversized download leaves the previous file untouched. 429 and 5xx answers are retried with backoff, honouring Retry-After.

            e-Stat sources need ESTAT_APP_ID in the environment (never written to disk or logs). Base URLs can be pointed at a mirror: CURATE_ESTAT_BASE_URL, CURATE_SDMX_<NAME>_URL, CURATE_FETCH_MIRROR="https://publisher.example=https://mirror.example". Limits: CURATE_FETCH_MAX_BYTES, CURATE_FETCH_RETRIES, CURATE_FETCH_CONNECT_TIMEOUT, CURATE_FETCH_READ_TIMEOUT, CURATE_FETCH_MAX_REDIRECTS. Proxies: https_proxy, http_proxy, no_proxy.

            EXAMPLES:
              curate fetch                              every pipeline with source.fetch
              curate fetch oecd-herd-business-share     one pipeline
              curate run --fetch                        fetch, then run what changed (cron)

            \(ExitStatus.helpText)
            """)

    @Argument(help: "Datasets to fetch (pipeline names); every pipeline with source.fetch when none given.")
    var datasets: [String] = []

    @OptionGroup var project: ProjectOptions

    @Option(help: "Structured events on stderr: none (default), text, or json (one object per line, for cron).")
    var logFormat: LogFormat = .none

    func run() throws {
        let status = try fetchSources(datasets: datasets, root: project.root, logFormat: logFormat)
        if status != .ok { throw status.exitCode }
    }
}

/// Fetches, prints one line per raw file, and returns the exit status the fetch alone deserves
/// (3 when a download failed: the previous file is kept).
func fetchSources(datasets: [String], root: String, logFormat: LogFormat, onlyThoseWithFetch: Bool = false) throws -> ExitStatus {
    var fetcher = SourceFetcher(project: try Project(root: root))
    if logFormat != .none {
        fetcher.logger = Logger(label: "curate", factory: { _ in StderrLogHandler(format: logFormat) })
    }
    var status = ExitStatus.ok
    for result in try fetcher.fetchBlocking(datasets: datasets, onlyThoseWithFetch: onlyThoseWithFetch) {
        print(FetchSummary.line(result))
        if case .failed(let error) = result.status {
            printError("curate: \(error)")
            status = max(status, ExitStatus(error))
        }
    }
    return status
}

enum FetchSummary {
    static func line(_ result: FetchResult) -> String {
        switch result.status {
        case .fetched:
            let entry = result.entry!
            return "\(result.dataset): fetched anew \(result.path) (\(entry.bytes) bytes, sha256 \(entry.sha256.prefix(12))…) from \(result.url)"
        case .notModified:
            return "\(result.dataset): \(result.path) not modified (304), kept"
        case .unchanged:
            return "\(result.dataset): \(result.path) unchanged (same bytes), kept"
        case .failed(let error):
            return "\(result.dataset): NOT fetched, previous \(result.path) kept: [\(error.code.rawValue)]"
        }
    }
}
