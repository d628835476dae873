import Foundation
import CurateCore

/// Rows pulled one at a time, in primary-key order: an earlier release read back from its files,
/// or a table held in memory.
public protocol RowCursor: AnyObject {
    func next() throws -> CuratedRow?
}

/// A table's rows as a cursor.
public final class TableCursor: RowCursor {
    private var rows: ArraySlice<CuratedRow>
    public init(_ table: CuratedTable) { rows = table.rows[...] }
    public func next() throws -> CuratedRow? { rows.popFirst() }
}

/// One rule's check over rows arriving in primary-key order, keeping only per-group state (and at
/// most the findings the report lists); `finish` writes its summary and findings to the report.
protocol RowRuleChecker: AnyObject {
    func observe(_ row: CuratedRow) throws
    func finish(into report: inout ReportBuilder) throws
}

/// A rule that can be checked in one pass over the sorted rows.
protocol StreamingRule: ConsistencyRule {
    func checker(schema: TableSchema, context: RuleContext) throws -> any RowRuleChecker
}

extension StreamingRule {
    /// The whole-table check, as the same one pass over the table's rows.
    func checkByStreaming(_ table: CuratedTable, context: RuleContext, into report: inout ReportBuilder) throws {
        let checker = try checker(schema: table.schema, context: context)
        for row in table.rows { try checker.observe(row) }
        try checker.finish(into: &report)
    }
}

/// A spec's rules checked while the sorted rows stream past.
///
/// Every rule keeps per-group state only (see each checker for what it keeps): revision
/// merge-joins the earlier release, read as a sorted stream; cross-source reads the other
/// dataset's release once, keeping one value per key and measure compared. The table is never
/// gathered. Summaries and findings come out in the spec's order, as before, and the
/// `every-rule-checked-something` accounting follows.
public final class RuleStream {
    /// Another dataset's published release: its schema and its rows.
    public typealias Release = (schema: TableSchema, rows: any RowCursor)
    private let rules: [any ConsistencyRule]
    private var checkers: [Int: any RowRuleChecker] = [:]
    private var revision: [Int: RevisionRule.MergeChecker] = [:]
    private var published: Set<String> = []
    private var rows = 0

    /// `previous`: the earlier releases a revision may compare with, newest first, as sorted rows.
    /// `others`: another dataset's published release by name (nil when it has none), for
    /// cross-source rules; it may throw (a dataset no pipeline has).
    public init(rules: [any ConsistencyRule], schema: TableSchema, previous: [(release: String, rows: any RowCursor)],
                others: (String) throws -> Release? = { _ in nil }) throws {
        self.rules = rules
        for (i, rule) in rules.enumerated() {
            if let rule = rule as? RevisionRule {
                revision[i] = try rule.mergeChecker(schema: schema, candidates: previous)
            } else if let rule = rule as? CrossSourceRule {
                let other = try others(rule.dataset)
                if other != nil { published.insert(rule.dataset) }
                checkers[i] = try rule.checker(schema: schema, other: other)
            } else if let rule = rule as? any StreamingRule {
                checkers[i] = try rule.checker(schema: schema, context: RuleContext())
            } else {
                throw CurateError(.specError, "rule \(rule.name) cannot be checked over streamed rows")
            }
        }
    }

    /// Whether any rule looks at rows: a spec without rules has none, and its rows need not be decoded.
    public var wantsRows: Bool { !rules.isEmpty }

    public func observe(_ row: CuratedRow) throws {
        rows += 1
        for checker in checkers.values { try checker.observe(row) }
        for checker in revision.values { try checker.observe(row) }
    }

    /// Reports every rule in the spec's order. `release` is the new release's id (revisions compare
    /// with the latest other release).
    public func finish(release: String, into report: inout ReportBuilder) throws {
        var context = RuleContext()
        context.publishedDatasets = published
        for (i, _) in rules.enumerated() {
            if let checker = revision[i] {
                context.previousRelease = try checker.finish(release: release, into: &report)
            } else if let checker = checkers[i] {
                try checker.finish(into: &report)
            }
        }
        RuleChecks.accountChecked(rules, rows: rows, context: context, into: &report)
    }
}

/// Findings in the order they are made, keeping only as many as the report lists.
struct KeptFindings {
    private(set) var findings: [Finding] = []
    private(set) var omitted: [Severity: Int] = [:]

    mutating func add(_ finding: Finding) {
        if findings.count < ReportBuilder.findingsPerCheck { findings.append(finding) } else { omitted[finding.severity, default: 0] += 1 }
    }

    func report(into report: inout ReportBuilder) {
        for f in findings { report.add(f) }
        for (severity, n) in omitted.sorted(by: { $0.key.rawValue < $1.key.rawValue }) { report.addOmitted(n, severity: severity) }
    }
}

/// Findings to be listed in the order of a sort key rather than as made: only the first
/// `findingsPerCheck` in that order are kept (the rest counted), however many are made.
struct SortedFindings<Key: Comparable> {
    private var kept: [(key: Key, seq: Int, finding: Finding)] = []
    private var seq = 0
    private var omitted: [Severity: Int] = [:]
    private static var limit: Int { ReportBuilder.findingsPerCheck }

    mutating func add(_ finding: Finding, key: Key) {
        seq += 1
        kept.append((key, seq, finding))
        if kept.count >= Self.limit * 8 { trim() }
    }

    private mutating func trim() {
        kept.sort { $0.key != $1.key ? $0.key < $1.key : $0.seq < $1.seq }
        for dropped in kept.dropFirst(Self.limit) { omitted[dropped.finding.severity, default: 0] += 1 }
        kept.removeLast(max(0, kept.count - Self.limit))
    }

    mutating func report(into report: inout ReportBuilder) {
        trim()
        for k in kept { report.add(k.finding) }
        for (severity, n) in omitted.sorted(by: { $0.key.rawValue < $1.key.rawValue }) { report.addOmitted(n, severity: severity) }
    }
}
