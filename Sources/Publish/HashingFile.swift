#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Foundation
import Crypto
import CurateCore
import CurateSystem

/// A file written through 256 kB buffers, its SHA-256 and length computed on the way.
///
/// The hashing and the `write(2)` calls happen on a background queue, so that the thread making the
/// rows (the run's bottleneck) does not wait for the kernel's copy into the page cache: measured,
/// those two were about 14% of a `curate run`. Three buffers take turns: one being filled, at most
/// two being hashed and written, so memory stays under 1 MB a file whatever its size. The first error
/// on the queue is kept and thrown by the next `append` or by `close`.
final class HashingFile {
    let path: String
    private(set) var bytes = 0
    private var buffer: [UInt8] = []
    private let sink: Sink
    private let queue: DispatchQueue
    /// Counts the spare buffers, so a flush waits when two are still being written.
    private let spares = DispatchSemaphore(value: HashingFile.inFlight)
    private var closed = false
    private static let bufferSize = 1 << 18
    private static let inFlight = 2

    init(path: String) throws {
        self.path = path
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CurateError.systemCall("cannot create", path: path) }
        sink = Sink(fd: fd, path: path, spares: (0..<Self.inFlight).map { _ in Self.emptyBuffer() })
        queue = DispatchQueue(label: "curate.hashing-file")
        buffer = Self.emptyBuffer()
    }

    deinit {
        if !closed { queue.sync { sink.closeDescriptor() } }
    }

    private static func emptyBuffer() -> [UInt8] {
        var b: [UInt8] = []
        b.reserveCapacity(bufferSize + bufferSize / 4)
        return b
    }

    func write(_ text: String) throws {
        var text = text
        text.withUTF8 { buffer.append(contentsOf: $0) }
        if buffer.count >= Self.bufferSize { try flush() }
    }

    /// Lets `body` append bytes to the buffer directly.
    func append(_ body: (inout [UInt8]) -> Void) throws {
        body(&buffer)
        if buffer.count >= Self.bufferSize { try flush() }
    }

    /// Hands the full buffer to the queue and carries on with a spare one.
    private func flush() throws {
        guard !buffer.isEmpty else { return }
        if let error = sink.firstError { throw error }
        spares.wait()
        let full = Full(bytes: sink.takeSpare())
        swap(&full.bytes, &buffer)
        bytes += full.bytes.count
        let (sink, spares) = (self.sink, self.spares)
        queue.async {
            sink.write(full)
            spares.signal()
        }
    }

    /// Writes what is left, waits for the queue, syncs the file to disk and closes it.
    func close() throws { try Self.close([self]) }

    /// Closes `files` together: their last writes and their syncs to disk overlap.
    /// Every file is closed (its descriptor released) even when one fails; the error thrown is the
    /// first in the order of `files`, whichever finished first.
    static func close(_ files: [HashingFile]) throws {
        let failures = Failures(count: files.count)
        for (i, file) in files.enumerated() {
            do { try file.flush() } catch { failures.set(i, error) }
            file.closed = true
        }
        let group = DispatchGroup()
        for (i, file) in files.enumerated() {
            let sink = file.sink
            file.queue.async(group: group) {
                do { try sink.finish() } catch { failures.set(i, error) }
            }
        }
        group.wait()
        if let error = failures.first { throw error }
    }

    /// Each file's first error, for files closed together.
    private final class Failures: @unchecked Sendable {
        private var errors: [Error?]
        private let lock = NSLock()
        init(count: Int) { errors = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ error: Error) { lock.withLock { if errors[i] == nil { errors[i] = error } } }
        var first: Error? { lock.withLock { errors.lazy.compactMap { $0 }.first } }
    }

    /// The SHA-256 of everything written; call after `close`.
    func digest() -> String { queue.sync { sink.digest() } }

    /// A full buffer on its way to the queue (a class, so the queue empties the one buffer in place).
    private final class Full: @unchecked Sendable {
        var bytes: [UInt8]
        init(bytes: [UInt8]) { self.bytes = bytes }
    }

    /// What the queue owns: the descriptor, the hasher and the spare buffers. Touched only on the
    /// queue, except `takeSpare` and `firstError`, which take the lock.
    private final class Sink: @unchecked Sendable {
        let fd: Int32
        let path: String
        private var hasher = SHA256()
        private var spareBuffers: [[UInt8]]
        private var error: CurateError?
        private var descriptorOpen = true
        /// Bytes written so far (where the next buffer lands).
        private var written: Int64 = 0
        private let lock = NSLock()

        init(fd: Int32, path: String, spares: [[UInt8]]) { self.fd = fd; self.path = path; spareBuffers = spares }

        var firstError: CurateError? { lock.withLock { error } }

        /// A spare buffer (one is there: the caller waited on the semaphore that counts them).
        func takeSpare() -> [UInt8] { lock.withLock { spareBuffers.removeLast() } }

        func write(_ box: Full) {
            // Taken out of the box, so the buffer is uniquely held and is emptied in place.
            var full: [UInt8] = []
            swap(&full, &box.bytes)
            if lock.withLock({ error == nil }) {
                full.withUnsafeBytes { raw in
                    hasher.update(bufferPointer: raw)
                    var offset = 0
                    while offset < raw.count {
                        let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                        if n < 0 {
                            if errno == EINTR { continue }
                            let failure = CurateError.systemCall("cannot write", path: path)
                            lock.withLock { error = error ?? failure }
                            return
                        }
                        offset += n
                    }
                    // Starts writing these bytes to disk now, so that the sync at the end waits
                    // for the last buffers only (not the whole file, while nothing else runs).
                    _ = curate_start_writeback(fd, written, Int64(raw.count))
                    written += Int64(raw.count)
                }
            }
            full.removeAll(keepingCapacity: true)
            lock.withLock { spareBuffers.append(full) }
        }

        func finish() throws {
            if let error = firstError { closeDescriptor(); throw error }
            guard fsync(fd) == 0 else {
                let failure = CurateError.systemCall("cannot sync", path: path)
                closeDescriptor()
                throw failure
            }
            closeDescriptor()
        }

        func closeDescriptor() {
            if descriptorOpen { Glibc.close(fd); descriptorOpen = false }
        }

        func digest() -> String { hasher.finalize().hexDigits() }
    }
}
