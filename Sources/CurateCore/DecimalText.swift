import Foundation

/// Canonical decimal text without Foundation's NSDecimalNumber (an object and a String per value,
/// most of a large run's time): the digits are read from Decimal's 20-byte layout (exponent byte,
/// flags byte with length and sign, eight 16-bit mantissa words) when the mantissa fits 64 bits.
/// `layoutHolds` checks that layout once against Foundation; if it ever differs, every value takes
/// Foundation's path.
enum DecimalText {
    static let layoutHolds: Bool = {
        let samples = ["0", "337", "-1.5", "0.05", "1234567000", "-0.000123", "18446744073709551615", "12.3400"]
        return samples.allSatisfy { text in
            let d = Decimal(string: text)!
            var out: [UInt8] = []
            return fast(d, into: &out) && String(decoding: out, as: UTF8.self) == foundation(d)
        }
    }()

    static func foundation(_ value: Decimal) -> String {
        var value = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 20, .plain)
        let text = NSDecimalNumber(decimal: rounded).stringValue
        return text == "-0" ? "0" : text
    }

    /// Appends the text of `value` and returns true, or returns false (nothing appended) when the
    /// value needs Foundation: a mantissa over 64 bits, more than 20 decimals, NaN.
    static func fast<S: ByteSink>(_ value: Decimal, into out: inout S) -> Bool {
        guard let parts = rawParts(value) else { return false }
        return format(parts, into: &out)
    }

    /// `fast` of a value's parts (as `rawParts` reads them).
    static func format<S: ByteSink>(_ parts: (negative: Bool, exponent: Int, mantissa: UInt64), into out: inout S) -> Bool {
        let (negative, exponent, mantissa) = parts
        guard exponent >= -20, exponent <= 20 else { return false }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)   // 24 bytes of scratch: up to 20 digits
        return withUnsafeMutableBytes(of: &digits) { buffer -> Bool in
            var n = 0
            var m = mantissa
            repeat { buffer[n] = UInt8(ascii: "0") + UInt8(m % 10); m /= 10; n += 1 } while m > 0
            // buffer holds the digits least significant first; `exponent` places the point.
            var low = 0
            if exponent < 0 { while low < min(-exponent, n) && buffer[low] == UInt8(ascii: "0") { low += 1 } }
            if low == n { out.put(UInt8(ascii: "0")); return true }
            if negative { out.put(UInt8(ascii: "-")) }
            if exponent >= 0 {
                for i in stride(from: n - 1, through: 0, by: -1) { out.put(buffer[i]) }
                for _ in 0..<exponent { out.put(UInt8(ascii: "0")) }
                return true
            }
            let fraction = -exponent          // digits after the point, before trimming zeros
            if fraction >= n {
                out.put(UInt8(ascii: "0")); out.put(UInt8(ascii: "."))
                for _ in 0..<(fraction - n) { out.put(UInt8(ascii: "0")) }
                for i in stride(from: n - 1, through: low, by: -1) { out.put(buffer[i]) }
                return true
            }
            for i in stride(from: n - 1, through: fraction, by: -1) { out.put(buffer[i]) }
            if low < fraction {
                out.put(UInt8(ascii: "."))
                for i in stride(from: fraction - 1, through: low, by: -1) { out.put(buffer[i]) }
            }
            return true
        }
    }
}

extension Decimal {
    /// Plain decimal text without exponent or trailing fractional zeros (`34100000000`, `0.05`, `-1.5`).
    public var canonicalText: String {
        var bytes: [UInt8] = []
        if DecimalText.layoutHolds, DecimalText.fast(self, into: &bytes) { return String(decoding: bytes, as: UTF8.self) }
        return DecimalText.foundation(self)
    }

    /// Appends the canonical text's UTF-8 to `out` (the writers' path: no String made).
    public func appendCanonicalText(to out: inout [UInt8]) { appendText(to: &out) }

    /// The same into a line being formatted.
    public func appendCanonicalText(to out: RawBytes) {
        var out = out
        appendText(to: &out)
    }

    func appendText<S: ByteSink>(to out: inout S) {
        if DecimalText.layoutHolds, DecimalText.fast(self, into: &out) { return }
        var text = DecimalText.foundation(self)
        text.withUTF8 { out.put(UnsafeRawBufferPointer($0)) }
    }
}

extension DecimalText {
    /// The sign, exponent and 64-bit mantissa of a Decimal whose mantissa fits, read from its layout.
    static func parts(_ value: Decimal) -> (negative: Bool, exponent: Int, mantissa: UInt64)? {
        layoutHolds ? rawParts(value) : nil
    }

    /// The layout read without asking whether it holds (`layoutHolds` itself is computed with it):
    /// byte 0 the exponent, byte 1 the length in 16-bit words (high nibble) and the sign (0x08),
    /// then the mantissa's words, least significant first. nil for NaN or a mantissa over 64 bits.
    private static func rawParts(_ value: Decimal) -> (negative: Bool, exponent: Int, mantissa: UInt64)? {
        withUnsafeBytes(of: value) { rawParts(layout: $0, at: 0) }
    }

    /// The same read from a layout's bytes at `offset` (a value's, or its compact bytes).
    static func rawParts(layout raw: UnsafeRawBufferPointer, at offset: Int) -> (negative: Bool, exponent: Int, mantissa: UInt64)? {
        let flags = raw[offset + 1]
        let length = Int(flags >> 4), negative = flags & 0x08 != 0
        if length == 0 { return negative ? nil : (false, 0, 0) }   // zero, or NaN
        guard length <= 4 else { return nil }
        var mantissa: UInt64 = 0
        for word in (0..<length).reversed() {
            mantissa = mantissa << 16 | UInt64(raw[offset + 4 + 2 * word]) | UInt64(raw[offset + 5 + 2 * word]) << 8
        }
        return (mantissa == 0 ? false : negative, Int(Int8(bitPattern: raw[offset])), mantissa)
    }

    /// -1, 0 or 1 as `a` is less than, equal to or greater than `b`; nil when either needs Foundation.
    static func compare(_ a: Decimal, _ b: Decimal) -> Int? {
        guard let x = parts(a), let y = parts(b) else { return nil }
        if x.mantissa == 0 || y.mantissa == 0 || x.negative != y.negative {
            let sx = x.mantissa == 0 ? 0 : (x.negative ? -1 : 1), sy = y.mantissa == 0 ? 0 : (y.negative ? -1 : 1)
            return sx < sy ? -1 : sx > sy ? 1 : 0
        }
        // Same sign, both non-zero: bring both to the smaller exponent, if that does not overflow.
        var m1 = x.mantissa, m2 = y.mantissa
        let low = min(x.exponent, y.exponent)
        for _ in 0..<(x.exponent - low) { let (r, o) = m1.multipliedReportingOverflow(by: 10); if o { return nil }; m1 = r }
        for _ in 0..<(y.exponent - low) { let (r, o) = m2.multipliedReportingOverflow(by: 10); if o { return nil }; m2 = r }
        let magnitude = m1 < m2 ? -1 : m1 > m2 ? 1 : 0
        return x.negative ? -magnitude : magnitude
    }
}

extension Decimal {
    /// `self < other`, without Foundation's comparison (a microsecond and more on Linux) when both fit 64 bits.
    public func fastLess(than other: Decimal) -> Bool {
        if let c = DecimalText.compare(self, other) { return c < 0 }
        return self < other
    }
}

extension Decimal {
    /// The value as few bytes as carry it exactly, for the sorter's run files (this process reads
    /// them back): the layout's first four bytes and its mantissa words in use (6–8 bytes for
    /// most values, instead of 20), or nil when the layout is not the one `DecimalText` knows.
    public func appendCompactBytes<S: ByteSink>(to out: inout S) -> Bool {
        guard DecimalText.layoutHolds else { return false }
        withUnsafeBytes(of: self) { raw in
            let words = min(Int(raw[1] >> 4), 8)
            out.put(UnsafeRawBufferPointer(rebasing: raw[0..<(4 + 2 * words)]))
        }
        return true
    }

    /// Whether `appendCompactBytes` can write values (the layout it reads is Foundation's).
    public static var hasCompactBytes: Bool { DecimalText.layoutHolds }

    /// How many bytes `appendCompactBytes` wrote at `offset`.
    public static func compactByteCount(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Int {
        4 + 2 * min(Int(bytes[offset + 1] >> 4), 8)
    }

    /// Appends the canonical text of the value `appendCompactBytes` wrote at `offset` (read from
    /// the bytes, no Decimal made, when its mantissa fits 64 bits); returns the bytes read.
    public static func appendCanonicalText(compactBytes bytes: UnsafeRawBufferPointer, at offset: Int, to out: inout [UInt8]) -> Int {
        appendText(compactBytes: bytes, at: offset, to: &out)
    }

    /// The same into a line being formatted.
    public static func appendCanonicalText(compactBytes bytes: UnsafeRawBufferPointer, at offset: Int, to out: RawBytes) -> Int {
        var out = out
        return appendText(compactBytes: bytes, at: offset, to: &out)
    }

    static func appendText<S: ByteSink>(compactBytes bytes: UnsafeRawBufferPointer, at offset: Int, to out: inout S) -> Int {
        if let parts = DecimalText.rawParts(layout: bytes, at: offset), DecimalText.format(parts, into: &out) {
            return compactByteCount(bytes, at: offset)
        }
        let (value, count) = fromCompactBytes(bytes, at: offset)
        value.appendText(to: &out)
        return count
    }

    /// Reads what `appendCompactBytes` wrote at `offset`; returns the value and the bytes read.
    public static func fromCompactBytes(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> (Decimal, Int) {
        var value = Decimal()
        let count = compactByteCount(bytes, at: offset)
        withUnsafeMutableBytes(of: &value) { raw in
            for i in 0..<raw.count { raw[i] = 0 }
            raw.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)]))
        }
        return (value, count)
    }
}
