import CurateCore

/// A part never exceeds its total, period by period: e.g. the amount received in projects of
/// 1,000万円 or more is at most the amount received in all projects.
///
/// Rows are grouped by `groupBy` (the period) and the other primary-key fields; in each group the row whose `measureField` is `part`
/// is compared with the one that is `total`. Groups lacking either are counted as missing.
public struct PartOfTotalRule: ConsistencyRule {
    public var name: String
    public var severity: Severity
    public var groupBy: [String]
    public var measureField: String
    public var valueField: String
    public var part: String
    public var total: String

    public init(name: String, severity: Severity, groupBy: [String], measureField: String, valueField: String,
                part: String, total: String) {
        self.name = name; self.severity = severity; self.groupBy = groupBy
        self.measureField = measureField; self.valueField = valueField; self.part = part; self.total = total
    }

    public func check(_ table: CuratedTable, context: RuleContext, into report: inout ReportBuilder) throws {
        try checkByStreaming(table, context: context, into: &report)
    }

    /// Per group: the part's and the total's last value and place (see `GroupTracker`). Only a
    /// string measure names them, the part first when both names are the same.
    func checker(schema: TableSchema, context: RuleContext) throws -> any RowRuleChecker {
        // Grouped by every other primary-key field too (a country, a sector): one pair per category.
        let groups = try MeasureGroupChecker.groups(schema: schema, groupBy: groupBy, measureField: measureField, rule: name)
        let measure = try fieldIndex(measureField, in: schema, rule: name)
        let value = try fieldIndex(valueField, in: schema, rule: name)
        let (name, severity, part, total, valueField) = (name, severity, part, total, valueField)
        let slot: (Value) -> Int? = {
            switch $0 {
            case .string(part): 0
            case .string(total): 1
            default: nil
            }
        }
        return MeasureGroupChecker(name: name, severity: severity, groups: groups, measure: measure, value: value, slots: 2,
                                   slot: slot) { _, slots, tallies in
            guard let p = slots[0], let t = slots[1], let pv = p.value, let tv = t.value else { tallies[0].missing += 1; return }
            tallies[0].judge(pv <= tv) {
                Finding(.partExceedsTotal, severity: severity, check: name, location: p.location(field: valueField),
                        expected: "≤ \(total) \(tv.canonicalText) (\(t.place.file):\(t.place.row ?? 0))",
                        actual: "\(part) \(pv.canonicalText)")
            }
        }
    }
}

extension PartOfTotalRule: StreamingRule {}
