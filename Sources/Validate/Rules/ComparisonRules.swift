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
    public func expectsItems(in context: RuleContext) -> Bool { context.previous != nil || context.previousRelease != nil }

    public func check(_ table: CuratedTable, context: RuleContext, into report: inout ReportBuilder) throws {
        let candidates: [(release: String, rows: any RowCursor)] = context.previous.map { [("previous", TableCursor($0))] } ?? []
        let checker = try mergeChecker(schema: table.schema, candidates: candidates)
        for row in table.rows { try checker.observe(row) }
        _ = try checker.finish(release: "", into: &report)
    }

    func mergeChecker(schema: TableSchema, candidates: [(release: String, rows: any RowCursor)]) throws -> MergeChecker {
        let keys = try schema.primaryKey.map { try fieldIndex($0, in: schema, rule: name) }
        let value = schema.index(of: "value")
        guard let value = value ?? (candidates.isEmpty ? 0 : nil) else {
            throw CurateError(.specError, "rule \(name) compares the field value, which the schema does not have")
        }
        return MergeChecker(rule: self, keys: keys, value: value, joins: candidates.map { Join(release: $0.release, cursor: $0.rows) })
    }

    /// The new rows merge-joined with an earlier release, both in primary-key order: only the
    /// current row of each side is held. Rows are matched by key text; of rows sharing a key, the
    /// last one counts (as when both were indexed by key). Findings are listed in key-text order.
    final class MergeChecker {
        let rule: RevisionRule
        let keys: [Int]
        let value: Int
        var joins: [Join]
        private var pendingNew: (row: CuratedRow, text: String)?

        init(rule: RevisionRule, keys: [Int], value: Int, joins: [Join]) {
            self.rule = rule; self.keys = keys; self.value = value; self.joins = joins
        }

        func observe(_ row: CuratedRow) throws {
            let text = PrimaryKeyText.join(keys.map { row.values[$0].description })
            if let pending = pendingNew, pending.text != text { for join in joins { try join.match(pending.row, text: pending.text, checker: self) } }
            pendingNew = (row, text)
        }

        /// Reports against the latest candidate other than `release`; returns its id (nil: none).
        func finish(release: String, into report: inout ReportBuilder) throws -> String? {
            report.begin(rule.name, severity: rule.severity)
            guard let chosen = joins.first(where: { $0.release != release }) else { return nil }
            if let pending = pendingNew { try chosen.match(pending.row, text: pending.text, checker: self) }
            try chosen.drain(checker: self)
            report.count(passes: chosen.passes, fails: chosen.fails)
            chosen.findings.report(into: &report)
            return chosen.release
        }

        func keyText(_ row: CuratedRow) -> String { PrimaryKeyText.join(keys.map { row.values[$0].description }) }

        func precedes(_ a: CuratedRow, _ b: CuratedRow) -> Bool {
            for k in keys where a.values[k] != b.values[k] { return a.values[k].sortsBefore(b.values[k]) }
            return false
        }
    }

    /// One earlier release being merged: its current key group and what the comparison found.
    final class Join {
        let release: String
        let cursor: any RowCursor
        private var lookahead: CuratedRow?
        private var current: (row: CuratedRow, text: String)?
        private var started = false
        var passes = 0, fails = 0
        var findings = SortedFindings<String>()

        init(release: String, cursor: any RowCursor) { self.release = release; self.cursor = cursor }

        /// The last row of the next run of rows sharing a key.
        private func advance(_ checker: MergeChecker) throws {
            guard let first = try lookahead ?? cursor.next() else { current = nil; lookahead = nil; return }
            lookahead = nil
            var row = first
            let text = checker.keyText(row)
            while let next = try cursor.next() {
                if checker.keyText(next) == text { row = next } else { lookahead = next; break }
            }
            current = (row, text)
        }

        func match(_ new: CuratedRow, text: String, checker: MergeChecker) throws {
            if !started { started = true; try advance(checker) }
            while let old = current, old.text != text, checker.precedes(old.row, new) {
                removed(old, checker); try advance(checker)
            }
            guard let old = current, old.text == text else { return }
            let a = old.row.values[checker.value], b = new.values[checker.value]
            let same = a == b || ((a.decimal).flatMap { x in b.decimal.map { y in (x - y).magnitude <= checker.rule.slack } } ?? false)
            if same { passes += 1 } else {
                fails += 1
                var place = new.lineage.source
                if place.field == nil { place.field = "value" }
                findings.add(Finding(.revision, severity: checker.rule.severity, check: checker.rule.name, location: place,
                                     expected: "\(text) = \(a.description)", actual: "\(text) = \(b.description)"), key: text)
            }
            try advance(checker)
        }

        func drain(checker: MergeChecker) throws {
            if !started { started = true; try advance(checker) }
            while let old = current { removed(old, checker); try advance(checker) }
        }

        private func removed(_ old: (row: CuratedRow, text: String), _ checker: MergeChecker) {
            fails += 1
            findings.add(Finding(.revision, severity: checker.rule.severity, check: checker.rule.name,
                                 expected: "\(old.text) = \(old.row.values[checker.value].description)", actual: "\(old.text) removed"), key: old.text)
        }
    }
}
