import Foundation
import CurateCore
@testable import Validate

/// The whole-table checks of sum, hierarchy, share-sum, ratio, part-of-total and cross-source as
/// they were before they streamed (copied unchanged from Sources/Validate/Rules at e47c016): the
/// golden reference `StreamingGoldenTests` compares the streaming checkers with.
enum WholeTableReference {
    /// The table seen as values by group and measure, rows indexed in first-seen group order.
    struct Grid {
        let table: CuratedTable
        let keys: [Int]
        let measure: Int
        let value: Int
        private(set) var groups: [[Value]: [String: CuratedRow]] = [:]
        private(set) var order: [[Value]] = []

        init(_ table: CuratedTable, groupBy: [String], measureField: String, valueField: String, rule: String, completeKey: Bool = false) throws {
            self.table = table
            let fields = completeKey ? groupBy + table.schema.primaryKey.filter { $0 != measureField && !groupBy.contains($0) } : groupBy
            keys = try fields.map { try fieldIndex($0, in: table.schema, rule: rule) }
            measure = try fieldIndex(measureField, in: table.schema, rule: rule)
            value = try fieldIndex(valueField, in: table.schema, rule: rule)
            for row in table.rows {
                let key = keys.map { row.values[$0] }
                if groups[key] == nil { order.append(key); groups[key] = [:] }
                if let name = row.values[measure].text { groups[key]![name] = row }
            }
        }

        func value(_ row: CuratedRow?) -> Decimal? { row?.values[value].decimal }
        func halfPrecision(_ row: CuratedRow?) -> Decimal { (row?.lineage.precision ?? 0) / 2 }
        func describe(_ key: [Value]) -> String { key.map(\.description).joined(separator: "+") }
    }

    /// Runs one rule the old way; `other` is what a cross-source rule compares with.
    static func check(_ rule: any ConsistencyRule, _ table: CuratedTable, other: CuratedTable?, into report: inout ReportBuilder) throws {
        switch rule {
        case let r as SumRule: try sum(r, table, into: &report)
        case let r as HierarchyRule:
            report.begin(r.name, severity: r.severity)
            for (parent, kids) in r.children {
                var sum = SumRule(name: r.name, severity: r.severity, groupBy: r.groupBy, total: parent, parts: kids)
                sum.measureField = r.field
                try Self.sum(sum, table, into: &report)
            }
        case let r as ShareSumRule: try shareSum(r, table, into: &report)
        case let r as RatioRule: try ratio(r, table, into: &report)
        case let r as PartOfTotalRule: try partOfTotal(r, table, into: &report)
        case let r as CrossSourceRule: try crossSource(r, table, other: other, into: &report)
        default: try rule.check(table, context: RuleContext(), into: &report)
        }
    }

    static func sum(_ rule: SumRule, _ table: CuratedTable, into report: inout ReportBuilder) throws {
        let (name, severity, parts, total, slack, valueField) = (rule.name, rule.severity, rule.parts, rule.total, rule.slack, rule.valueField)
        let grid = try Grid(table, groupBy: rule.groupBy, measureField: rule.measureField, valueField: valueField, rule: name, completeKey: true)
        report.begin(name, severity: severity)
        for key in grid.order {
            let group = grid.groups[key]!
            guard let totalRow = group[total], let totalValue = grid.value(totalRow),
                  let partValues = Optional(parts.map { grid.value(group[$0]) }), partValues.allSatisfy({ $0 != nil }) else {
                report.countMissing(); continue
            }
            let sum = partValues.reduce(Decimal(0)) { $0 + $1! }
            let tolerance = parts.reduce(grid.halfPrecision(totalRow)) { $0 + grid.halfPrecision(group[$1]) } + slack
            let ok = (totalValue - sum).magnitude <= tolerance
            report.count(passed: ok)
            if !ok {
                let listed = zip(parts, partValues).map { "\($0) \($1!.canonicalText)" }.joined(separator: " + ")
                report.add(Finding(.sumMismatch, severity: severity, check: name, location: table.location(of: totalRow, field: valueField),
                                   expected: "\(sum.canonicalText) ± \(tolerance.canonicalText) (\(listed))",
                                   actual: "\(total) \(totalValue.canonicalText) in \(grid.describe(key))"))
            }
        }
    }

    static func shareSum(_ rule: ShareSumRule, _ table: CuratedTable, into report: inout ReportBuilder) throws {
        let (name, severity, parts, valueField) = (rule.name, rule.severity, rule.parts, rule.valueField)
        let grid = try Grid(table, groupBy: rule.groupBy, measureField: rule.measureField, valueField: valueField, rule: name, completeKey: true)
        report.begin(name, severity: severity)
        for key in grid.order {
            let group = grid.groups[key]!
            let values = parts.map { grid.value(group[$0]) }
            guard values.allSatisfy({ $0 != nil }), let first = group[parts[0]] else { report.countMissing(); continue }
            let sum = values.reduce(Decimal(0)) { $0 + $1! }
            let tolerance = parts.reduce(Decimal(0)) { $0 + grid.halfPrecision(group[$1]) } + rule.slack
            let ok = (sum - rule.whole).magnitude <= tolerance
            report.count(passed: ok)
            if !ok {
                report.add(Finding(.shareSum, severity: severity, check: name, location: table.location(of: first, field: valueField),
                                   expected: "\(rule.whole.canonicalText) ± \(tolerance.canonicalText)",
                                   actual: "\(sum.canonicalText) in \(grid.describe(key)) (\(parts.joined(separator: " + ")))"))
            }
        }
    }

    static func ratio(_ rule: RatioRule, _ table: CuratedTable, into report: inout ReportBuilder) throws {
        let (name, severity, ratio, numerator, denominator, scale, valueField) =
            (rule.name, rule.severity, rule.ratio, rule.numerator, rule.denominator, rule.scale, rule.valueField)
        let grid = try Grid(table, groupBy: rule.groupBy, measureField: rule.measureField, valueField: valueField, rule: name, completeKey: true)
        report.begin(name, severity: severity)
        for key in grid.order {
            let group = grid.groups[key]!
            guard let r = grid.value(group[ratio]), let n = grid.value(group[numerator]), let d = grid.value(group[denominator]),
                  d != 0, n != 0, let ratioRow = group[ratio] else { report.countMissing(); continue }
            let expected = n / d * scale
            let relative = grid.halfPrecision(group[numerator]) / n.magnitude + grid.halfPrecision(group[denominator]) / d.magnitude
            let tolerance = grid.halfPrecision(ratioRow) + expected.magnitude * relative
            let ok = (r - expected).magnitude <= tolerance
            report.count(passed: ok)
            if !ok {
                report.add(Finding(.ratioMismatch, severity: severity, check: name, location: table.location(of: ratioRow, field: valueField),
                                   expected: "\(numerator) ÷ \(denominator)\(scale == 1 ? "" : " × \(scale.canonicalText)") = \(expected.rounded(6).canonicalText) ± \(tolerance.rounded(6).canonicalText)",
                                   actual: "\(ratio) \(r.canonicalText) in \(grid.describe(key))"))
            }
        }
    }

    static func partOfTotal(_ rule: PartOfTotalRule, _ table: CuratedTable, into report: inout ReportBuilder) throws {
        let (name, severity, part, total, measureField, valueField) = (rule.name, rule.severity, rule.part, rule.total, rule.measureField, rule.valueField)
        let fields = rule.groupBy + table.schema.primaryKey.filter { $0 != measureField && !rule.groupBy.contains($0) }
        let keys = try fields.map { try fieldIndex($0, in: table.schema, rule: name) }
        let measure = try fieldIndex(measureField, in: table.schema, rule: name)
        let value = try fieldIndex(valueField, in: table.schema, rule: name)
        var groups: [[Value]: (part: CuratedRow?, total: CuratedRow?)] = [:]
        var order: [[Value]] = []
        for row in table.rows {
            let key = keys.map { row.values[$0] }
            if groups[key] == nil { order.append(key) }
            switch row.values[measure] {
            case .string(part): groups[key, default: (nil, nil)].part = row
            case .string(total): groups[key, default: (nil, nil)].total = row
            default: if groups[key] == nil { groups[key] = (nil, nil) }
            }
        }
        report.begin(name, severity: severity)
        for key in order {
            guard let entry = groups[key], let p = entry.part, let t = entry.total,
                  let pv = p.values[value].decimal, let tv = t.values[value].decimal else {
                report.countMissing(); continue
            }
            let ok = pv <= tv
            report.count(passed: ok)
            if !ok {
                report.add(Finding(.partExceedsTotal, severity: severity, check: name,
                                   location: table.location(of: p, field: valueField),
                                   expected: "≤ \(total) \(tv.canonicalText) (\(t.lineage.source.file):\(t.lineage.source.row ?? 0))",
                                   actual: "\(part) \(pv.canonicalText)"))
            }
        }
    }

    static func crossSource(_ rule: CrossSourceRule, _ table: CuratedTable, other: CuratedTable?, into report: inout ReportBuilder) throws {
        let (name, severity, dataset, valueField) = (rule.name, rule.severity, rule.dataset, rule.valueField)
        report.begin(name, severity: severity)
        guard let other else {
            report.add(Finding(.crossSource, severity: .warning, check: name, expected: "dataset \(dataset) published", actual: "not available: nothing compared"))
            return
        }
        let here = try Grid(table, groupBy: rule.key, measureField: rule.measureField, valueField: valueField, rule: name)
        let there = try Grid(other, groupBy: rule.key, measureField: rule.measureField, valueField: valueField, rule: name)
        for k in here.order {
            for (mine, theirs) in rule.measures {
                guard let row = here.groups[k]?[mine], let a = here.value(row) else { continue }
                guard let otherRow = there.groups[k]?[theirs], let b = there.value(otherRow) else { report.countMissing(); continue }
                let tolerance = here.halfPrecision(row) + there.halfPrecision(otherRow)
                let ok = (a - b).magnitude <= tolerance
                report.count(passed: ok)
                if !ok {
                    report.add(Finding(.crossSource, severity: severity, check: name, location: table.location(of: row, field: valueField),
                                       expected: "\(dataset) \(theirs) \(b.canonicalText) ± \(tolerance.canonicalText) (\(otherRow.lineage.source.file):\(otherRow.lineage.source.row ?? 0))",
                                       actual: "\(mine) \(a.canonicalText) in \(here.describe(k))"))
                }
            }
        }
    }

    /// A spec's rules checked the old way, then the `every-rule-checked-something` accounting.
    static func report(_ rules: [any ConsistencyRule], _ table: CuratedTable, others: [String: CuratedTable] = [:]) throws -> ValidationReport {
        var builder = ReportBuilder()
        for rule in rules {
            try check(rule, table, other: (rule as? CrossSourceRule).flatMap { others[$0.dataset] }, into: &builder)
        }
        RuleChecks.accountChecked(rules, rows: table.rows.count, context: RuleContext(datasets: others), into: &builder)
        return builder.build(dataset: "golden", rows: table.rows.count)
    }
}
