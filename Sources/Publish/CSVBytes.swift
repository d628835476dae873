import Foundation
import CurateCore

/// CSVWriter's rules (RFC 4180, a field quoted only when it holds a comma, quote or line break),
/// appending UTF-8 to a byte buffer: the writers' path for every cell of every published row.
public enum CSVBytes {
    static func append(_ value: Value, to out: inout [UInt8]) {
        switch value {
        case .null: break
        case .integer(let i): append(i, to: &out)
        case .number(let d): d.appendCanonicalText(to: &out)
        case .string(let s): append(s, to: &out)
        }
    }

    public static func append(_ i: Int, to out: inout [UInt8]) { put(i, to: &out) }

    /// The same into a line being formatted.
    public static func append(_ i: Int, to out: RawBytes) {
        var out = out
        put(i, to: &out)
    }

    static func put<S: ByteSink>(_ i: Int, to out: inout S) {
        var m = i.magnitude
        if m < 100_000_000 {
            // Up to 8 digits packed in one word, most significant in its lowest byte, stored once:
            // the copy then reads what one store wrote (digits stored a byte at a time and read
            // back as a word stall the copy; measured, that was most of this function's time).
            if i < 0 { out.put(UInt8(ascii: "-")) }
            var packed: UInt64 = 0, n = 0
            repeat { packed = packed << 8 | UInt64(UInt8(ascii: "0") + UInt8(m % 10)); m /= 10; n += 1 } while m > 0
            var stored = packed.littleEndian
            withUnsafeBytes(of: &stored) { out.put(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            // Written from the end of the buffer, then appended at once (not a byte at a time).
            var start = buffer.count
            repeat { start -= 1; buffer[start] = UInt8(ascii: "0") + UInt8(m % 10); m /= 10 } while m > 0
            if i < 0 { start -= 1; buffer[start] = UInt8(ascii: "-") }
            out.put(UnsafeRawBufferPointer(rebasing: buffer[start...]))
        }
    }

    public static func append(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { append(utf8: UnsafeRawBufferPointer($0), to: &out) }
    }

    /// A field's UTF-8 bytes, quoted when they need it.
    public static func append(utf8 bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) { put(utf8: bytes, to: &out) }

    /// The same into a line being formatted.
    public static func append(utf8 bytes: UnsafeRawBufferPointer, to out: RawBytes) {
        var out = out
        put(utf8: bytes, to: &out)
    }

    static func put<S: ByteSink>(utf8 bytes: UnsafeRawBufferPointer, to out: inout S) {
        guard needsQuotes(bytes) else {
            out.put(bytes); return
        }
        out.put(0x22)
        putDoublingQuotes(bytes, to: &out)
        out.put(0x22)
    }

    /// Bytes inside a quoted field: each quote doubled.
    public static func appendDoublingQuotes(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) { putDoublingQuotes(bytes, to: &out) }

    /// The same into a line being formatted.
    public static func appendDoublingQuotes(_ bytes: UnsafeRawBufferPointer, to out: RawBytes) {
        var out = out
        putDoublingQuotes(bytes, to: &out)
    }

    static func putDoublingQuotes<S: ByteSink>(_ bytes: UnsafeRawBufferPointer, to out: inout S) {
        // Most quoted fields hold a comma, not a quote: copied at once.
        guard bytes.contains(0x22) else { out.put(bytes); return }
        for byte in bytes {
            if byte == 0x22 { out.put(0x22) }
            out.put(byte)
        }
    }

    /// The quoting rule, spelled once: a comma, quote or line break.
    public static func needsQuotes(_ bytes: some Sequence<UInt8>) -> Bool {
        bytes.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
    }
}
