/// One problem found in the data. Findings go into reports; they are not thrown.
public struct Finding: Hashable, Codable, Sendable {
    public var code: IssueCode
    public var severity: Severity
    /// The rule or check that found it (a spec rule name, or `schema`, `ingest`, `normalize`).
    public var check: String
    public var location: SourceLocation?
    public var expected: String?
    public var actual: String?

    public init(_ code: IssueCode, severity: Severity? = nil, check: String, location: SourceLocation? = nil,
                expected: String? = nil, actual: String? = nil) {
        self.code = code; self.severity = severity ?? code.defaultSeverity; self.check = check
        self.location = location; self.expected = expected; self.actual = actual
    }

    /// The catalogue template filled in with this finding's values.
    public var message: String {
        var text = code.template
        let values: [String: String?] = [
            "column": location?.field ?? location?.column.map(String.init),
            "raw": location?.raw.map { $0.debugDescription }, "expected": expected, "actual": actual,
        ]
        for (key, value) in values { text = text.replacingAll("{\(key)}", with: value ?? "?") }
        return text
    }
}

extension String {
    /// Plain substring replacement without Foundation.
    package func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.range(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
