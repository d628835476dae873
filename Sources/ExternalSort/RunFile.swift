import Foundation
import CurateCore

/// A sorted run on disk: records as `varint key length, key, varint payload length, payload`,
/// assembled in a 1 MiB buffer and written with `write(2)`, read back by `read(2)` into buffers of
/// the reader's own. Runs live in the caller's staging folder and are
/// removed when the sorter is done with them.
final class RunWriter {
    let path: String
    private let fd: Int32
    /// Records are assembled here and written 1 MiB at a time. Mapped, not allocated: a run's
    /// buffer goes back to the system when its run is written, not to the spilling thread's heap.
    private let buffer: UnsafeMutableRawPointer
    private let capacity = 1 << 20
    private var used = 0
    private(set) var records = 0

    init(path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CurateError.systemCall("open", path: path) }
        guard let mapped = mmap(nil, capacity, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), mapped != MAP_FAILED else {
            Glibc.close(fd)
            throw CurateError.systemCall("mmap", path: path)
        }
        self.path = path; self.fd = fd
        buffer = mapped
    }

    deinit { Glibc.close(fd); munmap(buffer, capacity) }

    func write(key: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer) throws {
        let size = 20 + key.count + payload.count
        if used + size > capacity { try flush() }
        if size > capacity {
            // A record larger than the buffer: its lengths and bytes written straight through.
            var header: (UInt64, UInt64, UInt64) = (0, 0, 0)
            try withUnsafeMutableBytes(of: &header) { h in
                try put(UnsafeRawBufferPointer(rebasing: h[0..<Varint.put(key.count, into: h)]))
                try put(key)
                try put(UnsafeRawBufferPointer(rebasing: h[0..<Varint.put(payload.count, into: h)]))
                try put(payload)
            }
        } else {
            used += Varint.put(key.count, into: UnsafeMutableRawBufferPointer(start: buffer + used, count: 10))
            if key.count > 0 { (buffer + used).copyMemory(from: key.baseAddress!, byteCount: key.count) }
            used += key.count
            used += Varint.put(payload.count, into: UnsafeMutableRawBufferPointer(start: buffer + used, count: 10))
            if payload.count > 0 { (buffer + used).copyMemory(from: payload.baseAddress!, byteCount: payload.count) }
            used += payload.count
        }
        records += 1
    }

    func close() throws { try flush() }

    private func flush() throws {
        try put(UnsafeRawBufferPointer(start: buffer, count: used))
        used = 0
    }

    private func put(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw CurateError.systemCall("write", path: path)
            }
            if n == 0 { throw CurateError(.ioError, "sort run \(path): the system wrote nothing", at: SourceLocation(file: path)) }
            offset += n
        }
    }
}

/// Reads one run back, a record at a time, with `read(2)` into a buffer of its own where records
/// are parsed in place (no stdio buffer copied from, no call per length byte): the current
/// record's key and payload stay valid until the next `advance`.
final class RunReader {
    let path: String
    private let fd: Int32
    private var buffer: UnsafeMutableRawPointer
    private var capacity: Int
    /// The bytes read and not yet parsed are `start..<end`; the current record starts at `record`.
    private var start = 0, end = 0, record = 0
    private var keyLength = 0, payloadLength = 0
    private var atEOF = false

    convenience init(path: String) throws { try self.init(path: path, bufferSize: 64 << 10) }

    init(path: String, bufferSize: Int) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CurateError.systemCall("open", path: path) }
        self.path = path; self.fd = fd
        capacity = max(bufferSize, 16)
        buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
    }

    deinit { Glibc.close(fd); buffer.deallocate() }

    /// The current record's key and payload (after an `advance` that returned true).
    var key: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: buffer + record, count: keyLength) }
    var payload: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: buffer + record + keyLength, count: payloadLength) }

    /// Reads the next record; false at the end of the run.
    func advance() throws -> Bool {
        while true {
            if let (header, key, payload) = parse() {
                record = start + header
                (keyLength, payloadLength) = (key, payload)
                start = record + key + payload
                return true
            }
            if atEOF {
                if start == end { return false }
                throw truncated()
            }
            try refill()
        }
    }

    /// The next record as arrays, or nil at the end of the run.
    func next() throws -> SortedRecord? {
        guard try advance() else { return nil }
        return SortedRecord(key: Array(key), payload: Array(payload))
    }

    /// The record at `start` when all of it has been read: the bytes of its two lengths between
    /// them (the key follows the first, the payload the second), its key's and payload's lengths.
    private func parse() -> (header: Int, key: Int, payload: Int)? {
        var at = start
        guard let key = varint(&at), key <= end - at else { return nil }
        let keyEnd = at + key
        var after = keyEnd
        guard let payload = varint(&after), payload <= end - after else { return nil }
        // The key is moved up against the payload's length so the record reads as key + payload.
        let header = after - start - key
        if after != keyEnd {
            (buffer + after - key).copyMemory(from: buffer + at, byteCount: key)
        }
        return (header, key, payload)
    }

    private func varint(_ at: inout Int) -> Int? {
        var value = 0, shift = 0
        while at < end {
            let b = buffer.load(fromByteOffset: at, as: UInt8.self)
            at += 1
            value |= Int(b & 0x7F) << shift
            if b < 0x80 { return value }
            shift += 7
            if shift > 56 { return nil }
        }
        return nil
    }

    /// Moves the unparsed bytes to the front (the buffer doubled when they fill it: a record larger
    /// than the buffer) and reads more after them.
    private func refill() throws {
        if start > 0 {
            if end > start { buffer.copyMemory(from: buffer + start, byteCount: end - start) }
            end -= start; start = 0
        }
        if end == capacity {
            let grown = UnsafeMutableRawPointer.allocate(byteCount: 2 * capacity, alignment: 8)
            grown.copyMemory(from: buffer, byteCount: end)
            buffer.deallocate()
            buffer = grown; capacity *= 2
        }
        while true {
            let n = read(fd, buffer + end, capacity - end)
            if n < 0 {
                if errno == EINTR { continue }
                throw CurateError.systemCall("read", path: path)
            }
            if n == 0 { atEOF = true } else { end += n }
            return
        }
    }

    private func truncated() -> CurateError {
        CurateError(.ioError, "sort run \(path) ends inside a record", at: SourceLocation(file: path))
    }
}

/// LEB128 lengths: one byte for anything under 128.
enum Varint {
    static func append(_ value: Int, to bytes: inout [UInt8]) {
        var v = UInt64(value)
        while v >= 0x80 { bytes.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        bytes.append(UInt8(v))
    }

    /// Writes `value` at the start of `buffer` (at least 10 bytes); returns the bytes written.
    static func put(_ value: Int, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        var v = UInt64(value), n = 0
        while v >= 0x80 { buffer[n] = UInt8(v & 0x7F) | 0x80; v >>= 7; n += 1 }
        buffer[n] = UInt8(v)
        return n + 1
    }
}
