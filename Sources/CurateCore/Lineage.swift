import Foundation

/// How a curated value was derived: the cell it came from and each step applied to it.
public struct Lineage: Hashable, Codable, Sendable {
    public var source: SourceLocation
    /// The unit as the source printed it (`億円`), before conversion to the base unit.
    public var sourceUnit: String?
    /// The value of one unit in the last printed digit, in the curated unit: `341` 億円 → 100000000,
    /// `56.5` 百万円 → 100000. A rounded figure is exact only to within half of it.
    public var precision: Decimal?
    /// What the printed number was multiplied by to give the curated value (`億円` → 100000000;
    /// UNIT_MULT and a currency rate included): value = raw × factor, so that step is not spelled
    /// out per row.
    public var factor: Decimal?
    /// The steps `raw × factor` does not say, in order: a period read from a label (`令和5年度 →
    /// FY2023`), a label looked up in a code list, a marker, 約, a currency conversion.
    public var steps: [String]

    public init(source: SourceLocation, sourceUnit: String? = nil, factor: Decimal? = nil, precision: Decimal? = nil, steps: [String] = []) {
        self.source = source; self.sourceUnit = sourceUnit; self.factor = factor; self.precision = precision; self.steps = steps
    }
}

/// One row of a curated long table: its values in field order and where they came from.
public struct CuratedRow: Hashable, Sendable {
    public var values: [Value]
    public var lineage: Lineage

    public init(values: [Value], lineage: Lineage) { self.values = values; self.lineage = lineage }
}
