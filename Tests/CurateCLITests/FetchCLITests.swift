import Foundation
import Testing
import FetchTestServer

/// `curate fetch` and `curate run --fetch` through the real binary, against a local server.
@Suite struct FetchCLITests {
    static let raw = CLITests.raw
    static let spec = "Pipelines/mext-joint-research.yaml"

    static func curate(_ arguments: [String], in directory: String, environment: [String: String] = [:]) throws -> CLITests.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLITests.executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = ProcessInfo.processInfo.environment
            .merging(["CURATE_FETCH_BACKOFF": "0.01", "CURATE_FETCH_RETRIES": "1"], uniquingKeysWith: { _, b in b })
            .merging(environment, uniquingKeysWith: { _, b in b })
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return .init(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Points the MEXT joint-research pipeline's source at `url`.
    static func fetchFrom(_ url: String, in scratch: CLITests.Scratch) throws {
        let file = scratch.root + "/" + spec
        let text = try String(contentsOfFile: file, encoding: .utf8)
        try text.replacingOccurrences(of: "  path: \(raw)\n", with: "  path: \(raw)\n  fetch: {url: \"\(url)\"}\n")
            .write(toFile: file, atomically: true, encoding: .utf8)
    }

    /// The committed table with FY2022's project count filled in: a changed source to publish.
    static func revised() throws -> [UInt8] {
        let original = try Data(contentsOf: URL(fileURLWithPath: CLITests.repositoryRoot + "/" + raw))
        let text = String(data: original, encoding: .shiftJIS)!.replacingOccurrences(of: "令和4年度,,,", with: "令和4年度,\"29,900\",,")
        return [UInt8](text.data(using: .shiftJIS)!)
    }

    @Test func runFetchPublishesWhatChangedThenSkipsOn304() throws {
        let revised = try Self.revised()
        let server = try TestHTTPServer { request, _ in
            if request.header("If-None-Match") == "\"r2\"" { return TestResponse(status: 304) }
            return TestResponse(status: 200, headers: [("ETag", "\"r2\""), ("Content-Type", "text/csv; charset=Shift_JIS")], body: revised)
        }
        defer { server.shutdown() }
        let scratch = try CLITests.Scratch()
        try Self.fetchFrom(server.baseURL + "/joint-research.csv", in: scratch)
        let first = try Self.curate(["run", "mext-joint-research"], in: scratch.root)
        #expect(first.status == 0, "\(first.stderr)")
        let release1 = try #require(first.stdout.split(separator: "\n").first { $0.hasPrefix("mext-joint-research: published release") })

        let refresh = try Self.curate(["run", "--fetch", "mext-joint-research", "--log-format", "json"], in: scratch.root)
        #expect(refresh.status == 0, "\(refresh.stdout)\n\(refresh.stderr)")
        #expect(refresh.stdout.contains("mext-joint-research: fetched anew \(Self.raw)"), "\(refresh.stdout)")
        #expect(refresh.stderr.contains("\"message\":\"source fetched anew\""))
        let published = try #require(refresh.stdout.split(separator: "\n").first { $0.hasPrefix("mext-joint-research: published release") })
        #expect(published != release1 && !published.contains("unchanged"), "\(refresh.stdout)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: scratch.root + "/" + Self.raw)) == Data(revised))
        let data = try String(contentsOfFile: scratch.root + "/Curated/mext-joint-research/data.csv", encoding: .utf8)
        #expect(data.contains("2022,projects,29900"), "\(data)")
        let lock = try String(contentsOfFile: scratch.root + "/Raw/sources.lock.json", encoding: .utf8)
        #expect(lock.contains("\"\(Self.raw)\"") && lock.contains("\"url\" : \"\(server.baseURL)/joint-research.csv\"") && lock.contains("\"sha256\""), "\(lock)")

        let again = try Self.curate(["run", "--fetch", "mext-joint-research"], in: scratch.root)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("\(Self.raw) not modified (304), kept"), "\(again.stdout)")
        #expect(again.stdout.contains("mext-joint-research: inputs unchanged"), "\(again.stdout)")
    }

    @Test func aFileChangedByHandIsReportedByRun() throws {
        let server = try TestHTTPServer { _, _ in
            TestResponse(status: 200, body: [UInt8](try! Data(contentsOf: URL(fileURLWithPath: CLITests.repositoryRoot + "/" + FetchCLITests.raw))))
        }
        defer { server.shutdown() }
        let scratch = try CLITests.Scratch()
        try Self.fetchFrom(server.baseURL + "/joint-research.csv", in: scratch)
        #expect(try Self.curate(["fetch", "mext-joint-research"], in: scratch.root).status == 0)
        try Data(try Self.revised()).write(to: URL(fileURLWithPath: scratch.root + "/" + Self.raw))
        let run = try Self.curate(["run", "mext-joint-research", "--fail-on", "warning"], in: scratch.root)
        #expect(run.stdout.contains("[raw-not-as-fetched] \(Self.raw)"), "\(run.stdout)")
        #expect(run.status == 1)
    }

    @Test func notFoundExits3NamingStatusAndURLAndKeepsTheFile() throws {
        let server = try TestHTTPServer { _, _ in TestResponse(status: 404) }
        defer { server.shutdown() }
        let scratch = try CLITests.Scratch()
        try Self.fetchFrom(server.baseURL + "/moved.csv", in: scratch)
        let before = try Data(contentsOf: URL(fileURLWithPath: scratch.root + "/" + Self.raw))
        let fetch = try Self.curate(["fetch", "mext-joint-research"], in: scratch.root)
        #expect(fetch.status == 3)
        #expect(fetch.stderr.contains("[fetch-error]") && fetch.stderr.contains("HTTP 404") && fetch.stderr.contains(server.baseURL + "/moved.csv"), "\(fetch.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: scratch.root + "/" + Self.raw)) == before)
        // The run still happens on the previous file; the exit code says the fetch failed.
        let run = try Self.curate(["run", "--fetch", "mext-joint-research"], in: scratch.root)
        #expect(run.status == 3)
        #expect(run.stdout.contains("mext-joint-research: published release"), "\(run.stdout)")
    }

    @Test func runFetchRunsNamedDatasetsThatHaveNoFetch() throws {
        let scratch = try CLITests.Scratch()
        let run = try Self.curate(["run", "--fetch", "sme-go-tech"], in: scratch.root)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("sme-go-tech: published release"), "\(run.stdout)")
        let fetch = try Self.curate(["fetch", "sme-go-tech"], in: scratch.root)
        #expect(fetch.status == 2)
        #expect(fetch.stderr.contains("has no source.fetch"), "\(fetch.stderr)")
    }

    @Test func aTruncatedDownloadExits3AndKeepsTheFile() throws {
        let revised = try Self.revised()
        let server = try TestHTTPServer { _, _ in TestResponse(status: 200, body: revised, truncateAfter: revised.count / 2) }
        defer { server.shutdown() }
        let scratch = try CLITests.Scratch()
        try Self.fetchFrom(server.baseURL + "/joint-research.csv", in: scratch)
        let before = try Data(contentsOf: URL(fileURLWithPath: scratch.root + "/" + Self.raw))
        let fetch = try Self.curate(["fetch", "mext-joint-research"], in: scratch.root)
        #expect(fetch.status == 3)
        #expect(fetch.stderr.contains("truncated") && fetch.stderr.contains("HTTP 200") && fetch.stderr.contains(server.baseURL), "\(fetch.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: scratch.root + "/" + Self.raw)) == before)
        let folder = (scratch.root + "/" + Self.raw as NSString).deletingLastPathComponent
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).allSatisfy { !$0.hasSuffix(".tmp") })
    }

    @Test func eStatThroughTheBinaryWritesTheApplicationIDNowhere() throws {
        let appID = "cli0123456789abcdef0123456789abcdef9999"
        let server = try TestHTTPServer { request, _ in
            guard request.parameter("appId") == appID else { return TestResponse(status: 403) }
            let next = request.parameter("startPosition") == nil
            return .ok("""
                <?xml version="1.0" encoding="UTF-8"?>
                <GET_STATS_DATA><RESULT><STATUS>0</STATUS><ERROR_MSG>正常に終了しました。</ERROR_MSG></RESULT>
                <PARAMETER><APP_ID>\(appID)</APP_ID></PARAMETER>
                <STATISTICAL_DATA><RESULT_INF><TOTAL_NUMBER>2</TOTAL_NUMBER><FROM_NUMBER>\(next ? 1 : 2)</FROM_NUMBER><TO_NUMBER>\(next ? 1 : 2)</TO_NUMBER>\(next ? "<NEXT_KEY>2</NEXT_KEY>" : "")</RESULT_INF>
                <TABLE_INF id="0003000001"><TITLE>t</TITLE></TABLE_INF>
                <DATA_INF><VALUE tab="01" time="\(next ? "2022" : "2023")000000">\(next ? 1 : 2)</VALUE></DATA_INF></STATISTICAL_DATA></GET_STATS_DATA>
                """)
        }
        defer { server.shutdown() }
        let scratch = try CLITests.Scratch()
        let file = scratch.root + "/" + Self.spec
        let text = try String(contentsOfFile: file, encoding: .utf8)
        try text.replacingOccurrences(of: "  path: \(Self.raw)\n", with: "  path: \(Self.raw)\n  fetch: {estat: {stats_data_id: \"0003000001\"}}\n")
            .write(toFile: file, atomically: true, encoding: .utf8)
        // Fetched into a scratch e-Stat path so the CSV pipeline is left alone: point the spec there.
        let env = ["ESTAT_APP_ID": appID, "CURATE_ESTAT_BASE_URL": server.baseURL]
        let fetch = try Self.curate(["fetch", "mext-joint-research", "--log-format", "json"], in: scratch.root, environment: env)
        #expect(fetch.status == 0, "\(fetch.stderr)")
        let read = try Self.curate(["read", Self.raw, "--format", "estat-xml"], in: scratch.root, environment: env)
        #expect(read.stdout.contains("2022000000") && read.stdout.contains("2023000000"), "\(read.stdout)\(read.stderr)")
        var written = fetch.stdout + fetch.stderr + read.stdout + read.stderr
        let enumerator = FileManager.default.enumerator(atPath: scratch.root)
        while let name = enumerator?.nextObject() as? String {
            if let data = FileManager.default.contents(atPath: scratch.root + "/" + name) { written += String(decoding: data, as: UTF8.self) }
        }
        #expect(!written.contains(appID))
        #expect(written.contains("appId=REDACTED"))
    }
}
