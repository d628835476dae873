import Ingest

/// Writes table rows as JSON lines straight from their bytes, in blocks of 256 KiB: `curate read`
/// makes no String per field (nor per block, when the caller takes bytes). The keys are encoded once; a value with nothing to escape is copied
/// as it is. The output is byte for byte what `JSONText.object` writes.
final class JSONLineWriter {
    private static let blockSize = 1 << 18
    /// `{"key":` for the first column, `,"key":` for the others, one after the other in `keyBytes`
    /// (flat, so that a row touches no reference-counted storage).
    private var keyBytes: UnsafeMutablePointer<UInt8>
    private var keyBytesCapacity = 256, keyBytesCount = 0
    /// Key `k` is keyBytes[keyEnds[k − 1] ..< keyEnds[k]] (key 0 starts at 0).
    private var keyEnds: UnsafeMutablePointer<Int>
    private var keyCapacity = 16, keyCount = 0
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity = JSONLineWriter.blockSize * 2
    private var count = 0

    init() {
        buffer = .allocate(capacity: capacity)
        keyBytes = .allocate(capacity: keyBytesCapacity)
        keyEnds = .allocate(capacity: keyCapacity)
    }

    /// The header's keys, in column order (called once, before the first row).
    func setKeys(_ keys: [String]) {
        keyBytesCount = 0; keyCount = 0
        for key in keys { addKey(key) }
    }

    deinit { buffer.deallocate(); keyBytes.deallocate(); keyEnds.deallocate() }

    private func addKey(_ key: String) {
        var prefix: [UInt8] = [UInt8(ascii: keyCount == 0 ? "{" : ",")]
        JSONText.append(key, to: &prefix)
        prefix.append(UInt8(ascii: ":"))
        if keyBytesCount + prefix.count > keyBytesCapacity {
            keyBytesCapacity = 2 * (keyBytesCount + prefix.count)
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: keyBytesCapacity)
            bigger.update(from: keyBytes, count: keyBytesCount)
            keyBytes.deallocate(); keyBytes = bigger
        }
        if keyCount == keyCapacity {
            keyCapacity *= 2
            let bigger = UnsafeMutablePointer<Int>.allocate(capacity: keyCapacity)
            bigger.update(from: keyEnds, count: keyCount)
            keyEnds.deallocate(); keyEnds = bigger
        }
        prefix.withUnsafeBufferPointer { (keyBytes + keyBytesCount).update(from: $0.baseAddress!, count: $0.count) }
        keyBytesCount += prefix.count
        keyEnds[keyCount] = keyBytesCount
        keyCount += 1
    }

    /// Appends one row; cells beyond the header get `column<N>` keys.
    func append(_ record: ByteRecord, flushingTo write: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        while keyCount < record.count { addKey("column\(keyCount + 1)") }
        if record.count == 0 {
            reserve(3)
            buffer[count] = UInt8(ascii: "{"); buffer[count + 1] = UInt8(ascii: "}"); buffer[count + 2] = UInt8(ascii: "\n")
            count += 3
            return
        }
        var keyStart = 0
        for index in 0..<record.count {
            let value = record[index]
            let keyEnd = keyEnds[index]
            reserve(keyEnd - keyStart + 6 * value.count + 4)
            (buffer + count).update(from: keyBytes + keyStart, count: keyEnd - keyStart)
            count += keyEnd - keyStart
            keyStart = keyEnd
            putString(value)
        }
        buffer[count] = UInt8(ascii: "}"); buffer[count + 1] = UInt8(ascii: "\n"); count += 2
        if count >= Self.blockSize { try flush(to: write) }
    }

    /// Hands what is buffered to `write` (UTF-8: the values were validated when decoded).
    func flush(to write: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        guard count > 0 else { return }
        let produced = count
        count = 0
        try write(UnsafeBufferPointer(start: buffer, count: produced))
    }

    @inline(__always)
    private func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        var grown = capacity * 2
        while grown < count + extra { grown *= 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        bigger.update(from: buffer, count: count)
        buffer.deallocate()
        buffer = bigger; capacity = grown
    }

    @inline(__always)
    private func put(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { (buffer + count).update(from: $0.baseAddress!, count: $0.count) }
        count += bytes.count
    }

    /// A JSON string literal of UTF-8 bytes (already validated by the decoder).
    @inline(__always)
    private func putString(_ value: UnsafeBufferPointer<UInt8>) {
        buffer[count] = UInt8(ascii: "\""); count += 1
        var plain = true
        for byte in value where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { plain = false; break }
        if plain {
            if let base = value.baseAddress { (buffer + count).update(from: base, count: value.count) }
            count += value.count
        } else {
            for byte in value { escape(byte) }
        }
        buffer[count] = UInt8(ascii: "\""); count += 1
    }

    private func escape(_ byte: UInt8) {
        let hex = Array("0123456789abcdef".utf8)
        var put: [UInt8]
        switch byte {
        case UInt8(ascii: "\""): put = [0x5C, 0x22]
        case UInt8(ascii: "\\"): put = [0x5C, 0x5C]
        case 0x0A: put = [0x5C, UInt8(ascii: "n")]
        case 0x0D: put = [0x5C, UInt8(ascii: "r")]
        case 0x09: put = [0x5C, UInt8(ascii: "t")]
        case 0..<0x20: put = [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
        default: buffer[count] = byte; count += 1; return
        }
        self.put(put)
    }
}
