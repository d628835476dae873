#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CurateCore

/// One record of a tabular file: its cells as decoded text, and where it starts.
public struct RawRecord: Sendable, Equatable {
    /// 1-based physical line where the record starts (a quoted newline makes a record span lines);
    /// for a spreadsheet, the row number.
    public var line: Int
    public var fields: [String]

    public init(line: Int, fields: [String]) { self.line = line; self.fields = fields }

    /// A record with no text at all (an empty line, or only delimiters).
    public var isBlank: Bool { fields.allSatisfy { $0.isEmpty } }
}

/// An RFC 4180 state machine over UTF-8 bytes, fed chunk by chunk, that hands out records as byte
/// ranges (`ByteRecord`) without making a String.
///
/// Accepts CRLF, LF and lone CR line endings, mixed in one file; `""` inside quotes; quoted
/// delimiters and newlines. A quote inside an unquoted field is kept as text, as spreadsheet
/// programs do; text after a closing quote is kept (`"ab"cd` is `abcd`).
///
/// Chunks are appended to one window; a record cut by a chunk's end is moved to the window's front
/// with the offsets found so far, and scanning resumes where it stopped (nothing is scanned twice).
/// A field holding `""` (or text after its closing quote) is compacted in place once its record is
/// complete, so every field is one contiguous range.
final class CSVParser {
    private static let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")

    let delimiter: UInt8
    /// Limits that stop a hostile or broken file before it exhausts memory.
    static let maxFieldBytes = 16 << 20
    static let maxFields = 100_000
    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }
    private var state = State.fieldStart

    private var window: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Bytes in the window; `position` is where scanning resumes; the current record starts at `recordStart`.
    private var count = 0, position = 0, recordStart = 0
    private var fieldStart = 0
    /// start, end pairs of the current record's finished fields.
    private var bounds: UnsafeMutablePointer<Int>
    private var boundsCapacity = 64
    private var fieldCount = 0
    /// Fields of the current record that hold `""` or text after a closing quote.
    private var irregular: [Int] = []

    private var line = 1
    private var recordLine = 1
    private var quoteLine = 1

    init(delimiter: UInt8, capacity: Int = 1 << 18) {
        self.delimiter = delimiter
        self.capacity = max(capacity, 16)
        window = .allocate(capacity: self.capacity)
        bounds = .allocate(capacity: 2 * boundsCapacity)
    }

    deinit { window.deallocate(); bounds.deallocate() }

    // MARK: feeding

    /// Appends a chunk to the window (moving the unfinished record to its front first).
    func append(_ chunk: UnsafeBufferPointer<UInt8>) {
        if recordStart > 0 {
            let keep = count - recordStart
            if keep > 0 { memmove(window, window + recordStart, keep) }
            for k in 0..<(2 * fieldCount) { bounds[k] -= recordStart }
            position -= recordStart; fieldStart -= recordStart; count = keep; recordStart = 0
        }
        guard let source = chunk.baseAddress, !chunk.isEmpty else { return }
        if count + chunk.count > capacity {
            var grown = capacity * 2
            while grown < count + chunk.count { grown *= 2 }
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
            bigger.update(from: window, count: count)
            window.deallocate()
            window = bigger; capacity = grown
        }
        (window + count).update(from: source, count: chunk.count)
        count += chunk.count
    }

    /// Feeds one chunk and emits each complete record as Strings (readers and tests that want text).
    func feed(_ chunk: UnsafeBufferPointer<UInt8>, emit: (RawRecord) throws -> Void) throws {
        append(chunk)
        try parse { try emit($0.raw) }
    }

    /// Ends the input, emitting the last record as Strings.
    func finish(file: String, emit: (RawRecord) throws -> Void) throws {
        try finish(file: file) { (record: ByteRecord) in try emit(record.raw) }
    }

    // MARK: scanning

    /// Emits every record complete in the window. With `final`, the window's end is the input's
    /// end (a CR there is a line end); otherwise scanning stops before a byte it cannot yet judge.
    func parse(final: Bool = false, emit: (ByteRecord) throws -> Void) throws {
        let buf = window, n = count, delimiter = self.delimiter
        var i = position
        scan: while i < n {
            switch state {
            case .fieldStart:
                if buf[i] == Self.quote {
                    state = .quoted; quoteLine = line; i += 1; fieldStart = i
                    continue scan
                }
                fieldStart = i
                state = .unquoted
                fallthrough
            case .unquoted:
                var j = i
                while j < n {
                    let b = buf[j]
                    if b == delimiter || b == Self.lf || b == Self.cr { break }
                    j += 1
                }
                if j == n { i = n; break scan }
                guard let next = try terminate(at: j, end: j, available: n, final: final, emit: emit) else { i = j; break scan }
                i = next
            case .quoted:
                var j = i
                while j < n {
                    let b = buf[j]
                    if b == Self.quote { break }
                    if b == Self.lf {
                        line += 1
                    } else if b == Self.cr {
                        if j + 1 < n {
                            if buf[j + 1] != Self.lf { line += 1 }
                        } else if final {
                            line += 1
                        } else {
                            break   // a CR at the window's end: line count decided with the next chunk
                        }
                    }
                    j += 1
                }
                if j == n || buf[j] != Self.quote { i = j; break scan }
                state = .quoteInQuoted
                i = j + 1
            case .quoteInQuoted:
                let b = buf[i]
                if b == Self.quote {
                    markIrregular(); state = .quoted; i += 1
                } else if b == delimiter || b == Self.lf || b == Self.cr {
                    let isIrregular = irregular.last == fieldCount
                    guard let next = try terminate(at: i, end: isIrregular ? i : i - 1, available: n, final: final, emit: emit) else { break scan }
                    i = next
                } else {
                    markIrregular(); state = .unquoted
                }
            }
        }
        position = i
        if state != .fieldStart && i - fieldStart > Self.maxFieldBytes { throw tooLong() }
    }

    /// Ends the input: emits the last record; an open quote is an `unterminated-quote` error.
    func finish(file: String, emit: (ByteRecord) throws -> Void) throws {
        try parse(final: true, emit: emit)
        switch state {
        case .quoted:
            throw CurateError(.unterminatedQuote, "quoted field opened on line \(quoteLine) is never closed",
                              at: SourceLocation(file: file, row: quoteLine, column: fieldCount + 1))
        case .fieldStart:
            if fieldCount == 0 { return }
            fieldStart = count
            try endField(at: count)
        case .unquoted:
            try endField(at: count)
        case .quoteInQuoted:
            try endField(at: irregular.last == fieldCount ? count : count - 1)
        }
        try emitRecord(emit)
        state = .fieldStart
        recordStart = count; position = count
    }

    /// Handles the delimiter or line ending at `j` that ends a field at `end`; returns where
    /// scanning resumes, or nil when a CR at the window's end must wait for the next byte.
    @inline(__always)
    private func terminate(at j: Int, end: Int, available n: Int, final: Bool,
                           emit: (ByteRecord) throws -> Void) throws -> Int? {
        let b = window[j]
        if b == Self.cr && j + 1 == n && !final { return nil }
        try endField(at: end)
        state = .fieldStart
        if b == delimiter {
            if fieldCount >= Self.maxFields {
                throw CurateError(.csvLimit, "more than \(Self.maxFields) fields in the record starting on line \(recordLine)",
                                  at: SourceLocation(file: "", row: recordLine))
            }
            return j + 1
        }
        try emitRecord(emit)
        let next = b == Self.cr && j + 1 < n && window[j + 1] == Self.lf ? j + 2 : j + 1
        recordStart = next
        return next
    }

    @inline(__always)
    private func endField(at end: Int) throws {
        if end - fieldStart > Self.maxFieldBytes { throw tooLong() }
        if fieldCount == boundsCapacity {
            let bigger = UnsafeMutablePointer<Int>.allocate(capacity: 4 * boundsCapacity)
            bigger.update(from: bounds, count: 2 * fieldCount)
            bounds.deallocate()
            bounds = bigger; boundsCapacity *= 2
        }
        bounds[2 * fieldCount] = fieldStart
        bounds[2 * fieldCount + 1] = end
        fieldCount += 1
    }

    private func emitRecord(_ emit: (ByteRecord) throws -> Void) throws {
        for field in irregular { compact(field) }
        irregular.removeAll(keepingCapacity: true)
        let record = ByteRecord(line: recordLine, count: fieldCount, base: window, bounds: bounds)
        fieldCount = 0
        line += 1
        recordLine = line
        try emit(record)
    }

    private func markIrregular() {
        if irregular.last != fieldCount { irregular.append(fieldCount) }
    }

    /// Rewrites an irregular field in place: it starts inside its quotes; `""` is one quote; a lone
    /// quote closes them, and what follows is kept as it is.
    private func compact(_ field: Int) {
        var read = bounds[2 * field], write = read
        let end = bounds[2 * field + 1]
        var quoted = true
        while read < end {
            let b = window[read]
            if quoted && b == Self.quote {
                if read + 1 < end && window[read + 1] == Self.quote {
                    window[write] = Self.quote; write += 1; read += 2
                } else {
                    quoted = false; read += 1
                }
                continue
            }
            window[write] = b; write += 1; read += 1
        }
        bounds[2 * field + 1] = write
    }

    private func tooLong() -> CurateError {
        CurateError(.csvLimit, "a field of the record starting on line \(recordLine) is longer than \(Self.maxFieldBytes) bytes",
                    at: SourceLocation(file: "", row: recordLine, column: fieldCount + 1))
    }
}
