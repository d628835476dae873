import Foundation
import CurateCore

/// Primary-key values encoded as bytes whose plain byte order (memcmp) is the order of the typed
/// values: nulls first, then numbers by value, then strings by code point. The sorter and the
/// merge compare these bytes only, so a row's key is encoded once, never re-parsed.
///
/// Per component: a tag byte (0x01 null, 0x02 number, 0x03 string), then
/// - a number: its sign class (0x00 negative, 0x01 zero, 0x02 positive) and, for non-zero numbers,
///   the decimal exponent (biased, big-endian) and the significant digits (as 0x01…0x0A), ended by
///   0x00; a negative number's bytes after the sign class are inverted, so larger magnitudes sort first;
/// - a string: its UTF-8 bytes (UTF-8 byte order is code point order) with 0x00 escaped as
///   0x00 0xFF, ended by 0x00 0x00.
/// Components need no separator: every encoding ends with a terminator that sorts before any
/// continuation, so `[a, b] < [a, c]` exactly when `b < c`.
public enum SortKey {
    public static func encode(_ values: [Value]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * 12)
        for value in values { append(value, to: &bytes) }
        return bytes
    }

    public static func append(_ value: Value, to bytes: inout [UInt8]) {
        switch value {
        case .null:
            bytes.append(0x01)
        case .integer(let i):
            append(integer: i, to: &bytes)
        case .number(let d):
            bytes.append(0x02)
            var text: [UInt8] = []
            d.appendCanonicalText(to: &text)
            text.withUnsafeBytes { appendNumber(utf8: $0, to: &bytes) }
        case .string(var s):
            s.withUTF8 { append(string: UnsafeRawBufferPointer($0), to: &bytes) }
        }
    }

    /// An integer component (as `.integer(i)`): its decimal digits made on the stack, no String.
    public static func append(integer i: Int, to bytes: inout [UInt8]) {
        bytes.append(0x02)
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &scratch) { buffer in
            var m = i.magnitude, n = 0
            repeat { buffer[23 - n] = UInt8(ascii: "0") + UInt8(m % 10); m /= 10; n += 1 } while m > 0
            if i < 0 { buffer[23 - n] = UInt8(ascii: "-"); n += 1 }
            appendNumber(utf8: UnsafeRawBufferPointer(rebasing: buffer[(24 - n)...]), to: &bytes)
        }
    }

    /// A string component (as `.string(s)`) from its UTF-8 bytes: copied whole unless it holds a 0x00.
    public static func append(string utf8: UnsafeRawBufferPointer, to bytes: inout [UInt8]) {
        bytes.append(0x03)
        if utf8.contains(0) {
            for byte in utf8 {
                bytes.append(byte)
                if byte == 0 { bytes.append(0xFF) }
            }
        } else {
            bytes.append(contentsOf: utf8)
        }
        bytes.append(0x00); bytes.append(0x00)
    }

    /// `text` is plain decimal text as `canonicalText` writes it: `-`, digits, optional `.` and digits.
    static func appendNumber(text: String, to bytes: inout [UInt8]) {
        var text = text
        text.withUTF8 { appendNumber(utf8: UnsafeRawBufferPointer($0), to: &bytes) }
    }

    /// The same from the text's bytes, in two passes over them and no allocation.
    static func appendNumber(utf8 text: UnsafeRawBufferPointer, to bytes: inout [UInt8]) {
        var negative = false
        var count = 0, pointAt: Int?
        var first = -1, last = -1          // digit positions (in digit order) of the first and last non-zero digit
        for byte in text {
            switch byte {
            case UInt8(ascii: "-"): negative = true
            case UInt8(ascii: "."): pointAt = count
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if byte != UInt8(ascii: "0") { if first < 0 { first = count }; last = count }
                count += 1
            default: break
            }
        }
        guard first >= 0 else { bytes.append(0x01); return }   // zero
        let integerDigits = pointAt ?? count
        // value = 0.d1d2… × 10^exponent, leading zeros moving the exponent, trailing zeros dropped.
        let exponent = integerDigits - first
        let biased = UInt16(truncatingIfNeeded: exponent + 0x8000)
        let flip: UInt8 = negative ? 0xFF : 0x00
        bytes.append(negative ? 0x00 : 0x02)
        bytes.append(UInt8(biased >> 8) ^ flip); bytes.append(UInt8(biased & 0xFF) ^ flip)
        var index = 0
        for byte in text where byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
            if index >= first && index <= last { bytes.append((byte - UInt8(ascii: "0") + 1) ^ flip) }
            index += 1
        }
        bytes.append(0x00 ^ flip)
    }

    /// memcmp order of two keys.
    @inlinable
    public static func precedes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        compare(a, b) < 0
    }

    @inlinable
    public static func compare(_ a: [UInt8], _ b: [UInt8]) -> Int {
        a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in compare(pa, pb) } }
    }

    /// A key's first eight bytes as a big-endian word, zero-padded: two keys whose prefixes differ
    /// are in the order of their prefixes (a shorter key's padding sorts before any byte that
    /// continues a longer one, or ties with a zero byte, and ties are decided by `compare`).
    public static func prefix(_ key: UnsafeRawBufferPointer) -> UInt64 {
        if key.count >= 8 { return key.loadUnaligned(as: UInt64.self).bigEndian }
        var word: UInt64 = 0
        for byte in key { word = word << 8 | UInt64(byte) }
        return word << (8 * UInt64(8 - key.count))
    }

    /// memcmp order of two keys in buffers (the sorter's arena, a run reader's record). Their first
    /// eight bytes are compared as one big-endian word first: keys that differ there (a year, say)
    /// are ordered without a call to memcmp.
    @inlinable
    public static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        var from = 0
        if a.count >= 8 && b.count >= 8 {
            let x = a.loadUnaligned(as: UInt64.self).bigEndian, y = b.loadUnaligned(as: UInt64.self).bigEndian
            if x != y { return x < y ? -1 : 1 }
            from = 8
        }
        let n = min(a.count, b.count) - from
        let c = n == 0 ? 0 : Int(memcmp(a.baseAddress! + from, b.baseAddress! + from, n))
        if c != 0 { return c }
        return a.count - b.count
    }
}
