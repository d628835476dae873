import Foundation
import CurateCore

/// A sorted run on disk: records as `varint key length, key, varint payload length, payload`,
/// written and read through 1 MiB stdio buffers. Runs live in the caller's staging folder and are
/// removed when the sorter is done with them.
final class RunWriter {
    let path: String
    private let file: UnsafeMutablePointer<FILE>
    private(set) var records = 0

    init(path: String) throws {
        guard let file = fopen(path, "wb") else { throw CurateError.systemCall("fopen", path: path) }
        setvbuf(file, nil, _IOFBF, 1 << 20)
        self.path = path; self.file = file
    }

    deinit { fclose(file) }

    func write(key: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer) throws {
        // The two lengths are put on the stack: an array per record was a malloc per record.
        var header: (UInt64, UInt64) = (0, 0)
        let written = withUnsafeMutableBytes(of: &header) { h -> Bool in
            let n = Varint.put(key.count, into: h)
            guard put(h.baseAddress!, n), key.isEmpty || put(key.baseAddress!, key.count) else { return false }
            let m = Varint.put(payload.count, into: h)
            return put(h.baseAddress!, m) && (payload.isEmpty || put(payload.baseAddress!, payload.count))
        }
        guard written else { throw failure() }
        records += 1
    }

    /// One thread writes a run: stdio's locking `fwrite`, four calls a record, cost a lock each.
    @inline(__always)
    private func put(_ bytes: UnsafeRawPointer, _ count: Int) -> Bool {
        #if canImport(Glibc)
        fwrite_unlocked(bytes, 1, count, file) == count
        #else
        fwrite(bytes, 1, count, file) == count
        #endif
    }

    func close() throws {
        guard fflush(file) == 0 else { throw failure() }
    }

    private func failure() -> CurateError { CurateError.systemCall("fwrite", path: path) }
}

/// Reads one run back, a record at a time, into a buffer of its own: the current record's key and
/// payload stay valid until the next `advance` (no array per record).
final class RunReader {
    let path: String
    private let file: UnsafeMutablePointer<FILE>
    private var buffer: UnsafeMutableRawPointer
    private var capacity = 256
    private var keyLength = 0, payloadLength = 0

    init(path: String) throws {
        guard let file = fopen(path, "rb") else { throw CurateError.systemCall("fopen", path: path) }
        setvbuf(file, nil, _IOFBF, 1 << 20)
        self.path = path; self.file = file
        buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
    }

    deinit { fclose(file); buffer.deallocate() }

    /// The current record's key and payload (after an `advance` that returned true).
    var key: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: buffer, count: keyLength) }
    var payload: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: buffer + keyLength, count: payloadLength) }

    /// Reads the next record; false at the end of the run.
    func advance() throws -> Bool {
        guard let keyLength = try readVarint(atEnd: true) else { return false }
        try reserve(keyLength, keeping: 0)
        try read(into: buffer, keyLength)
        guard let payloadLength = try readVarint(atEnd: false) else { throw truncated() }
        try reserve(keyLength + payloadLength, keeping: keyLength)
        try read(into: buffer + keyLength, payloadLength)
        (self.keyLength, self.payloadLength) = (keyLength, payloadLength)
        return true
    }

    /// The next record as arrays, or nil at the end of the run.
    func next() throws -> SortedRecord? {
        guard try advance() else { return nil }
        return SortedRecord(key: Array(key), payload: Array(payload))
    }

    /// Room for `count` bytes, the first `kept` of the buffer (read already) carried over.
    private func reserve(_ count: Int, keeping kept: Int) throws {
        guard count > capacity else { return }
        guard count <= Int(Int32.max) else { throw truncated() }
        while capacity < count { capacity *= 2 }
        let grown = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        grown.copyMemory(from: buffer, byteCount: kept)
        buffer.deallocate()
        buffer = grown
    }

    private func read(into target: UnsafeMutableRawPointer, _ count: Int) throws {
        guard count > 0 else { return }
        #if canImport(Glibc)
        let read = fread_unlocked(target, 1, count, file)   // one thread reads a run, as `getc_unlocked` below
        #else
        let read = fread(target, 1, count, file)
        #endif
        guard read == count else { throw truncated() }
    }

    private func readVarint(atEnd allowed: Bool) throws -> Int? {
        var value = 0, shift = 0
        while true {
            let c = getc_unlocked(file)   // one thread reads a run: the locking getc was a lock per byte
            if c == EOF {
                if shift == 0 && allowed { return nil }
                throw truncated()
            }
            value |= Int(c & 0x7F) << shift
            if c & 0x80 == 0 { return value }
            shift += 7
            if shift > 56 { throw truncated() }
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
