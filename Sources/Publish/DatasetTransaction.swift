#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import CurateSystem
import CurateCore

/// Replaces a dataset's folder as a whole, so that a reader (or a run killed at any instant) sees
/// either the previous release complete or the new one complete, never data.csv of one and
/// datapackage.json of the other.
///
/// The new folder is staged beside the old (`Curated/.<name>.staging`): every current file is
/// hard-linked in (cheap, and releases/ keeps growing), changed files are written over their links,
/// everything is fsynced, then the two folders are exchanged in one `renameat2(RENAME_EXCHANGE)`
/// and the old one removed. Leftover staging folders of a killed run are removed by `sweep`.
final class DatasetTransaction {
    let directory: String
    let staging: String
    private(set) var changed = false
    private var written: [String] = []
    /// Per source staged, the file (device, inode) found to hold its bytes: the release folder's
    /// copy and the dataset folder's are links to one file, compared once.
    private var sameAs: [String: FileID] = [:]

    init(directory: String) throws {
        self.directory = directory
        staging = CuratedLayout.staging(for: directory)
        try? FileManager.default.removeItem(atPath: staging)
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        if FileManager.default.fileExists(atPath: directory) { try Self.linkTree(from: directory, to: staging) }
    }

    deinit { if FileManager.default.fileExists(atPath: staging) { try? FileManager.default.removeItem(atPath: staging) } }

    /// Stages `data` at `relative`; a file with the same bytes already is left alone.
    @discardableResult
    func write(_ data: Data, to relative: String) throws -> Bool {
        let path = staging + "/" + relative
        let didChange = try AtomicFile.write(data, to: path)
        if didChange { changed = true; written.append(relative) }
        return didChange
    }

    /// Stages the file at `source` (written and synced, on the same file system) at `relative` by a
    /// hard link; a file with the same bytes already is left alone. The staged file is unlinked
    /// first, never written through: it may be a link to the published one.
    @discardableResult
    func stage(file source: String, at relative: String) throws -> Bool { try stage(files: [(source, relative)]) }

    /// Stages each file as `stage(file:at:)` does, their comparisons with the files already there
    /// made side by side (a rerun compares each large output with its published copy).
    @discardableResult
    func stage(files: [(source: String, relative: String)]) throws -> Bool {
        let paths = files.map { (source: $0.source, path: staging + "/" + $0.relative) }
        let ids = paths.map { Self.fileID($0.path) }
        // A file that is a link to one already found to hold its source's bytes needs no comparison.
        let known = paths.indices.map { i in ids[i] != nil && sameAs[paths[i].source] == ids[i] }
        let same = Verdicts(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            same.set(i, known[i] || AtomicFile.sameContents(paths[i].source, paths[i].path))
        }
        var changed = false
        for (i, file) in files.enumerated() {
            if same.get(i) {
                if let id = ids[i] { sameAs[file.source] = id }
                continue
            }
            try linkStaged(file.source, at: paths[i].path, relative: file.relative)
            changed = true
        }
        return changed
    }

    /// The staged path made a link to `source` (a copy where links fail).
    private func linkStaged(_ source: String, at path: String, relative: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        unlink(path)
        if Glibc.link(source, path) != 0 {
            do { try FileManager.default.copyItem(atPath: source, toPath: path) } catch {
                throw CurateError.systemCall("cannot stage \(relative)", path: path)
            }
        }
        written.append(relative)
        self.changed = true
    }

    /// A file's identity (device, inode): two paths with one are links to one file.
    private struct FileID: Equatable { let device: UInt64, inode: UInt64 }

    private static func fileID(_ path: String) -> FileID? {
        var st = stat()
        return stat(path, &st) == 0 ? FileID(device: UInt64(st.st_dev), inode: UInt64(st.st_ino)) : nil
    }

    /// One verdict per file compared, each written by one of the comparisons run side by side.
    private final class Verdicts: @unchecked Sendable {
        private var values: [Bool]
        private let lock = NSLock()
        init(count: Int) { values = Array(repeating: false, count: count) }
        func set(_ i: Int, _ value: Bool) { lock.withLock { values[i] = value } }
        func get(_ i: Int) -> Bool { lock.withLock { values[i] } }
    }

    /// Makes the staged folder the dataset's folder, if anything changed.
    func commit() throws {
        guard changed else { try FileManager.default.removeItem(atPath: staging); return }
        AtomicFile.syncDirectory(staging)
        for relative in written { AtomicFile.syncDirectory((staging + "/" + relative as NSString).deletingLastPathComponent) }
        let parent = (directory as NSString).deletingLastPathComponent
        if FileManager.default.fileExists(atPath: directory) {
            guard curate_exchange_paths(staging, directory) == 0 else {
                throw CurateError.systemCall("cannot exchange \(staging) with \(directory)", path: directory)
            }
            AtomicFile.syncDirectory(parent)
            try FileManager.default.removeItem(atPath: staging)   // the previous folder, now at the staging path
        } else {
            guard rename(staging, directory) == 0 else {
                throw CurateError.systemCall("cannot move \(staging) to \(directory)", path: directory)
            }
            AtomicFile.syncDirectory(parent)
        }
    }

    /// Removes the staging folders a killed run left behind (call with the run lock held).
    static func sweep(curatedRoot: String) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: curatedRoot)) ?? []
        for name in names where CuratedLayout.isStaging(name) {
            try? FileManager.default.removeItem(atPath: curatedRoot + "/" + name)
        }
    }

    private static func linkTree(from source: String, to target: String) throws {
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: source) else { return }
        for case let relative as String in walker {
            let from = source + "/" + relative, to = target + "/" + relative
            var isDirectory: ObjCBool = false
            _ = fm.fileExists(atPath: from, isDirectory: &isDirectory)
            if isDirectory.boolValue {
                try fm.createDirectory(atPath: to, withIntermediateDirectories: true)
            } else if relative.hasSuffix(".tmp") {
                continue
            } else if link(from, to) != 0 {
                try fm.copyItem(atPath: from, toPath: to)   // file systems without hard links
            }
        }
    }
}
