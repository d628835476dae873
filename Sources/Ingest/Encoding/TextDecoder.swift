import CurateCore

/// Turns a file's bytes into a stream of valid UTF-8 chunks, whatever its encoding.
///
/// UTF-8 is validated in place and passed through; CP932 is decoded by table (`CP932Decoder`), a
/// whole chunk at a time; other encodings go through iconv. A byte that
/// does not decode stops the read with `encoding-error` naming its byte offset, line and column:
/// nothing is ever replaced by U+FFFD.
final class TextDecoder {
    let encoding: TextEncoding
    private let source: ByteSource
    private var validator = UTF8Validator()
    private var iconv: IconvTranscoder?
    private var cp932: CP932Decoder?
    private var atStart = true
    /// Bytes of the file read so far.
    var bytesRead: Int { source.offset }

    /// Opens `path`; `encoding` nil means detect from the first 64 KiB.
    init(path: String, encoding: TextEncoding?) throws {
        source = try ByteSource(path: path, chunkSize: Self.chunkSize)
        if let encoding {
            self.encoding = encoding
        } else {
            let sample = try ByteSource.prefix(of: path, limit: 1 << 16)
            let complete = sample.count < (1 << 16)
            guard let detected = EncodingDetector.detect(sample, complete: complete) else {
                throw CurateError(.encodingError,
                    "encoding not recognised (tried utf-8, euc-jp, shift_jis); name it with --encoding",
                    at: SourceLocation(file: path))
            }
            self.encoding = detected
        }
        if self.encoding == .shiftJIS { cp932 = CP932Decoder() }
        if self.encoding != .utf8 && cp932 == nil { iconv = try IconvTranscoder(from: self.encoding) }
    }

    /// Bytes read at a time: large enough that per-chunk work vanishes, small enough to stay in cache.
    static let chunkSize = 1 << 18

    /// Calls `body` with each decoded UTF-8 chunk, then once with `isLast` true (possibly empty).
    func decode(_ body: (UnsafeBufferPointer<UInt8>, _ isLast: Bool) throws -> Void) throws {
        var more = true
        while more {
            let chunkStart = source.offset
            more = try source.nextChunk { chunk in
                try self.decodeChunk(chunk, at: chunkStart, isLast: false, body)
            }
        }
        let empty = [UInt8]()
        try empty.withUnsafeBufferPointer { try decodeChunk($0, at: source.offset, isLast: true, body) }
    }

    private func decodeChunk(_ chunk: UnsafeBufferPointer<UInt8>, at offset: Int, isLast: Bool,
                             _ body: (UnsafeBufferPointer<UInt8>, Bool) throws -> Void) throws {
        var chunk = chunk
        var offset = offset
        if atStart, !chunk.isEmpty {
            atStart = false
            if encoding == .utf8, chunk.starts(with: [0xEF, 0xBB, 0xBF]) {
                chunk = UnsafeBufferPointer(rebasing: chunk[3...]); offset += 3
            }
        }
        if let cp932 {
            do {
                try cp932.convert(chunk, isLast: isLast) { try body($0, false) }
            } catch let CP932Decoder.Failure.invalid(bad), let CP932Decoder.Failure.truncated(bad) {
                throw try located(offset: bad)
            }
            if isLast { try body(UnsafeBufferPointer(start: nil, count: 0), true) }
            return
        }
        if let iconv {
            do {
                try iconv.convert(chunk, isLast: isLast) { try body($0, false) }
            } catch let IconvTranscoder.Failure.invalid(bad), let IconvTranscoder.Failure.truncated(bad) {
                throw try located(offset: bad)
            }
            if isLast { try body(UnsafeBufferPointer(start: nil, count: 0), true) }
            return
        }
        if let bad = validator.firstInvalid(in: chunk) { throw try located(offset: offset + bad) }
        if isLast, validator.hasPendingSequence { throw try located(offset: offset - 1) }
        try body(chunk, isLast)
    }

    /// A file's first bytes as text as far as they decode, BOM dropped: for sniffing a delimiter
    /// and for counting the lines before a bad byte. What does not decode is left out.
    static func prefixText(_ bytes: [UInt8], encoding: TextEncoding) -> String {
        if encoding == .utf8 {
            return String(decoding: bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...], as: UTF8.self)
        }
        guard let converter = try? IconvTranscoder(from: encoding) else { return "" }
        var utf8: [UInt8] = []
        try? bytes.withUnsafeBufferPointer { try converter.convert($0, isLast: false) { utf8 += $0 } }
        return String(decoding: utf8, as: UTF8.self)
    }

    /// Re-reads the prefix of the file to name the line and column of a bad byte (error path only).
    private func located(offset: Int) throws -> CurateError {
        let prefix = try ByteSource.prefix(of: source.path, limit: offset + 4)
        let bad = prefix[min(offset, prefix.count)...].prefix(4)
        let decoded = Self.prefixText(Array(prefix[..<min(offset, prefix.count)]), encoding: encoding)
        // Count on scalars: as Characters, "\r\n" is one grapheme and never equals "\n".
        let scalars = decoded.unicodeScalars
        let line = scalars.count(where: { $0 == "\n" }) + 1
        let lastLine = scalars.lastIndex(of: "\n").map { scalars[scalars.index(after: $0)...] } ?? scalars[...]
        let hex = bad.hexDigits(uppercase: true, separator: " ")
        return CurateError(.encodingError,
            "bytes \(hex) at byte offset \(offset) are not valid \(encoding.rawValue)",
            at: SourceLocation(file: source.path, row: line, column: String(lastLine).count + 1, raw: hex))
    }
}
