#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CurateCore

/// Reads a delimited text file record by record, in any supported encoding, in constant memory.
///
/// Follows RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180) with the usual extensions: other
/// delimiters, any line ending, a BOM. Records are handed to the caller as they are parsed.
public final class CSVReader {
    public let path: String
    /// The encoding used: the one asked for, or the one detected.
    public let encoding: TextEncoding
    /// The delimiter used: the one asked for, or the one sniffed from the first lines.
    public let delimiter: Character
    private let decoder: TextDecoder
    /// Called after each chunk with the bytes and records read so far (for progress bars).
    public var progress: ((_ bytes: Int, _ records: Int) -> Void)?

    /// - Parameters:
    ///   - encoding: nil detects it (BOM, then UTF-8, EUC-JP, CP932).
    ///   - delimiter: nil sniffs one of `,` `;` tab `|` from the first lines.
    public init(path: String, encoding: TextEncoding? = nil, delimiter: Character? = nil) throws {
        self.path = path
        decoder = try TextDecoder(path: path, encoding: encoding)
        self.encoding = decoder.encoding
        if let delimiter {
            guard delimiter.isASCII, let byte = delimiter.asciiValue, byte != UInt8(ascii: "\""), byte != 10, byte != 13 else {
                throw CurateError(.specError, "delimiter must be one ASCII character other than a quote or newline, not \(delimiter.debugDescription)")
            }
            self.delimiter = delimiter
        } else {
            self.delimiter = DelimiterSniffer.sniff(try Self.sampleText(path: path, encoding: decoder.encoding))
        }
    }

    /// Calls `body` with each record in file order, its cells as Strings. Stops at the first error
    /// `body` throws.
    public func forEachRecord(_ body: (RawRecord) throws -> Void) throws {
        try forEachByteRecord { try body($0.raw) }
    }

    /// Calls `body` with each record in file order as bytes: the fast path, no String per field.
    /// The record is valid only inside `body`.
    public func forEachByteRecord(_ body: (ByteRecord) throws -> Void) throws {
        let parser = CSVParser(delimiter: delimiter.asciiValue!)
        var records = 0
        do {
            try decoder.decode { chunk, isLast in
                if let base = chunk.baseAddress, let nul = memchr(base, 0, chunk.count) {
                    let at = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(nul))
                    throw CurateError(.binaryContent, "NUL byte in the text (byte \(at) of a chunk ending at offset \(decoder.bytesRead)): a binary file, or not \(encoding.rawValue)",
                                      at: SourceLocation(file: path))
                }
                parser.append(chunk)
                try parser.parse { records += 1; try body($0) }
                if isLast { try parser.finish(file: path) { (record: ByteRecord) in records += 1; try body(record) } }
                progress?(decoder.bytesRead, records)
            }
        } catch var error as CurateError where error.location?.file == "" {
            error.location?.file = path
            throw error
        }
    }

    /// The first 64 KiB decoded, for sniffing (a bad byte further on is found by the real read).
    static func sampleText(path: String, encoding: TextEncoding) throws -> String {
        TextDecoder.prefixText(try ByteSource.prefix(of: path, limit: 1 << 16), encoding: encoding)
    }
}
