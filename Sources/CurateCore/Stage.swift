/// The stages a report counts and findings are filed under (`Finding.check`), named once.
/// Rules file theirs under each rule's own name.
public enum Stage {
    /// Reading the raw file: headers, labels, printed units.
    public static let ingest = "ingest"
    /// Numbers, units, periods and codes.
    public static let normalize = "normalize"
    /// The curated rows against the Table Schema.
    public static let schema = "schema"
    /// Figures computed from other datasets.
    public static let derived = "derived"
}
