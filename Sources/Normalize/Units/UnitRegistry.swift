import Foundation
import CurateCore

/// A unit as printed (`億円`) resolved to a base unit (`JPY`) and the factor that takes it there.
public struct ResolvedUnit: Hashable, Sendable {
    public var label: String
    public var base: String
    public var factor: Decimal
}

/// The units curate knows, loaded from a data file (Pipelines/reference/units.yaml), never coded.
///
/// A label is a base unit (円, 件, 人) optionally preceded by a multiplier (千, 百万, 億, 十億,
/// thousand, million): 十億円 → JPY × 10⁹. The longest multiplier wins, so 十億 beats 億.
public struct UnitRegistry: Sendable, Codable {
    /// Printed base unit → curated base unit name, e.g. `円: JPY`, `件: count`; a unit that is a
    /// multiple of its base says so: `割: percent*10`.
    public var units: [String: String]
    /// Multiplier prefix → factor, e.g. `千: 1000`. Kept as text so that factors stay exact.
    public var multipliers: [String: String]

    public init(units: [String: String], multipliers: [String: String]) {
        self.units = units; self.multipliers = multipliers
    }

    /// Resolves a printed unit; nil when it is unknown.
    public func resolve(_ label: String) -> ResolvedUnit? {
        let text = label.trimmingWhitespace
        if let (base, factor) = unit(text) { return ResolvedUnit(label: text, base: base, factor: factor) }
        for prefix in multipliers.keys.sorted(by: { $0.count > $1.count || ($0.count == $1.count && $0 < $1) })
        where text.hasPrefix(prefix) {
            let rest = String(text.dropFirst(prefix.count)).trimmingWhitespace
            if let (base, own) = unit(rest), let factor = Self.decimal(multipliers[prefix]!) {
                return ResolvedUnit(label: text, base: base, factor: factor * own)
            }
        }
        return nil
    }

    /// A base unit and its own factor (`percent*10` → percent × 10).
    private func unit(_ label: String) -> (String, Decimal)? {
        guard let entry = units[label] else { return nil }
        let parts = entry.split(separator: "*")
        guard parts.count == 2 else { return (entry, 1) }
        guard let factor = Self.decimal(String(parts[1])) else { return nil }
        return (String(parts[0]), factor)
    }

    private static func decimal(_ text: String) -> Decimal? { Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) }

    /// Splits a unit note that names several units (`件、億円`, `人, 千円`) into its labels.
    public static func labels(inNote note: String) -> [String] {
        note.split(whereSeparator: { "、,，・/／".contains($0) }).map { String($0).trimmingWhitespace }.filter { !$0.isEmpty }
    }

    /// A base multiplier such as SDMX's UNIT_MULT (power of ten).
    public static func powerOfTen(_ exponent: Int) -> Decimal { Decimal(sign: .plus, exponent: exponent, significand: 1) }
}
