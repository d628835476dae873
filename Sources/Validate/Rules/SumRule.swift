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
        let grid = try MeasureGrid(table, groupBy: groupBy, measureField: measureField, valueField: valueField, rule: name, completeKey: true)
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
        report.begin(name, severity: severity)
        for (parent, kids) in children {
            var sum = SumRule(name: name, severity: severity, groupBy: groupBy, total: parent, parts: kids)
            sum.measureField = field
            try sum.check(table, context: context, into: &report)
        }
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
        let grid = try MeasureGrid(table, groupBy: groupBy, measureField: measureField, valueField: valueField, rule: name, completeKey: true)
        report.begin(name, severity: severity)
        for key in grid.order {
            let group = grid.groups[key]!
            let values = parts.map { grid.value(group[$0]) }
            guard values.allSatisfy({ $0 != nil }), let first = group[parts[0]] else { report.countMissing(); continue }
            let sum = values.reduce(Decimal(0)) { $0 + $1! }
            let tolerance = parts.reduce(Decimal(0)) { $0 + grid.halfPrecision(group[$1]) } + slack
            let ok = (sum - whole).magnitude <= tolerance
            report.count(passed: ok)
            if !ok {
                report.add(Finding(.shareSum, severity: severity, check: name, location: table.location(of: first, field: valueField),
                                   expected: "\(whole.canonicalText) ± \(tolerance.canonicalText)",
                                   actual: "\(sum.canonicalText) in \(grid.describe(key)) (\(parts.joined(separator: " + ")))"))
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
        let grid = try MeasureGrid(table, groupBy: groupBy, measureField: measureField, valueField: valueField, rule: name, completeKey: true)
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
}
