/// One record of a delimited file as bytes: the field texts (quotes removed, `""` unescaped) lie in
/// one buffer, cut by offsets. No `String` is made until a value is asked for: `curate read`
/// writes JSON straight from these bytes.
///
/// A view into the parser's buffer: valid only inside the callback that receives it. Copy out
/// what you keep (`raw`, `string(_:)`).
public struct ByteRecord {
    /// 1-based physical line where the record starts.
    public let line: Int
    /// Number of fields.
    public let count: Int
    private let base: UnsafePointer<UInt8>
    /// start, end of field 0, start, end of field 1, … as offsets from `base`.
    private let bounds: UnsafePointer<Int>

    init(line: Int, count: Int, base: UnsafePointer<UInt8>, bounds: UnsafePointer<Int>) {
        self.line = line; self.count = count; self.base = base; self.bounds = bounds
    }

    /// The UTF-8 bytes of field `index`.
    @inline(__always)
    public subscript(index: Int) -> UnsafeBufferPointer<UInt8> {
        let start = bounds[2 * index]
        return UnsafeBufferPointer(start: base + start, count: bounds[2 * index + 1] - start)
    }

    /// Field `index` as text.
    public func string(_ index: Int) -> String { String(decoding: self[index], as: UTF8.self) }

    /// The record with its fields as Strings, for readers that need text.
    public var raw: RawRecord { RawRecord(line: line, fields: (0..<count).map(string)) }

    /// True when every field is empty (an empty line, or only delimiters).
    public var isBlank: Bool {
        for index in 0..<count where bounds[2 * index + 1] > bounds[2 * index] { return false }
        return true
    }

    /// The first field with any bytes in it.
    public var firstNonEmpty: UnsafeBufferPointer<UInt8>? {
        for index in 0..<count where bounds[2 * index + 1] > bounds[2 * index] { return self[index] }
        return nil
    }
}

extension RawRecord {
    /// Calls `body` with the record packed as a byte record (for sources that produce Strings).
    public func withByteRecord<T>(_ body: (ByteRecord) throws -> T) rethrows -> T {
        var bytes: [UInt8] = [0]   // never empty, so the buffer has an address
        var bounds: [Int] = []
        bounds.reserveCapacity(2 * fields.count)
        for field in fields {
            bounds.append(bytes.count)
            bytes.append(contentsOf: field.utf8)
            bounds.append(bytes.count)
        }
        if bounds.isEmpty { bounds = [0] }
        return try bytes.withUnsafeBufferPointer { buffer in
            try bounds.withUnsafeBufferPointer { offsets in
                try body(ByteRecord(line: line, count: fields.count, base: buffer.baseAddress!, bounds: offsets.baseAddress!))
            }
        }
    }
}
