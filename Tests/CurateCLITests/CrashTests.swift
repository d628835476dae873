import Foundation
import Testing
import Crypto
#if canImport(Glibc)
import Glibc
#endif

/// Kills `curate run` with SIGKILL at many points while it publishes, and checks that Curated/ is
/// always consistent: each dataset folder's files match the hashes of its datapackage.json and are
/// either the previous release or the new one, complete; catalog.json lists only such datasets.
@Suite(.serialized) struct CrashTests {
    /// A made-up table big enough that publishing takes a while: 400 rows × 30 years.
    static func table(version: Int) -> String {
        var out = "（単位：件）\n区分," + (1991...2020).map { "\($0)年" }.joined(separator: ",") + "\n"
        for i in 0..<400 { out += "r\(i)," + (0..<30).map { String(1000 + i + $0 + version) }.joined(separator: ",") + "\n" }
        return out
    }

    static let spec = """
        name: crash-demo
        title: Synthetic table for crash tests (made-up values)
        license: {name: CC0-1.0}
        source: {title: test, publisher: made up for the test, url: https://example.org/test, path: Raw/test/crash.csv}
        read: {format: csv, encoding: utf-8, header_row: 2}
        shape:
          layout: years-across
          label_column: 区分
          unit_note: 件
          period: {field: year, kind: calendar}
          measures:
        \((0..<400).map { "    - {row: r\($0), name: m\($0), unit: 件}" }.joined(separator: "\n"))
        schema:
          fields:
            - {name: year, type: integer}
            - {name: measure, type: string}
            - {name: value, type: number}
            - {name: unit, type: string}
          primary_key: [year, measure]
        """

    @Test func sigkillDuringPublishingLeavesCuratedConsistent() throws {
        let scratch = try CLITests.Scratch()
        let root = scratch.root
        try FileManager.default.createDirectory(atPath: root + "/Raw/test", withIntermediateDirectories: true)
        try Self.spec.write(toFile: root + "/Pipelines/crash-demo.yaml", atomically: true, encoding: .utf8)
        try Self.table(version: 0).write(toFile: root + "/Raw/test/crash.csv", atomically: true, encoding: .utf8)
        #expect(try CLITests.curate(["run"], in: root).status == 0)
        let before = try Self.dataHash(root)

        // Time one complete publishing run, then kill runs at points spread over that length.
        var version = 1
        try Self.table(version: version).write(toFile: root + "/Raw/test/crash.csv", atomically: true, encoding: .utf8)
        let start = Date()
        #expect(try CLITests.curate(["run"], in: root).status == 0)
        let duration = Date().timeIntervalSince(start)
        var kills = 0
        let attempts = 40
        for attempt in 0..<attempts {
            version += 1
            try Self.table(version: version).write(toFile: root + "/Raw/test/crash.csv", atomically: true, encoding: .utf8)
            let process = try Self.start(["run"], in: root)
            usleep(useconds_t(duration * 1_000_000 * Double(attempt) / Double(attempts - 4)))
            if process.isRunning { kill(process.processIdentifier, SIGKILL); kills += 1 }
            process.waitUntilExit()
            try Self.checkConsistent(root)
        }
        #expect(kills >= 10, "only \(kills) kills landed during a run")
        // After the crashes, a normal run recovers and publishes the latest version.
        #expect(try CLITests.curate(["run"], in: root).status == 0)
        try Self.checkConsistent(root)
        #expect(try Self.dataHash(root) != before)
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: root + "/Curated")).contains { $0.hasSuffix(".staging") })
    }

    /// Two runs started together: one publishes, the other is refused with 75 (or, with --wait,
    /// publishes after it); they never interleave.
    @Test func overlappingRunsCannotBothPublish() throws {
        let scratch = try CLITests.Scratch()
        let root = scratch.root
        try FileManager.default.createDirectory(atPath: root + "/Raw/test", withIntermediateDirectories: true)
        try Self.spec.write(toFile: root + "/Pipelines/crash-demo.yaml", atomically: true, encoding: .utf8)
        try Self.table(version: 0).write(toFile: root + "/Raw/test/crash.csv", atomically: true, encoding: .utf8)
        func start(_ arguments: [String]) throws -> Process { try Self.start(arguments, in: root) }
        let a = try start(["run"])
        // b starts once a holds the lock (its pid in the lock file), however slow the machine is.
        try Self.waitUntilLockHeld(by: a, in: root)
        let b = try start(["run"])
        a.waitUntilExit(); b.waitUntilExit()
        #expect([a.terminationStatus, b.terminationStatus] == [0, 75])
        try Self.checkConsistent(root)

        try Self.table(version: 1).write(toFile: root + "/Raw/test/crash.csv", atomically: true, encoding: .utf8)
        let c = try start(["run"])
        try Self.waitUntilLockHeld(by: c, in: root)
        let d = try start(["run", "--wait"])
        c.waitUntilExit(); d.waitUntilExit()
        #expect([c.terminationStatus, d.terminationStatus] == [0, 0])
        try Self.checkConsistent(root)
    }

    /// A disk that fills up while publishing (a file-size limit) and a Curated/ the run may not
    /// write: exit 3, the previous release intact, nothing half-written left behind.
    @Test func fullDiskAndReadOnlyCuratedKeepThePreviousRelease() throws {
        let scratch = try CLITests.Scratch()
        let root = scratch.root
        try FileManager.default.createDirectory(atPath: root + "/Raw/test", withIntermediateDirectories: true)
        try Self.spec.write(toFile: root + "/Pipelines/crash-demo.yaml", atomically: true, encoding: .utf8)
        try Self.table(version: 0).write(toFile: root + "/Raw/test/crash.csv", atomically: true, encoding: .utf8)
        #expect(try CLITests.curate(["run", "crash-demo"], in: root).status == 0)
        let before = try Self.dataHash(root)
        try Self.table(version: 1).write(toFile: root + "/Raw/test/crash.csv", atomically: true, encoding: .utf8)

        // 64 KiB per file: data.csv (about 270 KB) cannot be written.
        let full = try CLITests.curate(["-c", "ulimit -f 64; exec \"$0\" run crash-demo", CLITests.executable], in: root, executable: "/bin/sh")
        #expect(full.status == 3, "\(full.stderr)")
        #expect(full.stderr.contains("[io-error]"))
        #expect(try Self.dataHash(root) == before)
        try Self.checkConsistent(root)
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: root + "/Curated")).contains { $0.hasSuffix(".staging") })

        // Curated/ owned by root and read-only to the user running curate.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: root)
        let lock = root + "/Curated/.curate.lock"
        try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: lock)
        let readOnly = try CLITests.curate(["-u", "nobody", "--", CLITests.executable, "run", "crash-demo", "--force"], in: root, executable: "/usr/sbin/runuser")
        #expect(readOnly.status == 3, "\(readOnly.stderr)")
        #expect(try Self.dataHash(root) == before)
        try Self.checkConsistent(root)
    }

    /// Starts curate in the background, its output discarded.
    /// Waits (up to 30 s) until `process` holds the run lock: the holder writes its pid into
    /// Curated/.curate.lock once it has it, and empties the file when it lets go.
    static func waitUntilLockHeld(by process: Process, in root: String) throws {
        let wanted = "pid \(process.processIdentifier)\n"
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if (try? String(contentsOfFile: root + "/Curated/.curate.lock", encoding: .utf8)) == wanted { return }
            if !process.isRunning { break }
            usleep(2_000)
        }
        Issue.record("run \(process.processIdentifier) never held the lock")
    }

    static func start(_ arguments: [String], in root: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLITests.executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func dataHash(_ root: String) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: root + "/Curated/crash-demo/data.csv"))
        return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// Every dataset folder matches its own descriptor; the catalogue names only releases that exist.
    static func checkConsistent(_ root: String) throws {
        let curated = root + "/Curated"
        for name in try FileManager.default.contentsOfDirectory(atPath: curated) where !name.hasPrefix(".") {
            let dir = curated + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            let package = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/datapackage.json"))) as! [String: Any]
            for resource in package["resources"] as! [[String: Any]] {
                let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + (resource["path"] as! String)))
                let hash = "sha256:" + SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
                #expect(hash == resource["hash"] as? String, "\(name)/\(resource["path"]!) does not match its descriptor")
                #expect(data.count == resource["bytes"] as? Int)
            }
            let version = package["version"] as! String
            #expect(FileManager.default.fileExists(atPath: dir + "/releases/\(version)/data.csv"))
        }
        guard let catalogData = FileManager.default.contents(atPath: curated + "/catalog.json") else { return }
        let catalog = try JSONSerialization.jsonObject(with: catalogData) as! [String: Any]
        for entry in catalog["datasets"] as! [[String: Any]] {
            guard let release = entry["release"] as? String else { continue }
            let name = entry["name"] as! String
            #expect(FileManager.default.fileExists(atPath: curated + "/\(name)/releases/\(release)/datapackage.json"),
                    "catalog lists \(name) release \(release), which is not kept")
        }
    }
}
