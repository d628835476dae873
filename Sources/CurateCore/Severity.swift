/// How much a finding matters: `error` blocks publishing the dataset, `warning` is only reported.
public enum Severity: String, Codable, Sendable, Comparable, CaseIterable {
    case warning, error

    public static func < (a: Severity, b: Severity) -> Bool { a == .warning && b == .error }
}
