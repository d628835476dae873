import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Hostile and broken files through the real `curate read`: each ends with its own error code,
/// within 2 seconds of CPU and 256 MB, without a crash.
@Suite(.serialized) struct HostileInputTests {
    /// `cpuSeconds`: the child's user and system time, which other tests running beside it on a
    /// loaded machine do not inflate as they do its wall time.
    struct Outcome { let status: Int32; let stderr: String; let seconds: Double; let cpuSeconds: Double; let maxRSSMB: Double }

    /// Runs curate with posix_spawn and wait4, to read the child's peak memory.
    static func run(_ arguments: [String]) throws -> Outcome {
        let errPath = NSTemporaryDirectory() + "curate-err-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: errPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = ([CLITests.executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let start = Date()
        guard posix_spawn(&pid, CLITests.executable, &actions, nil, argv, environ) == 0 else { throw CocoaError(.executableLoad) }
        var status: Int32 = 0
        var usage = rusage()
        wait4(pid, &status, 0, &usage)
        let seconds = Date().timeIntervalSince(start)
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        func time(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1_000_000 }
        return Outcome(status: exit, stderr: stderr, seconds: seconds, cpuSeconds: time(usage.ru_utime) + time(usage.ru_stime),
                       maxRSSMB: Double(usage.ru_maxrss) / 1024)
    }

    final class Files {
        let dir = NSTemporaryDirectory() + "curate-hostile-" + UUID().uuidString
        init() throws { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(atPath: dir) }

        /// Writes `head`, then `body` repeated `times`, then `tail`, without building it in memory.
        func write(_ name: String, head: String = "", body: String, times: Int, tail: String = "") throws -> String {
            let path = dir + "/" + name
            FileManager.default.createFile(atPath: path, contents: nil)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            handle.write(Data(head.utf8))
            let block = Data(String(repeating: body, count: max(1, (1 << 20) / max(1, body.utf8.count))).utf8)
            let perBlock = max(1, (1 << 20) / max(1, body.utf8.count))
            var left = times
            while left >= perBlock { handle.write(block); left -= perBlock }
            if left > 0 { handle.write(Data(String(repeating: body, count: left).utf8)) }
            handle.write(Data(tail.utf8))
            try handle.close()
            return path
        }
    }

    static let xmlHead = "<?xml version=\"1.0\"?>\n<message:GenericData xmlns:message=\"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message\">"

    /// Under `make test-sanitize` the binary carries AddressSanitizer's shadow memory and slowdown:
    /// the codes are still checked, the time and memory budgets are those of a normal build.
    static let sanitized = ProcessInfo.processInfo.environment["CURATE_SANITIZED"] == "1"

    static func expect(_ outcome: Outcome, exit: Int32, code: String, _ what: String) {
        #expect(outcome.status == exit, "\(what): exit \(outcome.status), \(outcome.stderr)")
        #expect(outcome.stderr.contains("[\(code)]"), "\(what): \(outcome.stderr)")
        // The budget is 2 s of CPU; wall time only guards against a hang (it stretches with the load).
        #expect(outcome.cpuSeconds < (sanitized ? 20 : 2), "\(what) took \(outcome.cpuSeconds) s of CPU")
        #expect(outcome.seconds < (sanitized ? 60 : 30), "\(what) took \(outcome.seconds) s")
        if !sanitized { #expect(outcome.maxRSSMB < 256, "\(what) used \(outcome.maxRSSMB) MB") }
    }

    @Test func csvWithAMillionColumns() throws {
        let files = try Files()
        let path = try files.write("wide.csv", head: "a,b\n", body: "x,", times: 1_000_000, tail: "\n")
        Self.expect(try Self.run(["read", path, "--encoding", "utf-8", "--delimiter", ","]), exit: 3, code: "csv-limit", "a million columns")
    }

    @Test func csvWithA100MBField() throws {
        let files = try Files()
        let path = try files.write("field.csv", head: "a,b\n1,\"", body: "y", times: 100 << 20, tail: "\"\n")
        Self.expect(try Self.run(["read", path, "--encoding", "utf-8", "--delimiter", ","]), exit: 3, code: "csv-limit", "a 100 MB field")
    }

    @Test func csvWithNULBytes() throws {
        let files = try Files()
        let path = files.dir + "/nul.csv"
        try Data("a,b\n1,2\n3,".utf8 + [0, 0, 0] + Data("4\n".utf8)).write(to: URL(fileURLWithPath: path))
        Self.expect(try Self.run(["read", path, "--format", "csv"]), exit: 3, code: "binary-content", "NUL bytes")
    }

    @Test func csvTruncatedMidQuote() throws {
        let files = try Files()
        let path = try files.write("cut.csv", head: "a,b\n1,\"open", body: " text", times: 1000)
        Self.expect(try Self.run(["read", path, "--encoding", "utf-8"]), exit: 3, code: "unterminated-quote", "truncated mid-quote")
    }

    @Test func xmlWithA100MBTextNode() throws {
        let files = try Files()
        let path = try files.write("text.xml", head: Self.xmlHead + "<a>", body: "z", times: 100 << 20, tail: "</a></message:GenericData>")
        Self.expect(try Self.run(["read", path, "--format", "sdmx-ml"]), exit: 3, code: "xml-error", "a 100 MB text node")
    }

    @Test func xmlBillionLaughsAndQuadraticBlowup() throws {
        let files = try Files()
        var dtd = "<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
        for i in 1...9 { dtd += "<!ENTITY lol\(i) \"" + String(repeating: "&lol\(i == 1 ? "" : String(i - 1));", count: 10) + "\">" }
        let laughs = try files.write("laughs.xml", head: "<?xml version=\"1.0\"?>\n" + dtd + "]>\n", body: "", times: 0,
                                     tail: "<message:GenericData xmlns:message=\"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message\" a=\"&lol9;\"/>")
        Self.expect(try Self.run(["read", laughs, "--format", "sdmx-ml"]), exit: 3, code: "xml-dtd-refused", "billion laughs")
        let big = String(repeating: "A", count: 100_000)
        let quadratic = try files.write("quadratic.xml", head: "<?xml version=\"1.0\"?>\n<!DOCTYPE q [<!ENTITY a \"\(big)\">]>\n<q>", body: "&a;", times: 100_000, tail: "</q>")
        Self.expect(try Self.run(["read", quadratic, "--format", "sdmx-ml"]), exit: 3, code: "xml-dtd-refused", "quadratic blow-up")
    }

    @Test func xmlNestedAMillionDeep() throws {
        let files = try Files()
        let path = try files.write("deep.xml", head: Self.xmlHead, body: "<a>", times: 1_000_000, tail: "")
        Self.expect(try Self.run(["read", path, "--format", "sdmx-ml"]), exit: 3, code: "xml-error", "a million levels of nesting")
    }

    @Test func zipBombsAndEscapingEntries() throws {
        let fixtures = CLITests.repositoryRoot + "/Tests/IngestTests/Fixtures/xlsx/"
        Self.expect(try Self.run(["read", fixtures + "zip-bomb.xlsx"]), exit: 3, code: "zip-limit", "zip bomb (ratio)")
        Self.expect(try Self.run(["read", fixtures + "zip-bomb-lying-size.xlsx"]), exit: 3, code: "zip-limit", "zip bomb (declared size)")
        Self.expect(try Self.run(["read", fixtures + "zip-slip.xlsx"]), exit: 3, code: "zip-error", "entry names with ../")
    }
}
