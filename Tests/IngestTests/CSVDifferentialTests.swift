import Testing
import CurateCore
@testable import Ingest

/// The byte-range parser against the parser it replaced (a String per field, kept below as the
/// reference), on random text made of the bytes that matter, fed in random pieces.
@Suite struct CSVDifferentialTests {
    @Test func sameRecordsAsTheStringParserOnRandomText() throws {
        let alphabet: [[UInt8]] = [[UInt8(ascii: "a")], [UInt8(ascii: "b")], [UInt8(ascii: ",")], [UInt8(ascii: "\"")],
                                   [UInt8(ascii: "\"")], [13], [10], [13, 10], Array("é".utf8), Array("漢".utf8)]
        var generator = SystemRandomNumberGenerator()
        for round in 0..<2000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...40, using: &generator) { bytes += alphabet.randomElement(using: &generator)! }
            let expected = reference(bytes)
            let piece = Int.random(in: 1...max(1, bytes.count), using: &generator)
            switch expected {
            case .success(let records):
                let got = try? parse(bytes, piece: piece)
                #expect(got == records, "round \(round), piece \(piece): \(String(decoding: bytes, as: UTF8.self).debugDescription)")
            case .failure(let error):
                #expect(throws: CurateError.self) { _ = try parse(bytes, piece: piece) }
                do { _ = try parse(bytes, piece: piece) } catch let got as CurateError {
                    #expect(got.code == error.code && got.location?.row == error.location?.row && got.location?.column == error.location?.column,
                            "round \(round): \(String(decoding: bytes, as: UTF8.self).debugDescription)")
                }
            }
        }
    }

    private func reference(_ bytes: [UInt8]) -> Result<[RawRecord], CurateError> {
        var parser = ReferenceCSVParser(delimiter: UInt8(ascii: ","))
        var out: [RawRecord] = []
        do {
            try bytes.withUnsafeBufferPointer { try parser.feed($0) { out.append($0) } }
            try parser.finish(file: "test.csv") { out.append($0) }
            return .success(out)
        } catch let error as CurateError {
            return .failure(error)
        } catch {
            fatalError("\(error)")
        }
    }
}

/// The CSV parser before issue 13 (a String per field), verbatim: the reference for the test above.
struct ReferenceCSVParser {
    private static let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")

    let delimiter: UInt8
    /// Limits that stop a hostile or broken file before it exhausts memory.
    static let maxFieldBytes = 16 << 20
    static let maxFields = 100_000
    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }
    private var state = State.fieldStart
    private var fields: [String] = []
    private var pending: [UInt8] = []
    private var line = 1
    private var recordLine = 1
    private var quoteLine = 1
    private var skipLF = false
    /// A CR ended the previous chunk inside a quoted field: it is a line end unless an LF follows.
    private var quotedCR = false

    init(delimiter: UInt8) { self.delimiter = delimiter }

    mutating func feed(_ buf: UnsafeBufferPointer<UInt8>, emit: (RawRecord) throws -> Void) throws {
        let n = buf.count
        var i = 0
        if skipLF, n > 0 {
            skipLF = false
            if buf[0] == Self.lf { i = 1 }
        }
        if quotedCR, n > 0 {
            quotedCR = false
            if buf[0] != Self.lf { line += 1 }
        }
        while i < n {
            switch state {
            case .fieldStart where buf[i] == Self.quote:
                state = .quoted; quoteLine = line; i += 1
            case .fieldStart, .unquoted:
                var j = i
                while j < n {
                    let b = buf[j]
                    if b == delimiter || b == Self.lf || b == Self.cr { break }
                    j += 1
                }
                if j == n {
                    pending.append(contentsOf: buf[i..<n]); state = .unquoted; i = n
                    try checkPending()
                    break
                }
                try checkField(j - i)
                endField(UnsafeBufferPointer(rebasing: buf[i..<j]))
                i = try terminate(buf, at: j, emit: emit)
            case .quoted:
                var j = i
                while j < n && buf[j] != Self.quote {
                    if buf[j] == Self.lf {
                        line += 1
                    } else if buf[j] == Self.cr {
                        if j + 1 == n { quotedCR = true } else if buf[j + 1] != Self.lf { line += 1 }
                    }
                    j += 1
                }
                pending.append(contentsOf: buf[i..<j])
                try checkPending()
                if j < n { state = .quoteInQuoted; i = j + 1 } else { i = n }
            case .quoteInQuoted:
                let b = buf[i]
                if b == Self.quote {
                    pending.append(Self.quote); state = .quoted; i += 1
                } else if b == delimiter || b == Self.lf || b == Self.cr {
                    endField(UnsafeBufferPointer(start: nil, count: 0))
                    i = try terminate(buf, at: i, emit: emit)
                } else {
                    state = .unquoted
                }
            }
        }
    }

    /// Ends the input: emits the last record; an open quote is an `unterminated-quote` error.
    mutating func finish(file: String, emit: (RawRecord) throws -> Void) throws {
        if state == .quoted {
            throw CurateError(.unterminatedQuote, "quoted field opened on line \(quoteLine) is never closed",
                              at: SourceLocation(file: file, row: quoteLine, column: fields.count + 1))
        }
        if state == .fieldStart && fields.isEmpty { return }
        endField(UnsafeBufferPointer(start: nil, count: 0))
        try emit(RawRecord(line: recordLine, fields: fields))
        fields = []
        state = .fieldStart
    }

    private func checkPending() throws { try checkField(pending.count) }

    private func checkField(_ size: Int) throws {
        if pending.count + size > Self.maxFieldBytes {
            throw CurateError(.csvLimit, "a field of the record starting on line \(recordLine) is longer than \(Self.maxFieldBytes) bytes",
                              at: SourceLocation(file: "", row: recordLine, column: fields.count + 1))
        }
    }

    private mutating func endField(_ tail: UnsafeBufferPointer<UInt8>) {
        if pending.isEmpty {
            fields.append(String(decoding: tail, as: UTF8.self))
        } else {
            pending.append(contentsOf: tail)
            fields.append(String(decoding: pending, as: UTF8.self))
            pending.removeAll(keepingCapacity: true)
        }
    }

    /// Handles the delimiter or line ending at `j`; returns where scanning resumes.
    private mutating func terminate(_ buf: UnsafeBufferPointer<UInt8>, at j: Int,
                                    emit: (RawRecord) throws -> Void) throws -> Int {
        let b = buf[j]
        state = .fieldStart
        if b == delimiter {
            if fields.count >= Self.maxFields {
                throw CurateError(.csvLimit, "more than \(Self.maxFields) fields in the record starting on line \(recordLine)",
                                  at: SourceLocation(file: "", row: recordLine))
            }
            return j + 1
        }
        try emit(RawRecord(line: recordLine, fields: fields))
        fields.removeAll(keepingCapacity: true)
        line += 1
        recordLine = line
        if b == Self.cr {
            if j + 1 < buf.count { return buf[j + 1] == Self.lf ? j + 2 : j + 1 }
            skipLF = true
        }
        return j + 1
    }
}
