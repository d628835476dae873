import Foundation
import Testing
import CurateCore
import Ingest
import Store
@testable import Pipeline

/// A raw file changed while a run reads it (a steward copying a new file during the nightly run):
/// the run publishes nothing and says `raw-changed`; the next run publishes the file as it is,
/// and every release names the sha256 of the bytes it was read from. The change is made from the
/// read itself (`Runner.rawReadHook`, after the first chunk), so each case is deterministic.
@Suite struct SnapshotTests {
    static let raw = "Raw/mext/joint-research/joint-research-private-companies.csv"
    static let dataset = "mext-joint-research"

    /// Runs `change` once, at the first chunk read.
    final class Once: @unchecked Sendable {
        private var fired = false
        let change: @Sendable () -> Void
        init(_ change: @escaping @Sendable () -> Void) { self.change = change }
        func fire() { if !fired { fired = true; change() } }
    }

    /// sha256 by coreutils' sha256sum: a check independent of the code under test.
    static func sha256(_ data: Data) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        let input = Pipe(), output = Pipe()
        process.standardInput = input; process.standardOutput = output
        try! process.run()
        input.fileHandleForWriting.write(data); try! input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return String(text.prefix(64))
    }

    /// Publishes the shipped file, edits it to a second version, then runs with `change` applied
    /// mid-read: expects raw-changed and Curated/ untouched, then a plain run publishing the file
    /// as it now is, with its sha256 in datapackage.json, releases.json and the store.
    /// `complete`: what happens after the failed run (a copy that was truncated mid-read finishes).
    func check(_ what: String, change: @escaping @Sendable (String) -> Void, complete: ((String) throws -> Void)? = nil) throws {
        let project = try ProjectCopy()
        let path = project.root + "/" + Self.raw
        _ = try project.runner.run(datasets: [Self.dataset], dryRun: false)
        let published = try project.curatedSnapshot()
        try editCP932(path, replacing: "令和3年度,\"29,644\",893,505", with: "令和3年度,\"29,644\",894,505")

        var runner = try project.runner
        let once = Once { change(path) }
        runner.rawReadHook = { _, _ in once.fire() }
        let failed = try runner.run(datasets: [Self.dataset], dryRun: false)
        guard case .failed(let error) = failed[0].status else { Issue.record("\(what): \(failed[0].status)"); return }
        #expect(error.code == .rawChanged, "\(what): \(error)")
        #expect(error.location?.file == Self.raw)
        #expect(try project.curatedSnapshot() == published, "\(what): Curated/ changed by a failed run")
        try complete?(path)

        let next = try project.runner.run(datasets: [Self.dataset], dryRun: false)
        guard case .published(let release, _) = next[0].status else { Issue.record("\(what): next run \(next[0].status)"); return }
        let bytes = try project.read(Self.raw)
        let package = try JSONSerialization.jsonObject(with: try project.read("Curated/\(Self.dataset)/datapackage.json")) as! [String: Any]
        let source = (package["sources"] as! [[String: Any]])[0]["raw"] as? [String: Any]
        #expect(source?["sha256"] as? String == Self.sha256(bytes), "\(what): the release names other bytes")
        #expect(source?["bytes"] as? Int == bytes.count)
        let history = String(decoding: try project.read("Curated/\(Self.dataset)/releases.json"), as: UTF8.self)
        #expect(history.contains(Self.sha256(bytes)))
        let stored = try CurateStoreQuery.rows(project, "SELECT sha256 FROM raw_files WHERE dataset = ? AND release = ?", [Self.dataset, release])
        #expect(stored == [Self.sha256(bytes)])
        // Published data is the file as it is now: the rerun is skipped only while the bytes stay.
        let again = try project.runner.run(datasets: [Self.dataset], dryRun: false)
        guard case .skipped = again[0].status else { Issue.record("\(what): third run \(again[0].status)"); return }
    }

    @Test func overwrittenInPlaceDuringTheRead() throws {
        try check("overwrite") { path in
            let text = String(data: FileManager.default.contents(atPath: path)!, encoding: .shiftJIS)!
            let handle = FileHandle(forWritingAtPath: path)!
            handle.write(text.replacingOccurrences(of: "894,505", with: "895,505").data(using: .shiftJIS)!)   // same size
            try? handle.close()
        }
    }

    @Test func replacedByRenameDuringTheRead() throws {
        try check("rename") { path in
            let text = String(data: FileManager.default.contents(atPath: path)!, encoding: .shiftJIS)!
            let temporary = path + ".new"
            FileManager.default.createFile(atPath: temporary, contents: text.replacingOccurrences(of: "894,505", with: "896,505").data(using: .shiftJIS)!)
            rename(temporary, path)
        }
    }

    /// `cp new.csv Raw/…` truncates the file, then writes it: the run reads the start, the file
    /// shrinks under it; once the copy is complete, the next run publishes it.
    @Test func truncatedDuringTheRead() throws {
        let full = Box()
        try check("truncate", change: { path in
            full.data = FileManager.default.contents(atPath: path)
            truncate(path, 100)
        }, complete: { path in try full.data!.write(to: URL(fileURLWithPath: path)) })
    }

    final class Box: @unchecked Sendable { var data: Data? }

    /// A file of several chunks whose second half is rewritten after the first chunk: the reader
    /// receives a mix of both versions, and the end of the read refuses it.
    @Test func aReadThatMixesTwoVersionsIsRefused() throws {
        let project = try ProjectCopy()
        let relative = "Raw/big.csv"
        let line = "year,value\n" + String(repeating: "2020,1\n", count: 100_000)   // 700 kB: three chunks
        try project.write(relative, line)
        let path = project.root + "/" + relative
        let once = Once {
            let handle = FileHandle(forWritingAtPath: path)!
            handle.seek(toFileOffset: 400_000)
            handle.write(Data(String(repeating: "2021,2\n", count: 10_000).utf8))
            try? handle.close()
        }
        let snapshot = try RawSnapshot(path: path, relative: relative, hook: { _, _ in once.fire() })
        var values = Set<String>()
        #expect(throws: CurateError.self) {
            try ReadObservers.$current.withValue(snapshot) {
                try CSVReader(path: path, encoding: .utf8, delimiter: ",").forEachRecord { values.insert($0.fields[1]) }
            }
        }
        #expect(values.contains("2"), "the read did see the second version's bytes")
        #expect(throws: CurateError.self) { try snapshot.finish() }
    }

    /// A file no reader streams through ByteSource (XLSX, read by ZIPFoundation) is hashed in a
    /// pass of its own: the hash still names the bytes, and a change before it is caught.
    @Test func hashOfAWholeFileRefusesOneThatChangesDuringIt() throws {
        let project = try ProjectCopy()
        let path = project.root + "/" + Self.raw
        let hash = try RawFileHash.of(path, as: Self.raw)
        #expect(hash.sha256 == Self.sha256(try project.read(Self.raw)))
        let snapshot = try RawSnapshot(path: path, relative: Self.raw)
        try editCP932(path, replacing: "令和3年度,\"29,644\",893,505", with: "令和3年度,\"29,644\",894,505")
        #expect(throws: CurateError.self) { try snapshot.finish() }
    }

    /// The lock-held message names the holder on one line (it carried "pid 1492\n)").
    @Test func lockHeldMessageHasNoNewline() throws {
        let project = try ProjectCopy()
        let held = try RunLock(curatedRoot: project.root + "/Curated")
        defer { withExtendedLifetime(held) {} }
        do {
            _ = try RunLock(curatedRoot: project.root + "/Curated")
            Issue.record("second lock taken")
        } catch let error as CurateError {
            #expect(error.code == .lockHeld)
            #expect(!error.message.contains("\n"), "\(error.message.debugDescription)")
            #expect(error.message.hasSuffix("(pid \(getpid()))"), "\(error.message)")
        }
    }
}

/// Reads the store with GRDB directly, as a consumer would.
enum CurateStoreQuery {
    static func rows(_ project: ProjectCopy, _ sql: String, _ arguments: [String] = []) throws -> [String] {
        try Store.CurateStore(path: project.root + "/Curated/curate.sqlite").query(sql, arguments).compactMap { $0.values.first }
    }
}
