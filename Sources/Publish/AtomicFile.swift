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

    /// Whether two files hold the same bytes (false when either is missing): same size, then their
    /// bytes compared where the page cache holds them, mapped a window of 1 MiB at a time (a rerun
    /// of a large dataset compares its outputs with the published ones without copying them, and
    /// mapped pages count as the process's memory only while their window is mapped), or read in
    /// blocks where mapping fails.
    static func sameContents(_ a: String, _ b: String) -> Bool {
        let fa = open(a, O_RDONLY | O_CLOEXEC), fb = open(b, O_RDONLY | O_CLOEXEC)
        defer { if fa >= 0 { close(fa) }; if fb >= 0 { close(fb) } }
        guard fa >= 0, fb >= 0 else { return false }
        var sa = stat(), sb = stat()
        guard fstat(fa, &sa) == 0, fstat(fb, &sb) == 0, sa.st_size == sb.st_size else { return false }
        let size = Int(sa.st_size), window = 1 << 20
        var offset = 0
        while offset < size {
            let n = min(window, size - offset)
            guard let x = mmap(nil, n, PROT_READ, MAP_PRIVATE, fa, off_t(offset)), x != MAP_FAILED else { return sameBytesRead(fa, fb) }
            defer { munmap(x, n) }
            guard let y = mmap(nil, n, PROT_READ, MAP_PRIVATE, fb, off_t(offset)), y != MAP_FAILED else { return sameBytesRead(fa, fb) }
            defer { munmap(y, n) }
            if memcmp(x, y, n) != 0 { return false }
            offset += n
        }
        return true
    }

    private static func sameBytesRead(_ fa: Int32, _ fb: Int32) -> Bool {
        let block = 1 << 20
        let x = UnsafeMutableRawPointer.allocate(byteCount: block, alignment: 16), y = UnsafeMutableRawPointer.allocate(byteCount: block, alignment: 16)
        defer { x.deallocate(); y.deallocate() }
        func fill(_ fd: Int32, _ buffer: UnsafeMutableRawPointer) -> Int? {
            var got = 0
            while got < block {
                let n = read(fd, buffer + got, block - got)
                if n < 0 { if errno == EINTR { continue }; return nil }
                if n == 0 { break }
                got += n
            }
            return got
        }
        while true {
            guard let n = fill(fa, x), let m = fill(fb, y), n == m else { return false }
            if n == 0 { return true }
            if memcmp(x, y, n) != 0 { return false }
        }
    }

    static func syncDirectory(_ directory: String) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { fsync(fd); close(fd) }
    }
}
