import Ingest

/// Writes table rows as JSON lines straight from their bytes, in blocks of 256 KiB: `curate read`
/// makes no String per field (nor per block, when the caller takes bytes). The keys are encoded once; a value with nothing to escape is copied
/// as it is. The output is byte for byte what `JSONText.object` writes.
final class JSONLineWriter {
    /// `{"key":` for the first column, `,"key":` for the others, one after the other in `keyBytes`
    /// (flat, so that a row touches no reference-counted storage).
    private var keyBytes: UnsafeMutablePointer<UInt8>
    private var keyBytesCapacity = 256, keyBytesCount = 0
    /// Key `k` is keyBytes[keyEnds[k − 1] ..< keyEnds[k]] (key 0 starts at 0).
    private var keyEnds: UnsafeMutablePointer<Int>
    private var keyCapacity = 16, keyCount = 0
    private let block = OutputBlock()

    init() {
        keyBytes = .allocate(capacity: keyBytesCapacity)
        keyEnds = .allocate(capacity: keyCapacity)
    }

    /// The header's keys, in column order (called once, before the first row).
    func setKeys(_ keys: [String]) {
        keyBytesCount = 0; keyCount = 0
        for key in keys { addKey(key) }
    }

    deinit { keyBytes.deallocate(); keyEnds.deallocate() }

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
        let block = self.block
        if record.count == 0 {
            block.put(UInt8(ascii: "{")); block.put(UInt8(ascii: "}")); block.put(0x0A)
            return
        }
        var keyStart = 0
        for index in 0..<record.count {
            let keyEnd = keyEnds[index]
            block.put(UnsafeBufferPointer(start: keyBytes + keyStart, count: keyEnd - keyStart))
            keyStart = keyEnd
            block.putJSONString(record[index])
        }
        block.put(UInt8(ascii: "}")); block.put(0x0A)
        try block.flushIfFull(to: write)
    }

    /// Hands what is buffered to `write` (UTF-8: the values were validated when decoded).
    func flush(to write: (UnsafeBufferPointer<UInt8>) throws -> Void) throws { try block.flush(to: write) }
}
