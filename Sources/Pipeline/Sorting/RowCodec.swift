import Foundation
import CurateCore

/// A curated row as bytes for the sorter's runs: its values (a tag byte, then an integer as a
/// zigzag varint, a Decimal's compact bytes, or a string's length and UTF-8) and its lineage parts
/// (file, row, column, field, raw text, source unit, factor, precision, steps), kept apart so that
/// lineage.csv formats them once, when it is written. Only this process reads these bytes back.
///
/// Compact because every byte is written to a run file and read back: a large run's runs hold
/// its whole table once (measured: 200 bytes a row with fixed-width numbers and the file name
/// in each row, about half that now). The file name is an index into `Tables` when the
/// encoder has one (the sorter's), written inline otherwise.
enum RowCodec {
    enum Tag: UInt8 { case null = 0, integer, number, string, wideNumber }

    /// What encoded rows refer to by index, for their decoders: the file names of the rows encoded
    /// so far (a table's rows name one file), and lineage templates (the parts a table's rows share:
    /// file, field, source unit, factor, precision). Written by the encoding thread, read by
    /// decoders on others: under a lock; `last` is the encoder's own (it looks there first, so a
    /// table's rows take no lock).
    final class Tables: @unchecked Sendable {
        private var names: [String] = []
        private var templates: [Template] = []
        private let lock = NSLock()
        fileprivate var last: (name: String, id: Int)?

        /// The name with index `id` (from 0).
        func name(_ id: Int) -> String { lock.withLock { names[id] } }

        fileprivate func id(of name: String) -> Int {
            lock.withLock { names.firstIndex(of: name) ?? { names.append(name); return names.count - 1 }() }
        }

        /// The index of the template of these parts (made when new).
        func template(file: String, field: String?, sourceUnit: String?, factor: Decimal?, precision: Decimal?) -> Int {
            var parts: [UInt8] = []
            append(field, &parts)
            append(sourceUnit, &parts)
            appendValue(factor.map(Value.number) ?? .null, &parts)
            appendValue(precision.map(Value.number) ?? .null, &parts)
            let made = Template(file: id(of: file), parts: parts)
            return lock.withLock { templates.firstIndex(of: made) ?? { templates.append(made); return templates.count - 1 }() }
        }

        /// Template `id`: its file's index and its other parts, encoded as a row's (field, source unit, factor, precision).
        func template(_ id: Int) -> Template { lock.withLock { templates[id] } }
    }

    struct Template: Equatable {
        let file: Int
        let parts: [UInt8]
    }

    /// The values of an encoded row into `values` (emptied first): no String is made for a
    /// string of up to 15 UTF-8 bytes.
    static func values(of bytes: UnsafeRawBufferPointer, into values: inout [Value]) {
        values.removeAll(keepingCapacity: true)
        var reader = Reader(bytes: bytes)
        let n = reader.count()
        for _ in 0..<n { values.append(reader.value()) }
    }

    static func encode(_ row: CuratedRow, into bytes: inout [UInt8]) { encode(row, into: &bytes, tables: nil) }

    /// Appends the encoding of `row` to `bytes` (each `encode` appends: a batch of rows is encoded
    /// in place); with `tables`, its file name as an index into them (filled as names appear).
    static func encode(_ row: CuratedRow, into bytes: inout [UInt8], tables: Tables?) {
        let l = row.lineage, s = l.source
        encode(values: row.values, file: s.file, row: s.row, column: s.column, field: s.field, raw: s.raw,
               sourceUnit: l.sourceUnit, factor: l.factor, precision: l.precision, steps: l.steps, into: &bytes, tables: tables)
    }

    /// The same from a row's parts, for a shaper that never makes the `CuratedRow`.
    static func encode(values: [Value], file: String, row: Int?, column: Int?, field: String?, raw: String?, sourceUnit: String?,
                       factor: Decimal?, precision: Decimal?, steps: [String], into bytes: inout [UInt8], tables: Tables?) {
        appendCount(values.count, &bytes)
        for value in values { appendValue(value, &bytes) }
        appendFile(file, tables, &bytes)
        append(row, &bytes)
        append(column, &bytes)
        append(field, &bytes)
        append(raw, &bytes)
        append(sourceUnit, &bytes)
        appendValue(factor.map(Value.number) ?? .null, &bytes)
        appendValue(precision.map(Value.number) ?? .null, &bytes)
        appendCount(steps.count, &bytes)
        for step in steps { append(step, &bytes) }
    }

    /// A row of a table read as bytes, encoded as `encode(values:…)` encodes it with no Value or
    /// String made: `values` appends the row's `valueCount` values (`appendValue`, `appendString`,
    /// or a part made once by `Parts`); its lineage is a template of `tables` (the parts its table's
    /// rows share), the cell's place and its raw bytes; no steps.
    static func encode<S: ByteSink>(valueCount: Int, values: (inout S) -> Void, template: Int, row: Int, column: Int,
                                    raw: UnsafeBufferPointer<UInt8>, into bytes: inout S) {
        appendCount(valueCount, &bytes)
        values(&bytes)
        appendCount(2 * template + 2, &bytes)
        append(row, &bytes)
        append(column, &bytes)
        appendText(utf8: UnsafeRawBufferPointer(raw), &bytes)
        appendCount(0, &bytes)
    }

    /// A value or lineage text encoded once (by `Parts`), for the rows that repeat it: copying it
    /// into a row's bytes retains nothing.
    struct Part { let bytes: UnsafeRawBufferPointer }

    /// Makes parts and owns their bytes (freed with it): keep it as long as its parts are used.
    final class Parts {
        private var blocks: [UnsafeMutableRawBufferPointer] = []

        deinit { for block in blocks { block.deallocate() } }

        func value(_ value: Value) -> Part { var b: [UInt8] = []; appendValue(value, &b); return keep(b) }
        /// Any bytes kept as a part (a line's field made once).
        func bytes(_ bytes: [UInt8]) -> Part { keep(bytes) }

        private func keep(_ bytes: [UInt8]) -> Part {
            let block = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
            block.copyBytes(from: bytes)
            blocks.append(block)
            return Part(bytes: UnsafeRawBufferPointer(block))
        }
    }

    static func append<S: ByteSink>(_ part: Part, _ bytes: inout S) { bytes.put(part.bytes) }

    /// A string value from its UTF-8 bytes (valid UTF-8: a reader's cell).
    static func appendString<S: ByteSink>(utf8: UnsafeBufferPointer<UInt8>, _ bytes: inout S) {
        bytes.put(Tag.string.rawValue)
        appendText(utf8: UnsafeRawBufferPointer(utf8), &bytes)
    }

    /// A present text: 1, its length, its UTF-8 (the one spelling of a string and a lineage text).
    private static func appendText<S: ByteSink>(utf8: UnsafeRawBufferPointer, _ bytes: inout S) {
        bytes.put(1)
        appendCount(utf8.count, &bytes)
        bytes.put(utf8)
    }

    /// Decodes rows, reusing the file name and field label of the row before (a table's rows
    /// share a handful), so a long name is not a new String per row. A decoder and its rows stay
    /// on one thread; its file name is a copy of its own, not the names table's object.
    final class Decoder {
        private let tables: Tables?
        private var file = "", field = ""

        init(tables: Tables? = nil) { self.tables = tables }

        func decode(_ bytes: [UInt8]) -> CuratedRow { bytes.withUnsafeBytes(decode) }

        func decode(_ raw: UnsafeRawBufferPointer) -> CuratedRow {
            var reader = Reader(bytes: raw)
            let n = reader.count()
            var values: [Value] = []
            values.reserveCapacity(n)
            for _ in 0..<n { values.append(reader.value()) }
            let start = LineageStart(reader.count())
            var template: Template?
            let file: String
            switch start {
            case .inlineFile: file = reader.string(reusing: &self.file) ?? ""
            case .file(let id): file = named(id)
            case .template(let id):
                template = tables?.template(id)
                file = named(template?.file ?? 0)
            }
            let row = reader.int(), column = reader.int()
            let field: String?, raw: String?, unit: String?, factor: Decimal?, precision: Decimal?
            if let template {
                raw = reader.string()
                (field, unit, factor, precision) = template.parts.withUnsafeBytes { bytes in
                    var parts = Reader(bytes: bytes)
                    return (parts.string(reusing: &self.field), parts.string(), parts.value().decimal, parts.value().decimal)
                }
            } else {
                field = reader.string(reusing: &self.field)
                raw = reader.string()
                unit = reader.string()
                factor = reader.value().decimal
                precision = reader.value().decimal
            }
            var steps: [String] = []
            for _ in 0..<reader.count() { steps.append(reader.string() ?? "") }
            let place = SourceLocation(file: file, row: row, column: column, field: field, raw: raw)
            return CuratedRow(values: values, lineage: Lineage(source: place, sourceUnit: unit, factor: factor, precision: precision, steps: steps))
        }

        /// File name `id` of the tables, as a String of this decoder's own.
        private func named(_ id: Int) -> String {
            let name = tables?.name(id) ?? ""
            if file != name { file = String(decoding: Array(name.utf8), as: UTF8.self) }
            return file
        }
    }

    static func decode(_ bytes: [UInt8]) -> CuratedRow { Decoder().decode(bytes) }

    static func appendCount<S: ByteSink>(_ n: Int, _ bytes: inout S) { appendUnsigned(UInt(n), &bytes) }

    private static func appendUnsigned<S: ByteSink>(_ n: UInt, _ bytes: inout S) {
        var n = n
        while n >= 0x80 { bytes.put(UInt8(n & 0x7F) | 0x80); n >>= 7 }
        bytes.put(UInt8(n))
    }

    private static func appendSigned<S: ByteSink>(_ i: Int, _ bytes: inout S) {
        appendUnsigned(UInt(bitPattern: (i << 1) ^ (i >> (Int.bitWidth - 1))), &bytes)
    }

    /// How a row's lineage begins (`Lineage.start`): 0 and the file name inline, or 2 × the name's
    /// index in `tables` + 1, each followed by all the parts; or 2 × a template's index + 2 (see
    /// `encode(valueCount:…)`), followed by the parts its table's rows do not share.
    static func appendFile(_ name: String, _ tables: Tables?, _ bytes: inout [UInt8]) {
        guard let tables else { bytes.append(0); append(name, &bytes); return }
        if let last = tables.last, last.name == name { appendCount(2 * last.id + 1, &bytes); return }
        let id = tables.id(of: name)
        tables.last = (name, id)
        appendCount(2 * id + 1, &bytes)
    }

    /// The start of a row's lineage, as `appendFile` or a template wrote it.
    enum LineageStart {
        case inlineFile
        case file(Int)
        case template(Int)

        init(_ code: Int) {
            self = code == 0 ? .inlineFile : code % 2 == 1 ? .file((code - 1) / 2) : .template((code - 2) / 2)
        }
    }

    static func appendValue<S: ByteSink>(_ value: Value, _ bytes: inout S) {
        switch value {
        case .null: bytes.put(Tag.null.rawValue)
        case .integer(let i):
            bytes.put(Tag.integer.rawValue)
            appendSigned(i, &bytes)
        case .number(let d):
            if Decimal.hasCompactBytes {
                bytes.put(Tag.number.rawValue)
                _ = d.appendCompactBytes(to: &bytes)
            } else {
                bytes.put(Tag.wideNumber.rawValue)
                withUnsafeBytes(of: d) { bytes.put($0) }
            }
        case .string(let s):
            bytes.put(Tag.string.rawValue)
            append(s, &bytes)
        }
    }

    private static func append<S: ByteSink>(_ s: String?, _ bytes: inout S) {
        guard var s else { bytes.put(0); return }
        s.withUTF8 { appendText(utf8: UnsafeRawBufferPointer($0), &bytes) }
    }

    private static func append<S: ByteSink>(_ i: Int?, _ bytes: inout S) {
        guard let i else { bytes.put(0); return }
        bytes.put(1)
        appendSigned(i, &bytes)
    }

    struct Reader {
        let bytes: UnsafeRawBufferPointer
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

        mutating func signed() -> Int {
            let z = UInt(bitPattern: count())
            return Int(bitPattern: z >> 1) ^ -Int(bitPattern: z & 1)
        }

        mutating func int() -> Int? { byte() == 0 ? nil : signed() }

        mutating func string() -> String? {
            guard byte() != 0 else { return nil }
            let n = count()
            defer { at += n }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[at..<at + n]), as: UTF8.self)
        }

        /// A string, or `last` again when the bytes spell it (then no String is made).
        mutating func string(reusing last: inout String) -> String? {
            guard byte() != 0 else { return nil }
            let n = count()
            defer { at += n }
            let slice = UnsafeRawBufferPointer(rebasing: bytes[at..<at + n])
            if !(last.utf8.count == n && last.utf8.elementsEqual(slice)) { last = String(decoding: slice, as: UTF8.self) }
            return last
        }

        mutating func value() -> Value {
            switch Tag(rawValue: byte())! {
            case .null: return .null
            case .integer: return .integer(signed())
            case .number:
                let (d, n) = Decimal.fromCompactBytes(bytes, at: at)
                at += n
                return .number(d)
            case .wideNumber:
                defer { at += MemoryLayout<Decimal>.size }
                return .number(bytes.loadUnaligned(fromByteOffset: at, as: Decimal.self))
            case .string:
                return .string(string() ?? "")
            }
        }
    }
}
