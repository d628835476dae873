#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Crypto
import CurateCore

/// A download being written beside its destination: a temporary file in the same folder, hashed as
/// bytes arrive, synced and renamed over the destination only when complete. A failed, truncated or
/// oversized download is discarded, so the previous file is never touched and nothing partial remains.
final class StagedFile {
    let destination: String
    let path: String
    private var fd: Int32
    private var hasher = SHA256()
    private(set) var bytes = 0
    private var closed = false

    init(destination: String) throws {
        self.destination = destination
        let directory = (destination as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let name = (destination as NSString).lastPathComponent
        // Hidden, and unique to this process: two overlapping fetches never share a temporary file.
        path = directory + "/.\(name).\(getpid()).curate-fetch.tmp"
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CurateError.systemCall("cannot create", path: path) }
    }

    deinit { discard() }

    /// Starts over (a retry after a dropped connection).
    func reset() throws {
        guard ftruncate(fd, 0) == 0, lseek(fd, 0, SEEK_SET) == 0 else { throw CurateError.systemCall("cannot truncate", path: path) }
        hasher = SHA256(); bytes = 0
    }

    func write<Bytes: Collection>(_ chunk: Bytes) throws where Bytes.Element == UInt8 {
        let array = Array(chunk)
        try array.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; throw CurateError.systemCall("cannot write", path: path) }
                offset += n
            }
        }
        hasher.update(data: array)
        bytes += array.count
    }

    var sha256: String { hasher.finalize().hexDigits() }

    /// fsync, rename over the destination, fsync the folder: readers see the old file or the new one.
    func commit() throws {
        guard fsync(fd) == 0 else { throw CurateError.systemCall("cannot sync", path: path) }
        close(fd); closed = true
        guard rename(path, destination) == 0 else {
            let error = CurateError.systemCall("cannot replace", path: destination)
            unlink(path)
            throw error
        }
        let directory = (destination as NSString).deletingLastPathComponent
        let dfd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 { fsync(dfd); close(dfd) }
    }

    /// Removes the temporary file (idempotent).
    func discard() {
        if !closed { close(fd); closed = true; unlink(path) }
    }

    /// Writes `data` to `destination` the same way (the lock file, a merged e-Stat table).
    static func write(_ data: Data, to destination: String) throws {
        let staged = try StagedFile(destination: destination)
        try staged.write(data)
        try staged.commit()
    }
}
