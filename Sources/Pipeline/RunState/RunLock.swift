#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import CurateCore

/// An exclusive lock on Curated/ so that two runs (a cron job and a steward) never interleave.
///
/// flock(2) on `Curated/.curate.lock`: released by the kernel when the process dies, so a killed
/// run never leaves a stale lock. The holder writes its pid and start so a refused run can name it.
final class RunLock {
    private let fd: Int32

    /// Takes the lock, or throws `lock-held` naming the holder. With `wait`, blocks until free.
    public init(curatedRoot: String, wait: Bool = false) throws {
        try FileManager.default.createDirectory(atPath: curatedRoot, withIntermediateDirectories: true)
        let path = curatedRoot + "/.curate.lock"
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw CurateError.systemCall("cannot open lock", path: path)
        }
        if flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0 {
            // The holder wrote its pid into the file it locked; read it from our own descriptor.
            var buffer = [UInt8](repeating: 0, count: 256)
            let count = pread(fd, &buffer, buffer.count, 0)
            close(fd)
            // The note ends with a newline (and may be half-written): keep its first line only.
            let holder = String(decoding: buffer.prefix(max(0, count)), as: UTF8.self)
                .split(whereSeparator: \.isNewline).first.map { String($0).trimmingWhitespace } ?? ""
            throw CurateError(.lockHeld, "another curate run holds \(path)" + (holder.isEmpty ? "" : " (\(holder))"))
        }
        let note = "pid \(getpid())\n"
        ftruncate(fd, 0)
        _ = note.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    deinit {
        ftruncate(fd, 0)
        flock(fd, LOCK_UN)
        close(fd)
    }
}
