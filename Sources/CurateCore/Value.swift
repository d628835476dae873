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
    /// Rounded half-even to `scale` decimals.
    package func rounded(_ scale: Int) -> Decimal {
        var value = self, out = Decimal()
        NSDecimalRound(&out, &value, scale, .bankers)
        return out
    }
}
