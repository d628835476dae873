import Foundation
import CurateCore

/// Every period of a range has a value for every listed measure; the gaps are listed.
public struct CompletenessRule: ConsistencyRule {
    public var name: String
    public var severity: Severity
    public var periodField: String
    public var from: Int
    public var to: Int
    /// Measures expected in every period; empty means every measure the table has.
    public var measures: [String]
    public var measureField = "measure"

    public init(name: String, severity: Severity, periodField: String, from: Int, to: Int, measures: [String]) {
        self.name = name; self.severity = severity; self.periodField = periodField; self.from = from; self.to = to; self.measures = measures
    }

    public func check(_ table: CuratedTable, context: RuleContext, into report: inout ReportBuilder) throws {
        try checkByStreaming(table, context: context, into: &report)
    }

    func checker(schema: TableSchema, context: RuleContext) throws -> any RowRuleChecker {
        Checker(rule: self, period: try fieldIndex(periodField, in: schema, rule: name), measure: try fieldIndex(measureField, in: schema, rule: name))
    }

    /// Per-group state: the (period, measure) pairs that have a value.
    final class Checker: RowRuleChecker {
        let rule: CompletenessRule
        let period: Int, measure: Int
        var present = Set<String>()
        var seenMeasures: [String] = []

        init(rule: CompletenessRule, period: Int, measure: Int) { self.rule = rule; self.period = period; self.measure = measure }

        func observe(_ row: CuratedRow) {
            guard case .integer(let year) = row.values[period], case .string(let m) = row.values[measure], row.values.contains(where: { $0.decimal != nil }) else { return }
            present.insert("\(year) \(m)")
            if !seenMeasures.contains(m) { seenMeasures.append(m) }
        }

        func finish(into report: inout ReportBuilder) {
            let (name, severity) = (rule.name, rule.severity)
            report.begin(name, severity: severity)
            for m in rule.measures.isEmpty ? seenMeasures : rule.measures {
                var gaps: [Int] = []
                for year in rule.from...rule.to {
                    let ok = present.contains("\(year) \(m)")
                    report.count(passed: ok)
                    if !ok { gaps.append(year) }
                }
                if !gaps.isEmpty {
                    report.add(Finding(.completeness, severity: severity, check: name,
                                       expected: "\(m) for \(rule.periodField) \(rule.from)–\(rule.to)", actual: "missing \(m) for " + gaps.map(String.init).joined(separator: ", ")))
                }
            }
        }
    }
}

/// Consecutive values of a measure change by at most a factor `maxRatio` a year (compounded over
/// gaps). A digit typed twice makes a value ten times its neighbours: this finds it.
public struct YearOnYearRule: ConsistencyRule {
    public var name: String
    public var severity: Severity
    public var periodField: String
    public var measures: [String]
    public var maxRatio: Decimal
    public var measureField = "measure"
    public var valueField = "value"

    public init(name: String, severity: Severity, periodField: String, measures: [String], maxRatio: Decimal) {
        self.name = name; self.severity = severity; self.periodField = periodField; self.measures = measures; self.maxRatio = maxRatio
    }

    public func check(_ table: CuratedTable, context: RuleContext, into report: inout ReportBuilder) throws {
        try checkByStreaming(table, context: context, into: &report)
    }

    func checker(schema: TableSchema, context: RuleContext) throws -> any RowRuleChecker {
        let period = try fieldIndex(periodField, in: schema, rule: name)
        return Checker(rule: self, period: period, measure: try fieldIndex(measureField, in: schema, rule: name),
                       value: try fieldIndex(valueField, in: schema, rule: name),
                       periodLeads: schema.primaryKey.first == periodField)
    }

    /// Per-series state. When the primary key leads with the period, rows of each measure arrive in
    /// period order (the order the whole-table check sorted them into), so only the last point of
    /// each measure is kept; otherwise each measure's points (period, value, place) are kept and
    /// sorted at the end, as the whole-table check did.
    final class Checker: RowRuleChecker {
        struct Point { var year: Int; var value: Decimal; var place: SourceLocation }
        let rule: YearOnYearRule
        let period: Int, measure: Int, value: Int
        let periodLeads: Bool
        var last: [String: Point] = [:]
        var series: [String: [Point]] = [:]
        var passes = 0, fails = 0, missing = 0
        /// Findings listed by measure, then in series order, as the whole-table check listed them.
        var findings = SortedFindings<String>()

        init(rule: YearOnYearRule, period: Int, measure: Int, value: Int, periodLeads: Bool) {
            self.rule = rule; self.period = period; self.measure = measure; self.value = value; self.periodLeads = periodLeads
        }

        func observe(_ row: CuratedRow) {
            guard case .integer(let year) = row.values[period], case .string(let m) = row.values[measure],
                  rule.measures.isEmpty || rule.measures.contains(m), let v = row.values[value].decimal else { return }
            var place = row.lineage.source
            if place.field == nil { place.field = rule.valueField }
            let point = Point(year: year, value: v, place: place)
            guard periodLeads else { series[m, default: []].append(point); return }
            if let a = last[m] { compare(a, point, measure: m) }
            last[m] = point
        }

        private func compare(_ a: Point, _ b: Point, measure m: String) {
            guard a.value > 0, b.value > 0 else { missing += 1; return }
            var bound = Decimal(1)
            for _ in 0..<max(1, b.year - a.year) { bound *= rule.maxRatio }
            let ratio = b.value / a.value
            let ok = ratio <= bound && ratio * bound >= 1
            if ok { passes += 1; return }
            fails += 1
            findings.add(Finding(.yoyJump, severity: rule.severity, check: rule.name, location: b.place,
                                 expected: "between ×\((1 / bound).rounded(4).canonicalText) and ×\(bound.canonicalText) over \(b.year - a.year) year(s)",
                                 actual: "\(m) ×\(ratio.rounded(4).canonicalText): \(a.value.canonicalText) (\(a.year)) → \(b.value.canonicalText) (\(b.year))"),
                         key: m)
        }

        func finish(into report: inout ReportBuilder) {
            for m in series.keys.sorted() {
                let points = series[m]!.sorted { $0.year < $1.year }
                for (a, b) in zip(points, points.dropFirst()) { compare(a, b, measure: m) }
            }
            report.begin(rule.name, severity: rule.severity)
            report.count(passes: passes, fails: fails)
            for _ in 0..<missing { report.countMissing() }
            findings.report(into: &report)
        }
    }
}

extension CompletenessRule: StreamingRule {}
extension YearOnYearRule: StreamingRule {}
