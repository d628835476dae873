import Foundation
import CurateCore

/// Past values that changed against the release now published: each one, old and new. A
/// published figure that moves is news to every consumer, so it is always reported.
public struct RevisionRule: ConsistencyRule {
    public var name: String
    public var severity: Severity
    /// Changes within this absolute amount are not revisions (0: any change is).
    public var slack: Decimal = 0

    public init(name: String, severity: Severity, slack: Decimal = 0) { self.name = name; self.severity = severity; self.slack = slack }

    /// A first release has nothing to be revised against.
    public func expectsItems(in context: RuleContext) -> Bool { context.previous != nil }

    public func check(_ table: CuratedTable, context: RuleContext, into report: inout ReportBuilder) throws {
        report.begin(name, severity: severity)
        guard let previous = context.previous else { return }
        let keyFields = table.schema.primaryKey
        let now = try index(table, keys: keyFields)
        let before = try index(previous, keys: keyFields)
        guard let value = table.schema.index(of: "value"), let oldValue = previous.schema.index(of: "value") else {
            throw CurateError(.specError, "rule \(name) compares the field value, which the schema does not have")
        }
        for (key, old) in before.sorted(by: { $0.key < $1.key }) {
            guard let new = now[key] else {
                report.count(passed: false)
                report.add(Finding(.revision, severity: severity, check: name, expected: "\(key) = \(old.values[oldValue].description)", actual: "\(key) removed"))
                continue
            }
            let a = old.values[oldValue], b = new.values[value]
            let same = a == b || ((a.decimal).flatMap { x in b.decimal.map { y in (x - y).magnitude <= slack } } ?? false)
            report.count(passed: same)
            if !same {
                report.add(Finding(.revision, severity: severity, check: name, location: table.location(of: new, field: "value"),
                                   expected: "\(key) = \(a.description)", actual: "\(key) = \(b.description)"))
            }
        }
    }

    private func index(_ table: CuratedTable, keys: [String]) throws -> [String: CuratedRow] {
        let keyText = PrimaryKeyText(indexes: try keys.map { try fieldIndex($0, in: table, rule: name) })
        var out: [String: CuratedRow] = [:]
        for row in table.rows { out[keyText(row)] = row }
        return out
    }
}

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
    public func expectsItems(in context: RuleContext) -> Bool { context.datasets[dataset] != nil }

    public func check(_ table: CuratedTable, context: RuleContext, into report: inout ReportBuilder) throws {
        report.begin(name, severity: severity)
        guard let other = context.datasets[dataset] else {
            report.add(Finding(.crossSource, severity: .warning, check: name, expected: "dataset \(dataset) published", actual: "not available: nothing compared"))
            return
        }
        let here = try MeasureGrid(table, groupBy: key, measureField: measureField, valueField: valueField, rule: name)
        let there = try MeasureGrid(other, groupBy: key, measureField: measureField, valueField: valueField, rule: name)
        for k in here.order {
            for (mine, theirs) in measures {
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
}
