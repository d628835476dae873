import Foundation
import CurateCore

/// A curated row as bytes for the sorter's runs: its values (a tag byte, then an integer's 8
/// bytes, a Decimal's bytes as laid out in memory, or a string's length and UTF-8) and its lineage
/// parts (file, row, column, field, raw text, source unit, factor, precision, steps), kept apart so that
/// lineage.csv formats them once, when it is written. Only this process reads these bytes back.
enum RowCodec {
    private enum Tag: UInt8 { case null = 0, integer, number, string }

    static func encode(_ row: CuratedRow, into bytes: inout [UInt8]) {
        bytes.removeAll(keepingCapacity: true)
        appendCount(row.values.count, &bytes)
        for value in row.values { append(value, &bytes) }
        let l = row.lineage, s = l.source
        append(s.file, &bytes)
        append(s.row, &bytes)
        append(s.column, &bytes)
        append(s.field, &bytes)
        append(s.raw, &bytes)
        append(l.sourceUnit, &bytes)
        if let f = l.factor { append(.number(f), &bytes) } else { append(.null, &bytes) }
        if let p = l.precision { append(.number(p), &bytes) } else { append(.null, &bytes) }
        appendCount(l.steps.count, &bytes)
        for step in l.steps { append(step, &bytes) }
    }

    /// Decodes rows, reusing the file name and field label of the row before (a table's rows
    /// share a handful), so a long name is not a new String per row. The reused Strings are made
    /// anew every `BatchPipe` batch: the rows go to another thread, which must not release the
    /// same object this one retains (see `BatchLocalCopy`).
    final class Decoder {
        private var file = "", field = ""
        private var decoded = 0

        func decode(_ bytes: [UInt8]) -> CuratedRow {
            decoded += 1
            if decoded == BatchPipe<Int>.defaultBatchSize { decoded = 0; file = ""; field = "" }
            var reader = Reader(bytes: bytes)
            let n = reader.count()
            var values: [Value] = []
            values.reserveCapacity(n)
            for _ in 0..<n { values.append(reader.value()) }
            let file = reader.string(reusing: &self.file) ?? ""
            let row = reader.int(), column = reader.int()
            let place = SourceLocation(file: file, row: row, column: column, field: reader.string(reusing: &field), raw: reader.string())
            let unit = reader.string()
            let factor = reader.value().decimal
            let precision = reader.value().decimal
            var steps: [String] = []
            for _ in 0..<reader.count() { steps.append(reader.string() ?? "") }
            return CuratedRow(values: values, lineage: Lineage(source: place, sourceUnit: unit, factor: factor, precision: precision, steps: steps))
        }
    }

    static func decode(_ bytes: [UInt8]) -> CuratedRow { Decoder().decode(bytes) }

    private static func appendCount(_ n: Int, _ bytes: inout [UInt8]) {
        var n = UInt(n)
        while n >= 0x80 { bytes.append(UInt8(n & 0x7F) | 0x80); n >>= 7 }
        bytes.append(UInt8(n))
    }

    private static func append(_ value: Value, _ bytes: inout [UInt8]) {
        switch value {
        case .null: bytes.append(Tag.null.rawValue)
        case .integer(let i):
            bytes.append(Tag.integer.rawValue)
            withUnsafeBytes(of: i.littleEndian) { bytes.append(contentsOf: $0) }
        case .number(let d):
            bytes.append(Tag.number.rawValue)
            withUnsafeBytes(of: d) { bytes.append(contentsOf: $0) }
        case .string(let s):
            bytes.append(Tag.string.rawValue)
            append(s, &bytes)
        }
    }

    private static func append(_ s: String?, _ bytes: inout [UInt8]) {
        guard var s else { bytes.append(0); return }
        bytes.append(1)
        s.withUTF8 { utf8 in appendCount(utf8.count, &bytes); bytes.append(contentsOf: utf8) }
    }

    private static func append(_ i: Int?, _ bytes: inout [UInt8]) {
        guard let i else { bytes.append(0); return }
        bytes.append(1)
        withUnsafeBytes(of: i.littleEndian) { bytes.append(contentsOf: $0) }
    }

    private struct Reader {
        let bytes: [UInt8]
        var at = 0

        mutating func byte() -> UInt8 { defer { at += 1 }; return bytes[at] }

        mutating func count() -> Int {
            var n = 0, shift = 0
            while true {
                let b = byte()
                n |= Int(b & 0x7F) << shift
                if b < 0x80 { return n }
                shift += 7
            }
        }

        mutating func fixed<T>(_ type: T.Type) -> T {
            let size = MemoryLayout<T>.size
            defer { at += size }
            return bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: T.self) }
        }

        mutating func int() -> Int? { byte() == 0 ? nil : Int(littleEndian: fixed(Int.self)) }

        mutating func string() -> String? {
            guard byte() != 0 else { return nil }
            let n = count()
            defer { at += n }
            return String(decoding: bytes[at..<at + n], as: UTF8.self)
        }

        /// A string, or `last` again when the bytes spell it (then no String is made).
        mutating func string(reusing last: inout String) -> String? {
            guard byte() != 0 else { return nil }
            let n = count()
            defer { at += n }
            let same = last.utf8.count == n && bytes.withUnsafeBufferPointer { b in last.utf8.elementsEqual(b[at..<at + n]) }
            if !same { last = String(decoding: bytes[at..<at + n], as: UTF8.self) }
            return last
        }

        mutating func value() -> Value {
            switch Tag(rawValue: byte())! {
            case .null: return .null
            case .integer: return .integer(Int(littleEndian: fixed(Int.self)))
            case .number: return .number(fixed(Decimal.self))
            case .string:
                return .string(string() ?? "")
            }
        }
    }
}
