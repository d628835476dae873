import Normalize

/// How keyed observations (SDMX-ML, SDMX-CSV) become curated long rows: which dimension is the
/// period, which ids become fields, which gives the measure, where the unit and its multiplier are,
/// and the currency to convert to through a declared rate table.
public struct ObservationShape: Sendable {
    public var periodDimension: String
    public var periodField: String
    /// SDMX id → curated field, in field order.
    public var dimensions: [(id: String, field: String)]
    /// The dimension whose code names the measure, and code → measure name (unlisted codes are skipped).
    public var measureDimension: String
    public var measures: [String: String]
    /// Observations kept only when these ids have these values (e.g. FREQ: A).
    public var filter: [String: String]
    public var valueID: String
    /// The attribute (or dimension) holding the unit code, and code → unit label of the unit table.
    public var unitID: String
    public var units: [String: String]
    /// The attribute holding the power-of-ten multiplier (SDMX UNIT_MULT), if any.
    public var multiplierID: String?
    /// Convert money into this currency with `rateTable` (its annual average for the period's year).
    public var convertTo: String?
    public var rateTable: String?
}
