import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `curate` executable as a user would, in a scratch copy of the project.
@Suite struct CLITests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let raw = "Raw/mext/joint-research/joint-research-private-companies.csv"

    /// The executable sits beside the test bundle in the build folder.
    static var executable: String {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("curate").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return repositoryRoot + "/.build/debug/curate"
    }

    struct Result { let status: Int32; let stdout: String; let stderr: String }

    static func curate(_ arguments: [String], in directory: String, executable: String = CLITests.executable) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    final class Scratch {
        let root = NSTemporaryDirectory() + "curate-cli-" + UUID().uuidString
        init() throws {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            for folder in ["Pipelines", "Raw"] {
                try FileManager.default.copyItem(atPath: CLITests.repositoryRoot + "/" + folder, toPath: root + "/" + folder)
            }
        }
        deinit { try? FileManager.default.removeItem(atPath: root) }
    }

    @Test func exit0PublishesAndListShowsIt() throws {
        let scratch = try Scratch()
        let run = try Self.curate(["run"], in: scratch.root)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("mext-joint-research: published release"))
        let list = try Self.curate(["list"], in: scratch.root)
        #expect(list.status == 0)
        #expect(list.stdout.contains("mext-joint-research\tpublished\trelease "))
        #expect(list.stdout.contains(Self.raw))
    }

    @Test func exit1WhenValidationFailsAndNothingIsPublished() throws {
        let scratch = try Scratch()
        let path = scratch.root + "/" + Self.raw
        let text = String(data: try Data(contentsOf: URL(fileURLWithPath: path)), encoding: .shiftJIS)!
        try text.replacingOccurrences(of: "令和5年度,,\"1,028\",595", with: "令和5年度,,\"1,028\",5950")
            .data(using: .shiftJIS)!.write(to: URL(fileURLWithPath: path))
        let run = try Self.curate(["run", "--root", scratch.root], in: "/")
        #expect(run.status == 1)
        #expect(run.stdout.contains("FAILED validation"))
        #expect(run.stdout.contains("[part-exceeds-total] \(Self.raw):15:4"))
        #expect(!FileManager.default.fileExists(atPath: scratch.root + "/Curated/mext-joint-research/data.csv"))
    }

    @Test func exit2ForUsageAndSpecErrors() throws {
        let scratch = try Scratch()
        #expect(try Self.curate(["run", "--no-such-flag"], in: scratch.root).status == 2)
        #expect(try Self.curate(["read", "x.csv", "--encoding", "klingon"], in: scratch.root).status == 2)
        let spec = scratch.root + "/Pipelines/mext-joint-research.yaml"
        let text = try String(contentsOfFile: spec, encoding: .utf8)
        try text.replacingOccurrences(of: "footnote_prefixes:", with: "footnotes:").write(toFile: spec, atomically: true, encoding: .utf8)
        let run = try Self.curate(["run"], in: scratch.root)
        #expect(run.status == 2)
        #expect(run.stderr.contains("[spec-error] Pipelines/mext-joint-research.yaml:"))
        #expect(run.stderr.contains("footnotes"))
    }

    @Test func exit3ForMissingOrUndecodableFiles() throws {
        let scratch = try Scratch()
        #expect(try Self.curate(["read", "missing.csv"], in: scratch.root).status == 3)
        try FileManager.default.removeItem(atPath: scratch.root + "/" + Self.raw)
        let run = try Self.curate(["run"], in: scratch.root)
        #expect(run.status == 3)
        #expect(run.stderr.contains("[io-error] \(Self.raw)"))
        let bad = scratch.root + "/bad.csv"
        try Data([0x61, 0x2C, 0x62, 0x0A, 0x81, 0x0A]).write(to: URL(fileURLWithPath: bad))
        let read = try Self.curate(["read", "bad.csv", "--encoding", "cp932"], in: scratch.root)
        #expect(read.status == 3)
        #expect(read.stderr.contains("[encoding-error] bad.csv:2:1"))
    }

    @Test func exit75WhileAnotherRunHoldsTheLock() throws {
        let scratch = try Scratch()
        try FileManager.default.createDirectory(atPath: scratch.root + "/Curated", withIntermediateDirectories: true)
        // This test process plays the other run: it holds the flock(2) lock the CLI takes.
        let fd = open(scratch.root + "/Curated/.curate.lock", O_RDWR | O_CREAT, 0o644)
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        defer { close(fd) }
        let run = try Self.curate(["run"], in: scratch.root)
        #expect(run.status == 75)
        #expect(run.stderr.contains("[lock-held]"))
        #expect(!FileManager.default.fileExists(atPath: scratch.root + "/Curated/catalog.json"))
        flock(fd, LOCK_UN)
        #expect(try Self.curate(["run"], in: scratch.root).status == 0)
    }

    @Test func readPrintsTheDecodedRowsOfTheCP932File() throws {
        let read = try Self.curate(["read", Self.raw], in: Self.repositoryRoot)
        #expect(read.status == 0, "\(read.stderr)")
        let lines = read.stdout.split(separator: "\n")
        #expect(lines.count == 12)
        #expect(lines.first == #"{"年度":"平成24年度","民間企業との共同研究実施件数":"16,925","民間企業からの共同研究受入額":"341","うち1件当たり1,000万円以上の共同研究の受入額":""}"#)
        let csv = try Self.curate(["read", Self.raw, "--output", "csv", "--encoding", "cp932"], in: Self.repositoryRoot)
        #expect(csv.stdout.hasPrefix("年度,民間企業との共同研究実施件数,民間企業からの共同研究受入額,\"うち1件当たり1,000万円以上の共同研究の受入額\"\n平成24年度,\"16,925\",341,\n"))
    }

    @Test func jsonLogsForCron() throws {
        let scratch = try Scratch()
        let run = try Self.curate(["run", "mext-joint-research", "--log-format", "json"], in: scratch.root)
        #expect(run.status == 0)
        let events = run.stderr.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(events.map { $0["message"] as? String } == ["run started", "dataset published", "run finished"])
        let published = events[1]
        #expect(published["dataset"] as? String == "mext-joint-research")
        #expect(published["level"] as? String == "notice")
        #expect(published["rows"] as? Int == 15)   // numbers as numbers
        #expect(published["release"] != nil && published["time"] != nil && published["seconds"] != nil)
        // unchanged inputs: the second run skips, and says so
        let again = try Self.curate(["run", "mext-joint-research", "--log-format", "json"], in: scratch.root)
        #expect(again.stderr.contains("\"message\":\"dataset skipped: inputs unchanged\""))
        #expect(again.stdout.contains("inputs unchanged"))
    }

    @Test func everyCommandsHelpShowsAnExample() throws {
        for command in ["run", "validate", "list", "status", "diff", "read", "describe", "errors"] {
            let help = try Self.curate([command, "--help"], in: "/")
            #expect(help.status == 0)
            #expect(help.stdout.contains("curate \(command)"), "\(command)")
            #expect(help.stdout.contains("EXAMPLE"), "\(command)")
        }
        #expect(try Self.curate(["--help"], in: "/").stdout.contains("75  another curate run holds the lock"))
    }
}
