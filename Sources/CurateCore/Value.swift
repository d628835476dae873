import Foundation

/// A normalised cell: typed, exact. Numbers are decimals, never binary floating point.
public enum Value: Hashable, Sendable, CustomStringConvertible {
    case integer(Int)
    case number(Decimal)
    case string(String)
    case null

    /// The canonical text written to curated CSV: plain digits, no exponent, no float noise.
    public var description: String {
        switch self {
        case .integer(let i): String(i)
        case .number(let d): d.canonicalText
        case .string(let s): s
        case .null: ""
        }
    }

    public var decimal: Decimal? {
        switch self {
        case .integer(let i): Decimal(i)
        case .number(let d): d
        default: nil
        }
    }
}

extension Decimal {
    /// Plain decimal text without exponent or trailing fractional zeros (`34100000000`, `0.05`, `-1.5`).
    public var canonicalText: String {
        var value = self
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 20, .plain)
        let text = NSDecimalNumber(decimal: rounded).stringValue
        return text == "-0" ? "0" : text
    }
}

extension Decimal {
    /// Rounded half-even to `scale` decimals.
    package func rounded(_ scale: Int) -> Decimal {
        var value = self, out = Decimal()
        NSDecimalRound(&out, &value, scale, .bankers)
        return out
    }
}
