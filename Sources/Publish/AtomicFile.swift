#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import CurateCore

/// Replaces files so that a reader sees either the old bytes or the new, never a mix:
/// write beside as `name.tmp`, fsync, rename over, fsync the folder.
enum AtomicFile {
    /// Writes `data` to `path` unless the file already holds exactly these bytes (a rerun changes nothing).
    /// Returns true when the file changed.
    @discardableResult
    static func write(_ data: Data, to path: String) throws -> Bool {
        if let existing = FileManager.default.contents(atPath: path), existing == data { return false }
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CurateError.systemCall("cannot create", path: temporary) }
        defer { close(fd) }
        try data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; throw abandon(temporary, CurateError.systemCall("cannot write", path: temporary)) }
                offset += n
            }
        }
        guard fsync(fd) == 0 else { throw abandon(temporary, CurateError.systemCall("cannot sync", path: temporary)) }
        guard rename(temporary, path) == 0 else { throw abandon(temporary, CurateError.systemCall("cannot replace", path: path)) }
        syncDirectory(directory)
        return true
    }

    /// Removes the temporary file after the failure was described (unlink may change errno).
    private static func abandon(_ temporary: String, _ error: CurateError) -> CurateError {
        unlink(temporary)
        return error
    }

    /// Whether two files hold the same bytes (false when either is missing), read in blocks.
    static func sameContents(_ a: String, _ b: String) -> Bool {
        guard let sizeA = (try? FileManager.default.attributesOfItem(atPath: a))?[.size] as? Int,
              let sizeB = (try? FileManager.default.attributesOfItem(atPath: b))?[.size] as? Int, sizeA == sizeB,
              let fa = FileHandle(forReadingAtPath: a), let fb = FileHandle(forReadingAtPath: b) else { return false }
        defer { try? fa.close(); try? fb.close() }
        while true {
            let x = (try? fa.read(upToCount: 1 << 20)) ?? nil, y = (try? fb.read(upToCount: 1 << 20)) ?? nil
            if x != y { return false }
            if x == nil || x!.isEmpty { return true }
        }
    }

    static func syncDirectory(_ directory: String) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { fsync(fd); close(fd) }
    }
}
