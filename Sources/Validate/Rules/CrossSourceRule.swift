import Foundation
import CurateCore

/// The same figure in another curated dataset agrees within the rounding of both publications.
public struct CrossSourceRule: ConsistencyRule {
    public var name: String
    public var severity: Severity
    /// The other dataset's name (its curated release is compared).
    public var dataset: String
    /// Fields that identify the same figure in both (e.g. the fiscal year).
    public var key: [String]
    /// This table's measure → the other's measure.
    public var measures: [(here: String, there: String)]
    public var measureField = "measure"
    public var valueField = "value"

    public init(name: String, severity: Severity, dataset: String, key: [String], measures: [(here: String, there: String)]) {
        self.name = name; self.severity = severity; self.dataset = dataset; self.key = key; self.measures = measures
    }

    /// An unpublished other dataset is reported by the rule itself (a warning naming it).
    public func expectsItems(in context: RuleContext) -> Bool {
        context.datasets[dataset] != nil || context.publishedDatasets.contains(dataset)
    }

    public func check(_ table: CuratedTable, context: RuleContext, into report: inout ReportBuilder) throws {
        try checkByStreaming(table, context: context, into: &report)
    }

    func checker(schema: TableSchema, context: RuleContext) throws -> any RowRuleChecker {
        try checker(schema: schema, other: context.datasets[dataset].map { ($0.schema, TableCursor($0)) })
    }

    /// `other`: the other dataset's published release (nil when there is none), read through once
    /// here, keeping per key only the last value of each measure this rule names there.
    func checker(schema: TableSchema, other: (schema: TableSchema, rows: any RowCursor)?) throws -> any RowRuleChecker {
        guard let other else { return Checker(rule: self, comparison: nil) }
        let groups = GroupTracker<[Slot?]>(keyFields: try key.map { try fieldIndex($0, in: schema, rule: name) },
                                           primaryKey: schema.primaryKey.compactMap { schema.index(of: $0) })
        let measure = try fieldIndex(measureField, in: schema, rule: name)
        let value = try fieldIndex(valueField, in: schema, rule: name)
        let otherKey = try key.map { try fieldIndex($0, in: other.schema, rule: name) }
        let otherMeasure = try fieldIndex(measureField, in: other.schema, rule: name)
        let otherValue = try fieldIndex(valueField, in: other.schema, rule: name)
        let mine = MeasureGroupChecker.slots(measures.map(\.here)), theirs = MeasureGroupChecker.slots(measures.map(\.there))
        var there: [[Value]: [Slot?]] = [:]
        while let row = try other.rows.next() {
            guard let slot = row.values[otherMeasure].text.flatMap({ theirs.of[$0] }) else { continue }
            there[otherKey.map { row.values[$0] }, default: Array(repeating: nil, count: theirs.count)][slot] = Slot(row, value: otherValue)
        }
        return Checker(rule: self, comparison: (groups, Checker.Comparison(measure: measure, value: value,
                                                                          mine: mine.of, theirs: theirs.of, there: there)))
    }

    /// This table's rows grouped by `key` (see `GroupTracker`), each group holding the last value
    /// of each measure compared; the other dataset as the last value of each measure compared per
    /// key. Memory is proportional to the keys (the years compared) of both, never to the rows.
    final class Checker: RowRuleChecker {
        /// Where the compared values are: field indexes, slot numbers and the other dataset's values.
        struct Comparison {
            let measure: Int, value: Int
            let mine: [String: Int], theirs: [String: Int]
            let there: [[Value]: [Slot?]]
        }
        let rule: CrossSourceRule
        /// Nil when the other dataset is not published.
        private let comparison: Comparison?
        private var groups: GroupTracker<[Slot?]>?
        private var tally = Tally()

        init(rule: CrossSourceRule, comparison: (groups: GroupTracker<[Slot?]>, Comparison)?) {
            self.rule = rule; self.comparison = comparison?.1; groups = comparison?.groups
        }

        func observe(_ row: CuratedRow) {
            guard let c = comparison else { return }
            let target = row.values[c.measure].text.flatMap { c.mine[$0] }
            groups!.add(row, initial: { Array(repeating: nil, count: c.mine.count) },
                        update: { if let target { $0[target] = Slot(row, value: c.value) } },
                        complete: { judge($0, $1, c) })
        }

        private func judge(_ key: [Value], _ slots: [Slot?], _ c: Comparison) {
            for (mine, theirs) in rule.measures {
                guard let here = slots[c.mine[mine]!], let a = here.value else { continue }
                guard let other = c.there[key]?[c.theirs[theirs]!], let b = other.value else { tally.missing += 1; continue }
                let tolerance = here.half + other.half
                tally.judge((a - b).magnitude <= tolerance) {
                    Finding(.crossSource, severity: rule.severity, check: rule.name, location: here.location(field: rule.valueField),
                            expected: "\(rule.dataset) \(theirs) \(b.canonicalText) ± \(tolerance.canonicalText) (\(other.place.file):\(other.place.row ?? 0))",
                            actual: "\(mine) \(a.canonicalText) in \(MeasureGroupChecker.describe(key))")
                }
            }
        }

        func finish(into report: inout ReportBuilder) {
            report.begin(rule.name, severity: rule.severity)
            guard let c = comparison else {
                report.add(Finding(.crossSource, severity: .warning, check: rule.name, expected: "dataset \(rule.dataset) published",
                                   actual: "not available: nothing compared"))
                return
            }
            groups!.flush { judge($0, $1, c) }
            tally.report(into: &report)
        }
    }
}

extension CrossSourceRule: StreamingRule {}
