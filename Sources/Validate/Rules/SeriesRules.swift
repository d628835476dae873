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
        let period = try fieldIndex(periodField, in: table, rule: name)
        let measure = try fieldIndex(measureField, in: table, rule: name)
        var present = Set<String>()
        var seenMeasures: [String] = []
        for row in table.rows {
            guard case .integer(let year) = row.values[period], case .string(let m) = row.values[measure], row.values.contains(where: { $0.decimal != nil }) else { continue }
            present.insert("\(year) \(m)")
            if !seenMeasures.contains(m) { seenMeasures.append(m) }
        }
        report.begin(name, severity: severity)
        for m in measures.isEmpty ? seenMeasures : measures {
            var gaps: [Int] = []
            for year in from...to {
                let ok = present.contains("\(year) \(m)")
                report.count(passed: ok)
                if !ok { gaps.append(year) }
            }
            if !gaps.isEmpty {
                report.add(Finding(.completeness, severity: severity, check: name,
                                   expected: "\(m) for \(periodField) \(from)–\(to)", actual: "missing \(m) for " + gaps.map(String.init).joined(separator: ", ")))
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
        let period = try fieldIndex(periodField, in: table, rule: name)
        let measure = try fieldIndex(measureField, in: table, rule: name)
        let value = try fieldIndex(valueField, in: table, rule: name)
        var series: [String: [(year: Int, value: Decimal, row: CuratedRow)]] = [:]
        for row in table.rows {
            guard case .integer(let year) = row.values[period], case .string(let m) = row.values[measure],
                  measures.isEmpty || measures.contains(m), let v = row.values[value].decimal else { continue }
            series[m, default: []].append((year, v, row))
        }
        report.begin(name, severity: severity)
        for m in series.keys.sorted() {
            let points = series[m]!.sorted { $0.year < $1.year }
            for (a, b) in zip(points, points.dropFirst()) {
                guard a.value > 0, b.value > 0 else { report.countMissing(); continue }
                var bound = Decimal(1)
                for _ in 0..<max(1, b.year - a.year) { bound *= maxRatio }
                let ratio = b.value / a.value
                let ok = ratio <= bound && ratio * bound >= 1
                report.count(passed: ok)
                if !ok {
                    report.add(Finding(.yoyJump, severity: severity, check: name, location: table.location(of: b.row, field: valueField),
                                       expected: "between ×\((1 / bound).rounded(4).canonicalText) and ×\(bound.canonicalText) over \(b.year - a.year) year(s)",
                                       actual: "\(m) ×\(ratio.rounded(4).canonicalText): \(a.value.canonicalText) (\(a.year)) → \(b.value.canonicalText) (\(b.year))"))
                }
            }
        }
    }
}
