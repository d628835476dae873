import Foundation
import Testing
import CurateCore
@testable import Validate

/// The streaming checks of sum, hierarchy, share-sum, ratio, part-of-total and cross-source give
/// the report the whole-table checks gave (`WholeTableReference`), byte for byte: the same
/// summaries, the same findings in the same order with the same places, expected and actual
/// texts, the same omitted counts past the per-check cap, and the same `checked-nothing` accounting.
/// Tables are made-up values from a seeded generator, in three key layouts: groups that are a
/// prefix of the key, groups inside a leading block, and groups that never close before the end.
@Suite struct StreamingGoldenTests {
    /// A seeded generator (SplitMix64), so every run checks the same tables.
    struct Dice {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
        mutating func chance(_ p: Double) -> Bool { Double(next() % 10_000) < p * 10_000 }
    }

    static let measures = ["total", "a", "b", "c", "n", "d", "r", "x"]

    /// Rows for every combination of `domains` (the key fields other than the measure), each
    /// measure present with probability 0.9; values so that some groups pass and many fail; a few
    /// nulls, precisions and duplicate keys (the last row of a key counts, as before).
    static func table(_ schema: TableSchema, domains: [String: [Value]], codeField: String = "measure", seed: UInt64) -> CuratedTable {
        var dice = Dice(state: seed)
        let categoryFields = schema.fields.map(\.name).filter { domains[$0] != nil }
        var combinations: [[String: Value]] = [[:]]
        for field in categoryFields {
            combinations = combinations.flatMap { c in domains[field]!.map { v in c.merging([field: v]) { a, _ in a } } }
        }
        var rows: [CuratedRow] = []
        var line = 1
        for combination in combinations {
            var values: [String: Decimal] = [:]
            for m in ["a", "b", "c", "x"] { values[m] = Decimal(dice.int(0...9)) }
            values["n"] = Decimal(dice.int(100...999))
            values["d"] = Decimal(dice.int(0...60))
            values["total"] = values["a"]! + values["b"]! + values["c"]! + (dice.chance(0.4) ? 0 : Decimal(dice.int(5...20)))
            if values["d"]! != 0 {
                values["r"] = dice.chance(0.5) ? (values["n"]! / values["d"]!).rounded(2) : Decimal(dice.int(0...5))
            } else { values["r"] = 1 }
            for measure in measures where dice.chance(0.9) {
                let repeats = dice.chance(0.02) ? 2 : 1
                for _ in 0..<repeats {
                    line += 1
                    let precision: Decimal? = measure == "r" ? Decimal(string: "0.01") : [nil, 1, Decimal(string: "0.1")!, 2][dice.int(0...3)]
                    let value: Value = dice.chance(0.04) ? .null : .number(repeats == 2 && dice.chance(0.5) ? values[measure]! + 1 : values[measure]!)
                    let cells: [Value] = schema.fields.map { field in
                        if field.name == codeField { return .string(measure) }
                        switch field.name {
                        case "value": return value
                        case "unit": return .string(dice.chance(0.5) ? "JPY" : "USD")
                        default: return combination[field.name] ?? .null
                        }
                    }
                    let place = SourceLocation(file: "raw.csv", row: line, column: dice.int(1...6), field: dice.chance(0.5) ? nil : "cell", raw: value.description)
                    rows.append(CuratedRow(values: cells, lineage: Lineage(source: place, precision: precision)))
                }
            }
        }
        var table = CuratedTable(schema: schema, rows: rows)
        table.sortByPrimaryKey()
        return table
    }

    static func schema(_ names: [String], key: [String]) -> TableSchema {
        TableSchema(fields: names.map { name in
            Field(name: name, type: ["measure", "country", "sector", "unit"].contains(name) ? .string : name == "value" ? .number : .integer)
        }, primaryKey: key)
    }

    static let years = (1601...2060).map { Value.integer($0) }
    static let countries: [Value] = [.string("JPN"), .string("USA"), .string("DEU")]

    /// The same rules in every layout, grouped by `period`; one names a part no row has.
    static func rules(period: String, other: String = "other") -> [any ConsistencyRule] {
        var unitGrouped = SumRule(name: "sum-by-unit", severity: .warning, groupBy: ["unit"], total: "total", parts: ["a", "b", "c"])
        unitGrouped.slack = 1
        return [
            SumRule(name: "sum", severity: .error, groupBy: [period], total: "total", parts: ["a", "b", "c"]),
            SumRule(name: "sum-of-nothing", severity: .warning, groupBy: [period], total: "total", parts: ["a", "zzz"]),
            unitGrouped,
            HierarchyRule(name: "tree", severity: .error, groupBy: [period], children: [("total", ["a", "b", "c"]), ("n", ["d", "x"]), ("a", ["b"])]),
            ShareSumRule(name: "shares", severity: .warning, groupBy: [period], parts: ["a", "b", "c"], whole: 15, slack: Decimal(string: "0.5")!),
            RatioRule(name: "ratio", severity: .error, groupBy: [period], ratio: "r", numerator: "n", denominator: "d", scale: 1),
            RatioRule(name: "ratio-scaled", severity: .error, groupBy: [period], ratio: "r", numerator: "n", denominator: "d", scale: 100),
            PartOfTotalRule(name: "within", severity: .error, groupBy: [period], measureField: "measure", valueField: "value", part: "a", total: "total"),
            PartOfTotalRule(name: "within-nothing", severity: .error, groupBy: [period], measureField: "measure", valueField: "value", part: "q", total: "total"),
            CrossSourceRule(name: "agrees", severity: .error, dataset: other, key: [period], measures: [("total", "total"), ("a", "x"), ("n", "none")]),
            CrossSourceRule(name: "agrees-on-nothing", severity: .warning, dataset: other, key: [period], measures: [("total", "none")]),
            CompletenessRule(name: "complete", severity: .warning, periodField: period, from: 1601, to: 2060, measures: ["total"]),
        ]
    }

    /// Streams `table`'s rows through `RuleStream`, the other dataset given as a cursor.
    static func streamed(_ rules: [any ConsistencyRule], _ table: CuratedTable, others: [String: CuratedTable]) throws -> ValidationReport {
        let stream = try RuleStream(rules: rules, schema: table.schema, previous: [], others: { name in
            others[name].map { ($0.schema, TableCursor($0)) }
        })
        for row in table.rows { try stream.observe(row) }
        var builder = ReportBuilder()
        try stream.finish(release: "new", into: &builder)
        return builder.build(dataset: "golden", rows: table.rows.count)
    }

    /// The rules' own whole-table `check` (now one streaming pass) through `RuleChecks.run`.
    static func checked(_ rules: [any ConsistencyRule], _ table: CuratedTable, others: [String: CuratedTable]) throws -> ValidationReport {
        var builder = ReportBuilder()
        try RuleChecks.run(rules, on: table, context: RuleContext(datasets: others), into: &builder)
        return builder.build(dataset: "golden", rows: table.rows.count)
    }

    func expectSame(_ rules: [any ConsistencyRule], _ table: CuratedTable, others: [String: CuratedTable]) throws {
        let reference = try WholeTableReference.report(rules, table, others: others)
        let streamed = try Self.streamed(rules, table, others: others)
        let checked = try Self.checked(rules, table, others: others)
        #expect(streamed.checks == reference.checks)
        #expect(streamed.findings.count == reference.findings.count)
        for (a, b) in zip(streamed.findings, reference.findings) where a != b {
            Issue.record("first differing finding: streamed \(a) reference \(b)")
            break
        }
        #expect(streamed == reference)
        #expect(checked == reference)
        // The data breaks the rules in many groups, past the cap, with missing items, and one
        // rule checks nothing: what the comparison is meant to cover.
        for name in ["sum", "tree", "ratio", "agrees"] {
            #expect((reference.checks.first { $0.name == name }?.omitted ?? 0) > 0, "\(name) has more findings than the cap")
        }
        for name in ["sum", "shares", "ratio", "within"] {
            #expect((reference.checks.first { $0.name == name }?.missing ?? 0) > 0, "\(name) has groups lacking a value")
        }
        #expect(reference.findings.filter { $0.code == .checkedNothing }.map(\.check).sorted() == ["agrees-on-nothing", "sum-of-nothing", "within-nothing"])
    }

    static let other: CuratedTable = {
        table(schema(["year", "measure", "value"], key: ["year", "measure"]), domains: ["year": years], seed: 99)
    }()

    /// Groups are a prefix of the key: each group is judged and dropped when its year ends.
    @Test func groupsThatArePrefixesOfTheKey() throws {
        let schema = Self.schema(["year", "measure", "value", "unit"], key: ["year", "measure"])
        let table = Self.table(schema, domains: ["year": Self.years], seed: 1)
        try expectSame(Self.rules(period: "year"), table, others: ["other": Self.other])
    }

    /// Groups (year, country) inside the leading block (year): judged when the year ends.
    @Test func groupsInsideALeadingBlock() throws {
        let schema = Self.schema(["year", "measure", "country", "value", "unit"], key: ["year", "measure", "country"])
        let table = Self.table(schema, domains: ["year": Self.years, "country": Self.countries], seed: 2)
        try expectSame(Self.rules(period: "year"), table, others: ["other": Self.other])
    }

    /// The measure leads the key: no group closes before the end (a compact state per group).
    @Test func groupsThatCloseOnlyAtTheEnd() throws {
        let schema = Self.schema(["measure", "year", "country", "value", "unit"], key: ["measure", "year", "country"])
        let table = Self.table(schema, domains: ["year": Self.years, "country": Self.countries], seed: 3)
        try expectSame(Self.rules(period: "year"), table, others: ["other": Self.other])
    }

    /// A hierarchy over a category field (sectors), with the measure in the key.
    @Test func hierarchyOverACategoryField() throws {
        let schema = Self.schema(["year", "measure", "sector", "value"], key: ["year", "measure", "sector"])
        let table = Self.table(schema, domains: ["year": Self.years, "measure": [.string("amount"), .string("count")]], codeField: "sector", seed: 4)
        let rules: [any ConsistencyRule] = [HierarchyRule(name: "sectors", severity: .error, groupBy: ["year"], field: "sector",
                                                          children: [("total", ["a", "b", "c"]), ("a", ["b"])])]
        let reference = try WholeTableReference.report(rules, table, others: [:])
        #expect(try Self.streamed(rules, table, others: [:]) == reference)
        #expect((reference.checks.first?.items ?? 0) > 0)
    }

    /// The other dataset not published: the rule warns, checks nothing, and that is not an error.
    @Test func crossSourceWithoutTheOtherDataset() throws {
        let schema = Self.schema(["year", "measure", "value"], key: ["year", "measure"])
        let table = Self.table(schema, domains: ["year": Array(Self.years.prefix(5))], seed: 5)
        let rules: [any ConsistencyRule] = [CrossSourceRule(name: "agrees", severity: .error, dataset: "gone", key: ["year"], measures: [("total", "total")])]
        let reference = try WholeTableReference.report(rules, table, others: [:])
        #expect(try Self.streamed(rules, table, others: [:]) == reference)
        #expect(reference.findings.map(\.actual) == ["not available: nothing compared"])
        #expect(reference.valid)
    }

    /// A field the schema lacks is a spec error, streamed or not.
    @Test func unknownFieldIsASpecError() throws {
        let rule = SumRule(name: "s", severity: .error, groupBy: ["region"], total: "total", parts: ["a"])
        #expect(throws: CurateError.self) { try RuleStream(rules: [rule], schema: longSchema, previous: []) }
    }
}
