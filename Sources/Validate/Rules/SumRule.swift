import Foundation
import CurateCore

/// A total equals the sum of its parts, period by period, within what rounding allows: half the
/// published precision of the total and of each part (values rounded to 億円 allow ±0.5億円 each),
/// plus an optional declared slack.
public struct SumRule: ConsistencyRule {
    public var name: String
    public var severity: Severity
    public var groupBy: [String]
    public var measureField = "measure"
    public var valueField = "value"
    public var total: String
    public var parts: [String]
    /// Extra absolute tolerance, in the curated unit.
    public var slack: Decimal = 0

    public init(name: String, severity: Severity, groupBy: [String], total: String, parts: [String], slack: Decimal = 0) {
        self.name = name; self.severity = severity; self.groupBy = groupBy; self.total = total; self.parts = parts; self.slack = slack
    }

    public func check(_ table: CuratedTable, context: RuleContext, into report: inout ReportBuilder) throws {
        try checkByStreaming(table, context: context, into: &report)
    }

    /// Per group: the total's and each part's last value, precision and place (see `GroupTracker`).
    func checker(schema: TableSchema, context: RuleContext) throws -> any RowRuleChecker {
        try Self.checker(name: name, severity: severity, schema: schema, groupBy: groupBy, measureField: measureField,
                         valueField: valueField, sums: [(total, parts)], slack: slack)
    }

    /// The checker of one or more totals (a hierarchy's parents) over the same groups; findings are
    /// listed total by total, each in group order, as when each total was checked in turn.
    static func checker(name: String, severity: Severity, schema: TableSchema, groupBy: [String], measureField: String,
                        valueField: String, sums: [(total: String, parts: [String])], slack: Decimal) throws -> any RowRuleChecker {
        let groups = try MeasureGroupChecker.groups(schema: schema, groupBy: groupBy, measureField: measureField, rule: name)
        let measure = try fieldIndex(measureField, in: schema, rule: name)
        let value = try fieldIndex(valueField, in: schema, rule: name)
        let (count, of) = MeasureGroupChecker.slots(sums.flatMap { [$0.total] + $0.parts })
        return MeasureGroupChecker(name: name, severity: severity, groups: groups, measure: measure, value: value, slots: count,
                                   tallies: sums.count, slot: { $0.text.flatMap { of[$0] } }) { key, slots, tallies in
            for (i, (total, parts)) in sums.enumerated() {
                let partSlots = parts.map { slots[of[$0]!] }
                guard let totalSlot = slots[of[total]!], let totalValue = totalSlot.value,
                      let partValues = Optional(partSlots.map { $0?.value }), partValues.allSatisfy({ $0 != nil }) else {
                    tallies[i].missing += 1; continue
                }
                let sum = partValues.reduce(Decimal(0)) { $0 + $1! }
                let tolerance = partSlots.reduce(totalSlot.half) { $0 + ($1?.half ?? 0) } + slack
                tallies[i].judge((totalValue - sum).magnitude <= tolerance) {
                    let listed = zip(parts, partValues).map { "\($0) \($1!.canonicalText)" }.joined(separator: " + ")
                    return Finding(.sumMismatch, severity: severity, check: name, location: totalSlot.location(field: valueField),
                                   expected: "\(sum.canonicalText) ± \(tolerance.canonicalText) (\(listed))",
                                   actual: "\(total) \(totalValue.canonicalText) in \(MeasureGroupChecker.describe(key))")
                }
            }
        }
    }
}

/// A hierarchy: each parent equals the sum of its children (prefectures → regions → nation;
/// sectors → total). Each parent is checked as a `SumRule`.
///
/// The parents and children are values of `field`: measures (`measure`, the default) or the codes
/// of a category dimension (a `sector` field coded through a code list whose codes carry
/// `group: TOTAL`). Rows are compared within `groupBy` and every other primary-key field, so a
/// matrix's other dimension and the measure keep their rows apart.
public struct HierarchyRule: ConsistencyRule {
    public var name: String
    public var severity: Severity
    public var groupBy: [String]
    /// The field whose values are the parents and children.
    public var field: String
    /// Parent → its children, in order.
    public var children: [(parent: String, children: [String])]

    public init(name: String, severity: Severity, groupBy: [String], field: String = "measure", children: [(parent: String, children: [String])]) {
        self.name = name; self.severity = severity; self.groupBy = groupBy; self.field = field; self.children = children
    }

    public func check(_ table: CuratedTable, context: RuleContext, into report: inout ReportBuilder) throws {
        try checkByStreaming(table, context: context, into: &report)
    }

    /// One pass for every parent: per group, the last value of each parent and child.
    func checker(schema: TableSchema, context: RuleContext) throws -> any RowRuleChecker {
        try SumRule.checker(name: name, severity: severity, schema: schema, groupBy: groupBy, measureField: field,
                            valueField: "value", sums: children.map { ($0.parent, $0.children) }, slack: 0)
    }
}

/// Shares of a whole sum to 100 (percent) within rounding: half the precision of each share.
public struct ShareSumRule: ConsistencyRule {
    public var name: String
    public var severity: Severity
    public var groupBy: [String]
    public var measureField = "measure"
    public var valueField = "value"
    public var parts: [String]
    public var whole: Decimal = 100
    public var slack: Decimal = 0

    public init(name: String, severity: Severity, groupBy: [String], parts: [String], whole: Decimal = 100, slack: Decimal = 0) {
        self.name = name; self.severity = severity; self.groupBy = groupBy; self.parts = parts; self.whole = whole; self.slack = slack
    }

    public func check(_ table: CuratedTable, context: RuleContext, into report: inout ReportBuilder) throws {
        try checkByStreaming(table, context: context, into: &report)
    }

    /// Per group: each share's last value, precision and place (see `GroupTracker`).
    func checker(schema: TableSchema, context: RuleContext) throws -> any RowRuleChecker {
        let groups = try MeasureGroupChecker.groups(schema: schema, groupBy: groupBy, measureField: measureField, rule: name)
        let measure = try fieldIndex(measureField, in: schema, rule: name)
        let value = try fieldIndex(valueField, in: schema, rule: name)
        let (count, of) = MeasureGroupChecker.slots(parts)
        let (name, severity, parts, whole, slack, valueField) = (name, severity, parts, whole, slack, valueField)
        return MeasureGroupChecker(name: name, severity: severity, groups: groups, measure: measure, value: value, slots: count,
                                   slot: { $0.text.flatMap { of[$0] } }) { key, slots, tallies in
            let shares = parts.map { slots[of[$0]!] }
            let values = shares.map { $0?.value }
            guard values.allSatisfy({ $0 != nil }), let first = shares.first ?? nil else { tallies[0].missing += 1; return }
            let sum = values.reduce(Decimal(0)) { $0 + $1! }
            let tolerance = shares.reduce(Decimal(0)) { $0 + ($1?.half ?? 0) } + slack
            tallies[0].judge((sum - whole).magnitude <= tolerance) {
                Finding(.shareSum, severity: severity, check: name, location: first.location(field: valueField),
                        expected: "\(whole.canonicalText) ± \(tolerance.canonicalText)",
                        actual: "\(sum.canonicalText) in \(MeasureGroupChecker.describe(key)) (\(parts.joined(separator: " + ")))")
            }
        }
    }
}

/// A ratio identity: `ratio` = `numerator` ÷ `denominator` × `scale` (an average per project, a
/// share in percent), within the rounding of all three, propagated to first order.
public struct RatioRule: ConsistencyRule {
    public var name: String
    public var severity: Severity
    public var groupBy: [String]
    public var measureField = "measure"
    public var valueField = "value"
    public var ratio: String
    public var numerator: String
    public var denominator: String
    public var scale: Decimal = 1

    public init(name: String, severity: Severity, groupBy: [String], ratio: String, numerator: String, denominator: String, scale: Decimal = 1) {
        self.name = name; self.severity = severity; self.groupBy = groupBy; self.ratio = ratio
        self.numerator = numerator; self.denominator = denominator; self.scale = scale
    }

    public func check(_ table: CuratedTable, context: RuleContext, into report: inout ReportBuilder) throws {
        try checkByStreaming(table, context: context, into: &report)
    }

    /// Per group: the ratio's, numerator's and denominator's last value, precision and place.
    func checker(schema: TableSchema, context: RuleContext) throws -> any RowRuleChecker {
        let groups = try MeasureGroupChecker.groups(schema: schema, groupBy: groupBy, measureField: measureField, rule: name)
        let measure = try fieldIndex(measureField, in: schema, rule: name)
        let value = try fieldIndex(valueField, in: schema, rule: name)
        let (count, of) = MeasureGroupChecker.slots([ratio, numerator, denominator])
        let (name, severity, ratio, numerator, denominator, scale, valueField) = (name, severity, ratio, numerator, denominator, scale, valueField)
        return MeasureGroupChecker(name: name, severity: severity, groups: groups, measure: measure, value: value, slots: count,
                                   slot: { $0.text.flatMap { of[$0] } }) { key, slots, tallies in
            let (rSlot, nSlot, dSlot) = (slots[of[ratio]!], slots[of[numerator]!], slots[of[denominator]!])
            guard let r = rSlot?.value, let n = nSlot?.value, let d = dSlot?.value,
                  d != 0, n != 0, let ratioSlot = rSlot else { tallies[0].missing += 1; return }
            let expected = n / d * scale
            let relative = (nSlot?.half ?? 0) / n.magnitude + (dSlot?.half ?? 0) / d.magnitude
            let tolerance = ratioSlot.half + expected.magnitude * relative
            tallies[0].judge((r - expected).magnitude <= tolerance) {
                Finding(.ratioMismatch, severity: severity, check: name, location: ratioSlot.location(field: valueField),
                        expected: "\(numerator) ÷ \(denominator)\(scale == 1 ? "" : " × \(scale.canonicalText)") = \(expected.rounded(6).canonicalText) ± \(tolerance.rounded(6).canonicalText)",
                        actual: "\(ratio) \(r.canonicalText) in \(MeasureGroupChecker.describe(key))")
            }
        }
    }
}

extension SumRule: StreamingRule {}
extension HierarchyRule: StreamingRule {}
extension ShareSumRule: StreamingRule {}
extension RatioRule: StreamingRule {}
