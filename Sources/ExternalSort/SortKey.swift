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
            bytes.append(0x02)
            appendNumber(text: String(i), to: &bytes)
        case .number(let d):
            bytes.append(0x02)
            appendNumber(text: d.canonicalText, to: &bytes)
        case .string(let s):
            bytes.append(0x03)
            for byte in s.utf8 {
                bytes.append(byte)
                if byte == 0 { bytes.append(0xFF) }
            }
            bytes.append(0x00); bytes.append(0x00)
        }
    }

    /// `text` is plain decimal text as `canonicalText` writes it: `-`, digits, optional `.` and digits.
    static func appendNumber(text: String, to bytes: inout [UInt8]) {
        var negative = false
        var digits: [UInt8] = []
        var pointAt: Int?
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "-"): negative = true
            case UInt8(ascii: "."): pointAt = digits.count
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits.append(byte - UInt8(ascii: "0"))
            default: break
            }
        }
        let integerDigits = pointAt ?? digits.count
        // Strip leading zeros (they move the exponent) and trailing zeros (they change nothing).
        var leading = 0
        while leading < digits.count && digits[leading] == 0 { leading += 1 }
        guard leading < digits.count else { bytes.append(0x01); return }   // zero
        var end = digits.count
        while end > leading && digits[end - 1] == 0 { end -= 1 }
        // value = 0.d1d2… × 10^exponent
        let exponent = integerDigits - leading
        var body: [UInt8] = []
        let biased = UInt16(truncatingIfNeeded: exponent + 0x8000)
        body.append(UInt8(biased >> 8)); body.append(UInt8(biased & 0xFF))
        for digit in digits[leading..<end] { body.append(digit + 1) }
        body.append(0x00)
        if negative {
            bytes.append(0x00)
            for byte in body { bytes.append(~byte) }
        } else {
            bytes.append(0x02)
            bytes.append(contentsOf: body)
        }
    }

    /// memcmp order of two keys.
    @inlinable
    public static func precedes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        compare(a, b) < 0
    }

    @inlinable
    public static func compare(_ a: [UInt8], _ b: [UInt8]) -> Int {
        let n = min(a.count, b.count)
        let c = a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in n == 0 ? 0 : Int(memcmp(pa.baseAddress!, pb.baseAddress!, n)) }
        }
        if c != 0 { return c }
        return a.count - b.count
    }
}
