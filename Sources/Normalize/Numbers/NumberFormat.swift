/// How one source writes numbers: declared in the pipeline spec.
public struct NumberFormat: Sendable, Equatable {
    /// `.` (default) or `,` (SDMX-CSV and European exports).
    public var decimalSeparator: Character
    /// `(123)` means −123 only where the source says so.
    public var parenthesesNegative: Bool
    /// Marker text → what it means. An undeclared marker is an `unknown-marker` finding.
    public var markers: [String: MissingReason]

    public init(decimalSeparator: Character = ".", parenthesesNegative: Bool = false,
                markers: [String: MissingReason] = [:]) {
        self.decimalSeparator = decimalSeparator
        self.parenthesesNegative = parenthesesNegative
        self.markers = markers
    }
}

/// Why a cell holds no number. A marker never becomes a number, not even `zero`: the value is
/// left empty and the reason travels with it.
public enum MissingReason: String, Sendable, CaseIterable, Codable {
    case zero = "zero"
    case notAvailable = "not-available"
    case confidential = "confidential"
    case notApplicable = "not-applicable"
}
