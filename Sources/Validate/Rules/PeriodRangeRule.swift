import CurateCore

/// Every period lies in the declared range; with `requireAll`, every period of the range has data.
///
/// Catches a mistyped year label (平成42年度 for 平成24年度) and, when required, a year left out.
public struct PeriodRangeRule: ConsistencyRule {
    public var name: String
    public var severity: Severity
    public var field: String
    public var from: Int
    public var to: Int
    public var requireAll: Bool

    public init(name: String, severity: Severity, field: String, from: Int, to: Int, requireAll: Bool) {
        self.name = name; self.severity = severity; self.field = field; self.from = from; self.to = to
        self.requireAll = requireAll
    }

    public func check(_ table: CuratedTable, context: RuleContext, into report: inout ReportBuilder) throws {
        let index = try fieldIndex(field, in: table, rule: name)
        report.begin(name, severity: severity)
        var seen = Set<Int>()
        for row in table.rows {
            guard case .integer(let year) = row.values[index] else { report.countMissing(); continue }
            seen.insert(year)
            let ok = (from...to).contains(year)
            report.count(passed: ok)
            if !ok {
                report.add(Finding(.periodCoverage, severity: severity, check: name,
                                   location: table.location(of: row, field: field),
                                   expected: "\(from)–\(to)", actual: String(year)))
            }
        }
        if requireAll {
            let gaps = (from...to).filter { !seen.contains($0) }
            if !gaps.isEmpty {
                report.add(Finding(.periodCoverage, severity: severity, check: name,
                                   expected: "every period \(from)–\(to)",
                                   actual: "missing " + gaps.map(String.init).joined(separator: ", ")))
            }
        }
    }
}
