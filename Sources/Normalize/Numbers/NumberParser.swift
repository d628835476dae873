import Foundation
import CurateCore

/// The outcome of reading one numeric cell.
public enum ParsedNumber: Equatable, Sendable {
    /// A number, exact, with the count of digits after the point as printed (its precision).
    case value(Decimal, decimals: Int, percent: Bool)
    /// A declared marker such as `-` or `x`.
    case missing(MissingReason, marker: String)
    /// An empty cell.
    case blank
}

/// Reads numbers as Japanese and international tables print them.
///
/// Handles thousands separators (checked: groups of three), full-width digits and signs, △ and ▲
/// for minus, parentheses where declared, exponents, `%`. Text that is a known marker symbol but
/// not declared for the source is `unknown-marker`; any other text is `type-error`.
public struct NumberParser: Sendable {
    public var format: NumberFormat { didSet { fastPathIsSafe = Self.fastPathIsSafe(format) } }
    /// False when a declared marker reads as a plain number (a table that prints `0` for "less
    /// than half a unit"): markers are matched before numbers, so every cell takes the general path.
    private var fastPathIsSafe: Bool

    /// Marks that official tables use for "no number". Only the declared ones are accepted.
    public static let knownMarkers: Set<String> = ["-", "－", "―", "—", "‐", "…", "...", "x", "X", "*", "***",
                                                   "n.a.", "N.A.", "NA", "na", ":", "..", "・", "‥", "―――"]

    public init(format: NumberFormat = NumberFormat()) { self.format = format; fastPathIsSafe = Self.fastPathIsSafe(format) }

    private static func fastPathIsSafe(_ format: NumberFormat) -> Bool {
        !format.markers.keys.contains { plainNumber($0, decimalSeparator: format.decimalSeparator) != nil }
    }

    public func parse(_ raw: String) -> Result<ParsedNumber, NumberError> {
        if fastPathIsSafe, let plain = Self.plainNumber(raw, decimalSeparator: format.decimalSeparator) { return .success(plain) }
        return parseGeneral(raw)
    }

    /// The common case read straight from the bytes, with no String work: ASCII digits with
    /// optional sign, grouping separators in threes and a fraction, at most 18 digits. Anything
    /// else (markers, full-width text, △, %, exponents) returns nil and takes `parseGeneral`, which
    /// gives the same result for everything this accepts (see NumberParserFastPathTests).
    static func plainNumber(_ raw: String, decimalSeparator: Character) -> ParsedNumber? {
        var raw = raw
        return raw.withUTF8 { plainNumber(utf8: $0, decimalSeparator: decimalSeparator) }
    }

    /// `parse` of a cell's UTF-8 bytes when it is a plain number (see `plainNumber`); nil when the
    /// cell needs `parse` (anything else, or a format whose markers read as plain numbers).
    public func parsePlain(utf8 bytes: UnsafeBufferPointer<UInt8>) -> (value: Decimal, decimals: Int)? {
        guard fastPathIsSafe, case .value(let value, let decimals, _)? = Self.plainNumber(utf8: bytes, decimalSeparator: format.decimalSeparator) else { return nil }
        return (value, decimals)
    }

    static func plainNumber(utf8 bytes: UnsafeBufferPointer<UInt8>, decimalSeparator: Character) -> ParsedNumber? {
        let point: UInt8 = decimalSeparator == "," ? UInt8(ascii: ",") : UInt8(ascii: ".")
        let group: UInt8 = point == UInt8(ascii: ",") ? UInt8(ascii: ".") : UInt8(ascii: ",")
        do {
            var start = 0, end = bytes.count
            while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
            while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
            guard start < end else { return nil }
            var i = start, negative = false
            if bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { negative = bytes[i] == UInt8(ascii: "-"); i += 1 }
            var mantissa: UInt64 = 0, digits = 0, groupDigits = 0, grouped = false, decimals = 0
            var sawDigit = false
            while i < end {
                let b = bytes[i]
                if b &- 0x30 < 10 {
                    mantissa = mantissa &* 10 &+ UInt64(b &- 0x30); digits += 1; groupDigits += 1; sawDigit = true
                } else if b == group {
                    // The first group has 1–3 digits, every later one exactly 3.
                    guard groupDigits >= 1, groupDigits <= 3, !grouped || groupDigits == 3 else { return nil }
                    grouped = true; groupDigits = 0
                } else { break }
                i += 1
            }
            guard sawDigit, !grouped || groupDigits == 3 else { return nil }
            if i < end {
                guard bytes[i] == point else { return nil }
                i += 1
                guard i < end else { return nil }
                while i < end {
                    let b = bytes[i]
                    guard b &- 0x30 < 10 else { return nil }
                    mantissa = mantissa &* 10 &+ UInt64(b &- 0x30); digits += 1; decimals += 1
                    i += 1
                }
            }
            guard digits <= 18 else { return nil }
            let value = Decimal(sign: negative && mantissa != 0 ? .minus : .plus, exponent: -decimals, significand: Decimal(mantissa))
            return .value(value, decimals: decimals, percent: false)
        }
    }

    /// Every form the parser reads (see the type's comment).
    func parseGeneral(_ raw: String) -> Result<ParsedNumber, NumberError> {
        let trimmed = raw.trimmingWhitespace
        if trimmed.isEmpty { return .success(.blank) }
        if let reason = format.markers[trimmed] { return .success(.missing(reason, marker: trimmed)) }
        if Self.knownMarkers.contains(trimmed) { return .failure(.unknownMarker) }

        var text = Halfwidth.fold(trimmed)
        // 「約893」: the source says the figure is rounded; the printed digits give its precision.
        if text.hasPrefix("約") { text.removeFirst(); text = text.trimmingWhitespace }
        if let slash = text.firstIndex(of: "/"), let fraction = Self.fraction(text, at: slash) { return .success(fraction) }
        var negative = false
        if let first = text.first, first == "△" || first == "▲" {
            negative = true; text.removeFirst(); text = text.trimmingWhitespace
        }
        if format.parenthesesNegative, text.hasPrefix("("), text.hasSuffix(")") {
            negative.toggle(); text = String(text.dropFirst().dropLast())
        }
        var percent = false
        if text.hasSuffix("%") { percent = true; text.removeLast() }
        if text.hasPrefix("-") || text.hasPrefix("+") {
            if text.hasPrefix("-") { negative.toggle() }
            text.removeFirst()
        }
        guard let (digits, decimals) = canonicalDigits(text), let value = Decimal(string: digits, locale: Locale(identifier: "en_US_POSIX")) else {
            return .failure(.notANumber)
        }
        return .success(.value(negative ? -value : value, decimals: decimals, percent: percent))
    }

    /// `2/3` (a subsidy rate): the quotient to 10 decimals, its precision those 10 decimals.
    private static func fraction(_ text: String, at slash: String.Index) -> ParsedNumber? {
        let a = text[..<slash], b = text[text.index(after: slash)...]
        guard !a.isEmpty, !b.isEmpty, a.allSatisfy(\.isASCIIDigit), b.allSatisfy(\.isASCIIDigit),
              let n = Decimal(string: String(a)), let d = Decimal(string: String(b)), d != 0 else { return nil }
        var q = n / d, rounded = Decimal()
        NSDecimalRound(&rounded, &q, 10, .bankers)
        return .value(rounded, decimals: 10, percent: false)
    }

    /// Removes grouping separators after checking them; returns ASCII digits with `.` and the
    /// count of printed fraction digits. nil when the text is not a number.
    private func canonicalDigits(_ text: String) -> (String, Int)? {
        let group: Character = format.decimalSeparator == "," ? "." : ","
        var mantissa = Substring(text), exponent = ""
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = String(text[text.index(after: e)...])
            let expDigits = exponent.hasPrefix("-") || exponent.hasPrefix("+") ? exponent.dropFirst() : Substring(exponent)
            guard !expDigits.isEmpty, expDigits.allSatisfy(\.isASCIIDigit) else { return nil }
        }
        let parts = mantissa.split(separator: format.decimalSeparator, omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first else { return nil }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.allSatisfy(\.isASCIIDigit), !(whole.isEmpty && fraction.isEmpty) else { return nil }
        let groups = whole.split(separator: group, omittingEmptySubsequences: false)
        for (index, g) in groups.enumerated() {
            guard g.allSatisfy(\.isASCIIDigit) else { return nil }
            if groups.count > 1 {
                if index == 0 ? (g.isEmpty || g.count > 3) : g.count != 3 { return nil }
            }
        }
        let wholeDigits = groups.joined()
        var result = (wholeDigits.isEmpty ? "0" : wholeDigits) + (fraction.isEmpty ? "" : "." + fraction)
        if !exponent.isEmpty { result += "e" + exponent }
        return (result, fraction.count)
    }
}

public enum NumberError: Error, Equatable, Sendable {
    case unknownMarker, notANumber

    public var code: IssueCode { self == .unknownMarker ? .unknownMarker : .typeError }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
