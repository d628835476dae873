import Foundation
@testable import Pipeline

/// The repository root, found from this file's path (tests never depend on ../shared).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// A throwaway copy of the project's Pipelines/ and Raw/, so a test can break things freely.
final class ProjectCopy {
    let root: String
    init(pipelines: Bool = true) throws {
        root = NSTemporaryDirectory() + "curate-project-" + UUID().uuidString
        let fm = FileManager.default
        try fm.createDirectory(atPath: root, withIntermediateDirectories: true)
        if pipelines {
            try fm.copyItem(atPath: repositoryRoot + "/Pipelines", toPath: root + "/Pipelines")
            try fm.copyItem(atPath: repositoryRoot + "/Raw", toPath: root + "/Raw")
        } else {
            try fm.createDirectory(atPath: root + "/Pipelines/reference", withIntermediateDirectories: true)
            try fm.copyItem(atPath: repositoryRoot + "/Pipelines/reference/units.yaml", toPath: root + "/Pipelines/reference/units.yaml")
        }
    }
    deinit { try? FileManager.default.removeItem(atPath: root) }

    func write(_ relative: String, _ text: String) throws {
        let path = root + "/" + relative
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    func read(_ relative: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: root + "/" + relative)) }

    /// Every published file under Curated/ with its bytes (local state — the lock, .state/, the
    /// SQLite store — is not published and left out).
    func curatedSnapshot() throws -> [String: Data] {
        var out: [String: Data] = [:]
        let base = root + "/Curated"
        for case let name as String in FileManager.default.enumerator(atPath: base)!
        where !name.hasPrefix(".") && !name.hasPrefix("curate.sqlite") {
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: base + "/" + name, isDirectory: &isDirectory)
            if !isDirectory.boolValue { out[name] = try Data(contentsOf: URL(fileURLWithPath: base + "/" + name)) }
        }
        return out
    }

    var runner: Runner { get throws { Runner(project: try Project(root: root)) } }
}

/// Replaces `old` by `new` in a CP932 file, working on the decoded text.
func editCP932(_ path: String, replacing old: String, with new: String) throws {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    let text = String(data: data, encoding: .shiftJIS)!
    precondition(text.contains(old), "\(old) not in \(path)")
    try text.replacingOccurrences(of: old, with: new).data(using: .shiftJIS)!.write(to: URL(fileURLWithPath: path))
}
