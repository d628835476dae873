import Foundation
import CurateCore

/// Rows grouped by some fields for a rule that judges each group once all of its rows are in,
/// keeping a small state per group (never the rows).
///
/// Rows arrive in primary-key order, so the leading primary-key fields that are also group fields
/// (the block) hold still while a group's rows arrive and change only once every group with the
/// old block values is complete: the pending groups are then handed over, in the order they were
/// first seen (the order the whole-table checks listed them in), and forgotten. Memory is thus
/// proportional to the groups of one block: a single group when the group fields are a prefix of
/// the key (`[fiscal_year]` of `[fiscal_year, measure]`); the groups of one year when the key is
/// `[year, measure, country]`; and every group of the table only when no group field leads the key
/// (`[measure, year]`), which is then a compact state per group, still not per row.
/// Groups match as `Value`s do; a key field holds one type (the schema types it), so values equal
/// in key order are equal values and a block never comes back once it has changed.
struct GroupTracker<State> {
    let keyFields: [Int]
    private let blockFields: [Int]
    private var index: [[Value]: Int] = [:]
    private var pending: [(key: [Value], state: State)] = []
    private var block: [Value]?

    /// `keyFields` and `primaryKey` are field indexes.
    init(keyFields: [Int], primaryKey: [Int]) {
        self.keyFields = keyFields
        blockFields = Array(primaryKey.prefix { keyFields.contains($0) })
    }

    /// Adds `row` to its group (`initial` when the group is new, then `update`), first handing
    /// `complete` the groups that this row's block closes.
    mutating func add(_ row: CuratedRow, initial: () -> State, update: (inout State) -> Void,
                      complete: ([Value], State) throws -> Void) rethrows {
        if !blockFields.isEmpty {
            let values = blockFields.map { row.values[$0] }
            if values != block { try flush(complete); block = values }
        }
        let key = keyFields.map { row.values[$0] }
        if let i = index[key] { update(&pending[i].state); return }
        var state = initial()
        update(&state)
        index[key] = pending.count
        pending.append((key, state))
    }

    /// Hands over every pending group in first-seen order (at the end of the rows).
    mutating func flush(_ complete: ([Value], State) throws -> Void) rethrows {
        for (key, state) in pending { try complete(key, state) }
        pending.removeAll(keepingCapacity: true)
        index.removeAll(keepingCapacity: true)
    }
}

/// What a rule keeps of one row: its value, half its published precision (how far the figure may
/// be from the true one) and the cell it came from.
struct Slot {
    var value: Decimal?
    var half: Decimal
    var place: SourceLocation

    init(_ row: CuratedRow, value index: Int) {
        value = row.values[index].decimal
        half = (row.lineage.precision ?? 0) / 2
        place = row.lineage.source
    }

    /// Where a finding points: the source cell, naming `field` when the source names none.
    func location(field: String) -> SourceLocation {
        var place = place
        if place.field == nil { place.field = field }
        return place
    }
}

/// A check's counts and listed findings, kept until its summary is written.
struct Tally {
    var passes = 0, fails = 0, missing = 0
    var findings = KeptFindings()

    /// Counts one judged item; the finding is made only when it fails.
    mutating func judge(_ ok: Bool, _ finding: () -> Finding) {
        if ok { passes += 1 } else { fails += 1; findings.add(finding()) }
    }

    func report(into report: inout ReportBuilder) {
        report.count(passes: passes, fails: fails)
        for _ in 0..<missing { report.countMissing() }
        findings.report(into: &report)
    }
}

/// A rule judged group by group on the values of a few named measures: per group only one `Slot`
/// per name the rule uses (the last row with that name wins, as when rows were indexed by name).
final class MeasureGroupChecker: RowRuleChecker {
    typealias Judge = (_ key: [Value], _ slots: [Slot?], _ tallies: inout [Tally]) -> Void
    let name: String
    let severity: Severity
    private var groups: GroupTracker<[Slot?]>
    private let measure: Int, value: Int
    private let slotCount: Int
    private let slot: (Value) -> Int?
    private let judge: Judge
    private var tallies: [Tally]

    /// `slot` maps a row's measure to its slot (nil: a row the rule does not use, whose group is
    /// still counted); `tallies` findings are listed one tally after the other (a hierarchy's parents).
    init(name: String, severity: Severity, groups: GroupTracker<[Slot?]>, measure: Int, value: Int, slots: Int,
         tallies: Int = 1, slot: @escaping (Value) -> Int?, judge: @escaping Judge) {
        self.name = name; self.severity = severity; self.groups = groups; self.measure = measure; self.value = value
        slotCount = slots; self.slot = slot; self.judge = judge
        self.tallies = Array(repeating: Tally(), count: tallies)
    }

    func observe(_ row: CuratedRow) {
        let target = slot(row.values[measure])
        let value = value
        groups.add(row, initial: { [slotCount] in Array(repeating: nil, count: slotCount) },
                   update: { if let target { $0[target] = Slot(row, value: value) } },
                   complete: { judge($0, $1, &tallies) })
    }

    func finish(into report: inout ReportBuilder) {
        groups.flush { judge($0, $1, &tallies) }
        report.begin(name, severity: severity)
        for tally in tallies { tally.report(into: &report) }
    }

    /// A group key as findings name it: `2021+JPN`.
    static func describe(_ key: [Value]) -> String { key.map(\.description).joined(separator: "+") }

    /// The group fields of a rule comparing the measures of one category: `groupBy` and every other
    /// primary-key field, so that rows of two countries or sectors never meet in one group.
    static func groups(schema: TableSchema, groupBy: [String], measureField: String, rule: String) throws -> GroupTracker<[Slot?]> {
        let fields = groupBy + schema.primaryKey.filter { $0 != measureField && !groupBy.contains($0) }
        return GroupTracker(keyFields: try fields.map { try fieldIndex($0, in: schema, rule: rule) },
                            primaryKey: schema.primaryKey.compactMap { schema.index(of: $0) })
    }

    /// Slot numbers for `names` (each distinct name once), matched on the measure as a code.
    static func slots(_ names: [String]) -> (count: Int, of: [String: Int]) {
        var of: [String: Int] = [:]
        for name in names where of[name] == nil { of[name] = of.count }
        return (of.count, of)
    }
}
