#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Crypto
import CurateCore
import Ingest

/// A raw file as one run read it: the sha256 of the bytes the readers received, and their count.
/// It is the run's fingerprint of the file, and goes into the release, the store and the fetch lock.
struct RawFileHash: Sendable, Equatable, Codable {
    /// The file as the spec names it (`Raw/…`).
    public var path: String
    public var sha256: String
    public var bytes: Int

    public init(path: String, sha256: String, bytes: Int) { self.path = path; self.sha256 = sha256; self.bytes = bytes }

    /// Hashes a file in one streaming pass (memory: one chunk), refusing one that changes during it.
    public static func of(_ absolutePath: String, as relative: String) throws -> RawFileHash {
        let fd = open(absolutePath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CurateError.systemCall("cannot open", path: relative) }
        defer { close(fd) }
        let before = try FileIdentity(descriptor: fd, path: relative)
        var hasher = SHA256()
        var buffer = [UInt8](repeating: 0, count: 1 << 18)
        var total = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; throw CurateError.systemCall("read failed", path: relative) }
            if n == 0 { break }
            buffer.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            total += n
        }
        try before.requireUnchanged(descriptor: fd, path: absolutePath, relative: relative, bytesRead: total)
        return RawFileHash(path: relative, sha256: hasher.finalize().hexDigits(), bytes: total)
    }
}

/// What identifies a file's content without reading it: device, inode, size, and the modification
/// and change times (nanoseconds). Writing in place, truncating or replacing by rename all change it.
struct FileIdentity: Equatable {
    var device: UInt64, inode: UInt64, size: Int64
    var modified: timespec, changed: timespec

    init(_ s: stat) {
        device = UInt64(s.st_dev); inode = UInt64(s.st_ino); size = Int64(s.st_size)
        modified = s.st_mtim; changed = s.st_ctim
    }

    init(descriptor fd: Int32, path: String) throws {
        var s = stat()
        guard fstat(fd, &s) == 0 else { throw CurateError.systemCall("cannot stat", path: path) }
        self.init(s)
    }

    static func == (a: FileIdentity, b: FileIdentity) -> Bool {
        a.device == b.device && a.inode == b.inode && a.size == b.size
            && a.modified.tv_sec == b.modified.tv_sec && a.modified.tv_nsec == b.modified.tv_nsec
            && a.changed.tv_sec == b.changed.tv_sec && a.changed.tv_nsec == b.changed.tv_nsec
    }

    /// At the end of a read: the open file is as it was when opened, it was read to its size, and
    /// the path still names it. Otherwise `raw-changed`: the bytes read may mix two versions.
    func requireUnchanged(descriptor fd: Int32, path: String, relative: String, bytesRead: Int) throws {
        let now = try FileIdentity(descriptor: fd, path: relative)
        var named = stat()
        let renamed = stat(path, &named) != 0 || UInt64(named.st_dev) != device || UInt64(named.st_ino) != inode
        let why: String?
        if renamed { why = "it was replaced (renamed over or deleted) while it was read" }
        else if now.size != size { why = "its size changed from \(size) to \(now.size) bytes while it was read" }
        else if now != self { why = "it was written to while it was read" }
        else if Int64(bytesRead) != size { why = "\(bytesRead) bytes were read from a file of \(size)" }
        else { why = nil }
        if let why {
            throw CurateError(.rawChanged, "\(why): nothing published; run again once the file is complete",
                              at: SourceLocation(file: relative))
        }
    }
}

/// Watches a run's reads of one raw file (installed as the `ReadObserver` while the dataset is read):
/// hashes each whole read in the same pass, and checks at its end that the file did not change.
final class RawSnapshot: ReadObserver, @unchecked Sendable {
    let path: String
    let relative: String
    /// The file as it was just before the read started.
    let before: FileIdentity
    /// Tests: called after each chunk of the raw file is read, with the offset reached.
    let hook: (@Sendable (String, Int) -> Void)?
    private var completed: [RawFileHash] = []
    private var failure: CurateError?

    init(path: String, relative: String, hook: (@Sendable (String, Int) -> Void)? = nil) throws {
        self.path = path; self.relative = relative; self.hook = hook
        var s = stat()
        guard stat(path, &s) == 0 else { throw CurateError.systemCall("cannot stat", path: relative) }
        before = FileIdentity(s)
    }

    func opened(path: String, descriptor: Int32) -> (any ReadObservation)? {
        guard path == self.path else { return nil }
        return Pass(snapshot: self, descriptor: descriptor)
    }

    /// The hash of the bytes read, once the readers are done. Every whole read must have seen the
    /// file as it was before the read started; a reader that does not go through `ByteSource`
    /// (XLSX, read by ZIPFoundation) gets one more streaming pass, under the same identity check.
    func finish() throws -> RawFileHash {
        if let failure { throw failure }
        guard let first = completed.first else {
            let hash = try RawFileHash.of(path, as: relative)
            var s = stat()
            guard stat(path, &s) == 0, FileIdentity(s) == before else { throw changed("it changed while it was read") }
            return hash
        }
        guard completed.allSatisfy({ $0 == first }) else { throw changed("two reads of it gave different bytes") }
        return first
    }

    private func changed(_ why: String) -> CurateError {
        CurateError(.rawChanged, "\(why): nothing published; run again once the file is complete", at: SourceLocation(file: relative))
    }

    /// One whole read of the file: its chunks hashed through a `BatchPipe` on another thread (a copy
    /// of each, as the reader reuses its buffer; at most four waiting), so the thread that parses
    /// them does not also hash them (measured: about 0.5 s of a 200 MB run's critical thread).
    private final class Pass: ReadObservation {
        let snapshot: RawSnapshot
        let descriptor: Int32
        private let digest: Digest
        private let hashing: BatchPipe<[UInt8]>
        var bytes = 0
        var opened: FileIdentity?

        init(snapshot: RawSnapshot, descriptor: Int32) {
            self.snapshot = snapshot; self.descriptor = descriptor
            opened = try? FileIdentity(descriptor: descriptor, path: snapshot.relative)
            let digest = Digest()
            self.digest = digest
            hashing = BatchPipe(batchSize: 1, depth: 4) { chunks in
                for chunk in chunks { chunk.withUnsafeBytes { digest.hasher.update(bufferPointer: $0) } }
            }
        }

        func received(_ chunk: UnsafeBufferPointer<UInt8>, at offset: Int) throws {
            try hashing.send(Array(chunk))
            bytes += chunk.count
            snapshot.hook?(snapshot.relative, offset + chunk.count)
        }

        func ended() throws {
            do {
                guard opened == snapshot.before else {
                    throw snapshot.changed("it was replaced or written to between the start of the run and its read")
                }
                try snapshot.before.requireUnchanged(descriptor: descriptor, path: snapshot.path, relative: snapshot.relative, bytesRead: bytes)
                try hashing.finish()
                let sha256 = digest.hasher.finalize().hexDigits()
                snapshot.completed.append(RawFileHash(path: snapshot.relative, sha256: sha256, bytes: bytes))
            } catch let error as CurateError {
                snapshot.failure = snapshot.failure ?? error
                throw error
            }
        }

        /// The hasher: fed on the pipe's thread, read once `finish` has returned.
        private final class Digest { var hasher = SHA256() }
    }
}
