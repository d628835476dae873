import CurateCore

/// Runs a spec's consistency rules, then checks that each one checked something.
///
/// A rule whose measures, codes or groups are absent from the data judges no item: left alone its
/// summary reads 0 passes, 0 fails and the dataset "valid". Here it becomes a `checked-nothing`
/// finding at error severity (whatever the rule's own severity), under the summary
/// `every-rule-checked-something`, which counts one item per rule.
public enum RuleChecks {
    /// The summary that counts the rules which checked something.
    public static let summaryName = "every-rule-checked-something"

    public static func run(_ rules: [any ConsistencyRule], on table: CuratedTable, context: RuleContext,
                           into report: inout ReportBuilder) throws {
        for rule in rules { try rule.check(table, context: context, into: &report) }
        accountChecked(rules, rows: table.rows.count, context: context, into: &report)
    }

    /// The `every-rule-checked-something` summary, once every rule has reported.
    static func accountChecked(_ rules: [any ConsistencyRule], rows: Int, context: RuleContext, into report: inout ReportBuilder) {
        guard !rules.isEmpty else { return }
        let summaries = rules.map { report.summary(of: $0.name) }
        report.begin(summaryName, severity: .error)
        for (rule, summary) in zip(rules, summaries) {
            let judged = (summary?.passes ?? 0) + (summary?.fails ?? 0)
            let ok = judged > 0 || !rule.expectsItems(in: context)
            report.count(passed: ok)
            if !ok {
                let missing = summary?.missing ?? 0
                report.add(Finding(.checkedNothing, severity: .error, check: rule.name,
                                   expected: "at least one item to check",
                                   actual: missing == 0 ? "no rows of what the rule names (\(rows) rows in the table)"
                                                        : "\(missing) item(s), each lacking a value the rule needs"))
            }
        }
    }
}
