/// The fields of a curated long table besides its period and dimensions, named once: every
/// shaper fills them, the store indexes them, and the rules' defaults refer to them.
public enum LongField {
    /// The measure's name (`projects`, `amount`).
    public static let measure = "measure"
    /// The number, in the measure's base unit; empty for a declared marker.
    public static let value = "value"
    /// The base unit the value is in.
    public static let unit = "unit"
    /// Empty for a number; the declared meaning of a marker otherwise.
    public static let status = "status"

    /// In the order a shaper lists them.
    public static let all = [measure, value, unit, status]
}
