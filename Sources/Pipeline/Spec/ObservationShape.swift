import Normalize

/// How keyed observations (SDMX-ML, SDMX-CSV) become curated long rows: which dimension is the
/// period, which ids become fields, which gives the measure, where the unit and its multiplier are,
/// and the currency to convert to through a declared rate table.
struct ObservationShape: Sendable {
    var periodDimension: String
    var periodField: String
    /// SDMX id → curated field, in field order.
    var dimensions: [(id: String, field: String)]
    /// The dimension whose code names the measure, and code → measure name (unlisted codes are skipped).
    var measureDimension: String
    var measures: [String: String]
    /// Observations kept only when these ids have these values (e.g. FREQ: A).
    var filter: [String: String]
    var valueID: String
    /// The attribute (or dimension) holding the unit code, and code → unit label of the unit table.
    var unitID: String
    var units: [String: String]
    /// The attribute holding the power-of-ten multiplier (SDMX UNIT_MULT), if any.
    var multiplierID: String?
    /// Convert money into this currency with `rateTable` (its annual average for the period's year).
    var convertTo: String?
    var rateTable: String?
}
