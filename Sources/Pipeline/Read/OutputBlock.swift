import Publish

/// The bytes `curate read`'s writers (JSON lines, CSV rows) gather before handing them on: grown
/// when a line needs more room, passed to the caller's `write` once they reach `blockSize`, so a
/// read of any size holds one block. Raw memory: the writers' loops run for every field of every
/// row, and an array there costs a uniqueness check per append.
final class OutputBlock {
    static let blockSize = 1 << 18
    private(set) var base: UnsafeMutablePointer<UInt8>
    /// Bytes written so far; writers that write through `end` set it after.
    var count = 0
    private var capacity = OutputBlock.blockSize * 2

    init() { base = .allocate(capacity: capacity) }
    deinit { base.deallocate() }

    /// Where the next byte goes.
    var end: UnsafeMutablePointer<UInt8> { base + count }

    /// Makes room for `extra` more bytes.
    @inline(__always)
    func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        var grown = capacity * 2
        while grown < count + extra { grown *= 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        bigger.update(from: base, count: count)
        base.deallocate()
        base = bigger; capacity = grown
    }

    @inline(__always)
    func put(_ byte: UInt8) { reserve(1); base[count] = byte; count += 1 }

    @inline(__always)
    func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        reserve(bytes.count)
        if let from = bytes.baseAddress { end.update(from: from, count: bytes.count) }
        count += bytes.count
    }

    /// `bytes` as a JSON string literal (`JSONText.put`).
    @inline(__always)
    func putJSONString(_ bytes: UnsafeBufferPointer<UInt8>) {
        reserve(JSONText.maxLength(bytes.count))
        count = JSONText.put(bytes, at: end) - base
    }

    /// `bytes` as a CSV field, quoted only when it holds a comma, quote or line break (the rule
    /// `CSVBytes` owns).
    func putCSVField(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard CSVBytes.needsQuotes(bytes) else { return put(bytes) }
        reserve(2 * bytes.count + 2)
        base[count] = 0x22; count += 1
        for byte in bytes {
            if byte == 0x22 { base[count] = 0x22; count += 1 }
            base[count] = byte; count += 1
        }
        base[count] = 0x22; count += 1
    }

    /// Hands on the block once it is full.
    @inline(__always)
    func flushIfFull(to write: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        if count >= Self.blockSize { try flush(to: write) }
    }

    /// Hands on whatever is gathered.
    func flush(to write: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        guard count > 0 else { return }
        let produced = count
        count = 0
        try write(UnsafeBufferPointer(start: base, count: produced))
    }
}
