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
        try checkByStreaming(table, context: context, into: &report)
    }

    func checker(schema: TableSchema, context: RuleContext) throws -> any RowRuleChecker {
        Checker(rule: self, index: try fieldIndex(field, in: schema, rule: name))
    }

    /// Per-group state: the periods seen.
    final class Checker: RowRuleChecker {
        let rule: PeriodRangeRule
        let index: Int
        var seen = Set<Int>()
        var passes = 0, fails = 0, missing = 0
        var findings = KeptFindings()

        init(rule: PeriodRangeRule, index: Int) { self.rule = rule; self.index = index }

        func observe(_ row: CuratedRow) {
            guard case .integer(let year) = row.values[index] else { missing += 1; return }
            seen.insert(year)
            if (rule.from...rule.to).contains(year) { passes += 1; return }
            fails += 1
            var place = row.lineage.source
            if place.field == nil { place.field = rule.field }
            findings.add(Finding(.periodCoverage, severity: rule.severity, check: rule.name, location: place,
                                 expected: "\(rule.from)–\(rule.to)", actual: String(year)))
        }

        func finish(into report: inout ReportBuilder) {
            report.begin(rule.name, severity: rule.severity)
            report.count(passes: passes, fails: fails)
            for _ in 0..<missing { report.countMissing() }
            findings.report(into: &report)
            if rule.requireAll {
                let gaps = (rule.from...rule.to).filter { !seen.contains($0) }
                if !gaps.isEmpty {
                    report.add(Finding(.periodCoverage, severity: rule.severity, check: rule.name,
                                       expected: "every period \(rule.from)–\(rule.to)",
                                       actual: "missing " + gaps.map(String.init).joined(separator: ", ")))
                }
            }
        }
    }
}

extension PeriodRangeRule: StreamingRule {}
