import Foundation
import CurateCore
import Publish

extension RowCodec {
    /// An encoded row's data.csv and lineage.csv lines, formatted straight from its bytes as
    /// `ReleaseWriter.write(_:)` formats the decoded row (a test holds the two to the same bytes):
    /// the rows of a large run are never decoded into `Value`s and Strings on their way out.
    final class Lines {
        let keyIndexes: [Int]
        let tables: Tables?
        private let layout = Layout()
        /// Each file name as a CSV field, made once; the factor and precision texts of the row
        /// before, reused while the rows repeat them (a table's rows share a few).
        private var fileFields: [Part?] = []
        /// Per template, made once: its file's field, its field's, and its source unit, factor and
        /// precision's, with the commas around them.
        private var templateFields: [TemplateTexts?] = []
        private typealias TemplateTexts = (fileComma: Part, commaFieldComma: Part, commaUnitFactorPrecisionComma: Part)
        private let parts = Parts()
        private let factor = NumberText(), precision = NumberText()
        /// Where a line is formatted (see `RawBytes`) before it is appended to its file's buffer.
        private let line = RawBytes()

        init(keyIndexes: [Int], tables: Tables?) { self.keyIndexes = keyIndexes; self.tables = tables }

        /// Finds the values of the row in `bytes`; the other calls read the row last loaded.
        func load(_ bytes: UnsafeRawBufferPointer) { layout.load(bytes) }

        /// Value `i` of the row loaded (Strings made only for string values).
        func value(_ i: Int, in bytes: UnsafeRawBufferPointer) -> Value { layout.value(i, in: bytes) }

        /// Whether value `i` is a number (an integer or a decimal), as `Value.decimal` would say.
        func isNumber(_ i: Int, in bytes: UnsafeRawBufferPointer) -> Bool {
            switch layout.tag(i, in: bytes) {
            case .integer, .number, .wideNumber: true
            case .null, .string: false
            }
        }

        /// The data.csv line appended to `out`, formatted in this formatter's line buffer first.
        func appendData(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
            line.clear()
            appendData(bytes, to: line)
            out.append(contentsOf: line.bytes)
        }

        /// The lineage.csv line appended to `out`, formatted in this formatter's line buffer first.
        func appendLineage(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
            line.clear()
            appendLineage(bytes, to: line)
            out.append(contentsOf: line.bytes)
        }

        /// The data.csv line: the values, comma-separated, and a newline.
        func appendData(_ bytes: UnsafeRawBufferPointer, to out: RawBytes) {
            for i in 0..<layout.count {
                if i > 0 { out.put(UInt8(ascii: ",")) }
                appendValue(at: layout.start(i), bytes, to: out)
            }
            out.put(0x0A)
        }

        /// The lineage.csv line: the key's values, then the lineage parts (`LineageColumns`).
        func appendLineage(_ bytes: UnsafeRawBufferPointer, to out: RawBytes) {
            let comma = UInt8(ascii: ",")
            for i in keyIndexes {
                appendValue(at: layout.start(i), bytes, to: out)
                out.put(comma)
            }
            var reader = Reader(bytes: bytes, at: layout.lineageStart)
            let start = LineageStart(reader.count())
            if case .template(let id) = start {
                // The template's texts come with their commas: a row adds its place and raw text.
                let texts = templateTexts(id)
                out.put(texts.fileComma.bytes)
                if let row = reader.int() { CSVBytes.append(row, to: out) }
                out.put(comma)
                if let column = reader.int() { CSVBytes.append(column, to: out) }
                out.put(texts.commaFieldComma.bytes)
                appendText(&reader, to: out)   // raw text
                out.put(texts.commaUnitFactorPrecisionComma.bytes)
                appendSteps(&reader, to: out)
                out.put(0x0A)
                return
            }
            switch start {
            case .inlineFile: appendText(&reader, to: out)
            case .file(let id): out.put(fileField(id).bytes)
            case .template: preconditionFailure("read above")
            }
            out.put(comma)
            if let row = reader.int() { CSVBytes.append(row, to: out) }
            out.put(comma)
            if let column = reader.int() { CSVBytes.append(column, to: out) }
            out.put(comma)
            appendText(&reader, to: out)   // field
            out.put(comma)
            appendText(&reader, to: out)   // raw text
            out.put(comma)
            appendText(&reader, to: out)   // source unit
            out.put(comma)
            factor.append(&reader, to: out)
            out.put(comma)
            precision.append(&reader, to: out)
            out.put(comma)
            appendSteps(&reader, to: out)
            out.put(0x0A)
        }

        /// File name `id` as a CSV field.
        private func fileField(_ id: Int) -> Part {
            if id < fileFields.count, let field = fileFields[id] { return field }
            var text: [UInt8] = []
            CSVBytes.append(tables?.name(id) ?? "", to: &text)
            let field = parts.bytes(text)
            if id >= fileFields.count { fileFields += Array(repeating: nil, count: id + 1 - fileFields.count) }
            fileFields[id] = field
            return field
        }

        /// Template `id`'s fields as CSV, with commas: `file,`, `,field,` and `,unit,factor,precision,`
        /// (formatted as a row's own parts are).
        private func templateTexts(_ id: Int) -> TemplateTexts {
            if id < templateFields.count, let made = templateFields[id] { return made }
            let template = tables!.template(id)
            let comma = UInt8(ascii: ",")
            var file: [UInt8] = []
            let field = RawBytes(), tail = RawBytes()
            CSVBytes.append(tables?.name(template.file) ?? "", to: &file)
            file.append(comma)
            template.parts.withUnsafeBytes { bytes in
                var reader = Reader(bytes: bytes)
                field.put(comma)
                appendText(&reader, to: field)
                field.put(comma)
                tail.put(comma)
                appendText(&reader, to: tail)
                tail.put(comma)
                NumberText().append(&reader, to: tail)
                tail.put(comma)
                NumberText().append(&reader, to: tail)
                tail.put(comma)
            }
            let made = (parts.bytes(file), parts.bytes(Array(field.bytes)), parts.bytes(Array(tail.bytes)))
            if id >= templateFields.count { templateFields += Array(repeating: nil, count: id + 1 - templateFields.count) }
            templateFields[id] = made
            return made
        }

        private func appendValue(at offset: Int, _ bytes: UnsafeRawBufferPointer, to out: RawBytes) {
            var reader = Reader(bytes: bytes, at: offset)
            appendValue(&reader, to: out)
        }

        private func appendValue(_ reader: inout Reader, to out: RawBytes) {
            switch Tag(rawValue: reader.byte())! {
            case .null: break
            case .integer: CSVBytes.append(reader.signed(), to: out)
            case .number: reader.at += Decimal.appendCanonicalText(compactBytes: reader.bytes, at: reader.at, to: out)
            case .wideNumber:
                reader.at -= 1
                if case .number(let d) = reader.value() { d.appendCanonicalText(to: out) }
            case .string:
                appendText(&reader, to: out)
            }
        }

        /// An optional string's bytes as a CSV field (nothing when absent).
        private func appendText(_ reader: inout Reader, to out: RawBytes) {
            guard let text = reader.utf8() else { return }
            CSVBytes.append(utf8: text, to: out)
        }

        /// The steps joined by "; ", quoted as one field when any of them needs it.
        private func appendSteps(_ reader: inout Reader, to out: RawBytes) {
            let n = reader.count()
            guard n > 0 else { return }
            var steps: [UnsafeRawBufferPointer] = []
            steps.reserveCapacity(n)
            for _ in 0..<n { steps.append(reader.utf8() ?? UnsafeRawBufferPointer(start: nil, count: 0)) }
            let quoted = steps.contains { CSVBytes.needsQuotes($0) }
            if quoted { out.put(0x22) }
            for (k, step) in steps.enumerated() {
                if k > 0 { out.put(UInt8(ascii: ";")); out.put(UInt8(ascii: " ")) }
                if quoted { CSVBytes.appendDoublingQuotes(step, to: out) } else { out.put(step) }
            }
            if quoted { out.put(0x22) }
        }
    }
}

extension RowCodec {
    /// A lineage number (factor, precision) as text, remembering the last one's encoding and text
    /// (kept at fixed addresses: reading them retains nothing).
    final class NumberText {
        private let encoded = RawBytes(capacity: 32), text = RawBytes(capacity: 32)

        func append(_ reader: inout Reader, to out: RawBytes) {
            let start = reader.at
            reader.skipValue()
            let bytes = UnsafeRawBufferPointer(rebasing: reader.bytes[start..<reader.at])
            if !encoded.holds(bytes) {
                encoded.clear(); encoded.put(bytes)
                text.clear()
                var again = Reader(bytes: bytes)
                if case .number(let d) = again.value() { d.appendCanonicalText(to: text) }
            }
            out.put(text.bytes)
        }
    }
}

extension RowCodec {
    /// Where each value of an encoded row starts (its tag byte), and where its lineage parts start:
    /// found once per row by whoever reads single values from its bytes. A class owning its
    /// buffer: the scan runs on every row three times (check, data line, lineage line), so it
    /// writes into memory it owns rather than appending to an array.
    final class Layout {
        private var buffer = UnsafeMutablePointer<Int>.allocate(capacity: 16)
        private var capacity = 16
        /// How many values the row has.
        private(set) var count = 0
        private(set) var lineageStart = 0

        deinit { buffer.deallocate() }

        /// Where value `i` starts (a row has a value for every field: reading past them is a bug).
        func start(_ i: Int) -> Int {
            precondition(i < count, "value \(i) of a row of \(count)")
            return buffer[i]
        }

        func load(_ bytes: UnsafeRawBufferPointer) {
            let p = bytes.baseAddress!
            var at = 0
            @inline(__always) func varint() -> Int {
                var n = 0, shift = 0
                while true {
                    let b = p.load(fromByteOffset: at, as: UInt8.self)
                    at += 1
                    n |= Int(b & 0x7F) << shift
                    if b < 0x80 { return n }
                    shift += 7
                }
            }
            let n = varint()
            if n > capacity {
                buffer.deallocate()
                capacity = max(n, 2 * capacity)
                buffer = .allocate(capacity: capacity)
            }
            for i in 0..<n {
                buffer[i] = at
                let tag = p.load(fromByteOffset: at, as: UInt8.self)
                at += 1
                switch tag {
                case Tag.null.rawValue: break
                case Tag.integer.rawValue: _ = varint()
                case Tag.number.rawValue: at += Decimal.compactByteCount(bytes, at: at)
                case Tag.wideNumber.rawValue: at += MemoryLayout<Decimal>.size
                default:   // a string: present (1), its length, its bytes
                    at += 1
                    at += varint()
                }
            }
            count = n
            lineageStart = at
        }

        /// The tag of value `i`.
        func tag(_ i: Int, in bytes: UnsafeRawBufferPointer) -> Tag { Tag(rawValue: bytes[start(i)])! }

        /// Value `i` (a String made for a string value).
        func value(_ i: Int, in bytes: UnsafeRawBufferPointer) -> Value {
            var reader = Reader(bytes: bytes, at: start(i))
            return reader.value()
        }

        /// The UTF-8 bytes of string value `i`.
        func utf8(_ i: Int, in bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
            var reader = Reader(bytes: bytes, at: start(i) + 1)
            return reader.utf8() ?? UnsafeRawBufferPointer(start: nil, count: 0)
        }
    }
}

extension RowCodec.Reader {
    /// An optional string's UTF-8 bytes, without making a String.
    mutating func utf8() -> UnsafeRawBufferPointer? {
        guard byte() != 0 else { return nil }
        let n = count()
        defer { at += n }
        return UnsafeRawBufferPointer(rebasing: bytes[at..<at + n])
    }

    mutating func skipValue() {
        switch RowCodec.Tag(rawValue: byte())! {
        case .null: break
        case .integer: _ = count()
        case .number: at += Decimal.compactByteCount(bytes, at: at)
        case .wideNumber: at += MemoryLayout<Decimal>.size
        case .string: _ = utf8()
        }
    }
}
