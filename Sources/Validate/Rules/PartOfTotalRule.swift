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
        // Grouped by every other primary-key field too (a country, a sector): one pair per category.
        let fields = groupBy + table.schema.primaryKey.filter { $0 != measureField && !groupBy.contains($0) }
        let keys = try fields.map { try fieldIndex($0, in: table, rule: name) }
        let measure = try fieldIndex(measureField, in: table, rule: name)
        let value = try fieldIndex(valueField, in: table, rule: name)
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
}
