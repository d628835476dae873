import Foundation
import Testing
import CurateCore
@testable import Validate

/// A rule that judges no item is an error, whatever its own severity (made-up values).
@Suite struct RuleChecksTests {
    func run(_ rows: [CuratedRow], _ rules: [any ConsistencyRule], context: RuleContext = RuleContext()) throws -> ValidationReport {
        var builder = ReportBuilder()
        try RuleChecks.run(rules, on: CuratedTable(schema: longSchema, rows: rows), context: context, into: &builder)
        return builder.build(dataset: "test", rows: rows.count)
    }

    let rows = [row(2021, "projects", "4", line: 2), row(2021, "amount_10m_plus", "5", line: 3)]

    @Test func sumWithoutItsTotalInTheDataChecksNothingAndFails() throws {
        let rule = SumRule(name: "adds-up", severity: .warning, groupBy: ["fiscal_year"], total: "amount", parts: ["projects", "amount_10m_plus"])
        let report = try run(rows, [rule])
        #expect(!report.valid)
        #expect(report.checks.first { $0.name == "adds-up" }.map { [$0.items, $0.passes, $0.fails, $0.missing] } == [1, 0, 0, 1])
        let finding = try #require(report.findings.first)
        #expect(finding.code == .checkedNothing && finding.severity == .error && finding.check == "adds-up")
        #expect(report.checks.last?.name == RuleChecks.summaryName && report.checks.last?.fails == 1)
    }

    @Test func ruleThatCheckedSomethingPasses() throws {
        let rule = PartOfTotalRule(name: "within", severity: .error, groupBy: ["fiscal_year"], measureField: "measure", valueField: "value",
                                   part: "projects", total: "amount_10m_plus")
        let report = try run(rows, [rule])
        #expect(report.valid)
        #expect(report.checks.last.map { [$0.items, $0.passes] } == [1, 1])
    }

    /// A first release has nothing to be revised against: not an error.
    @Test func revisionWithoutAnEarlierReleaseIsNotAnError() throws {
        let report = try run(rows, [RevisionRule(name: "revisions", severity: .warning)])
        #expect(report.valid && report.findings.isEmpty)
    }

    /// A sum over a table with a category dimension is checked per category, not once for the last row read.
    @Test func sumIsCheckedPerCategory() throws {
        let schema = TableSchema(fields: [Field(name: "year", type: .integer), Field(name: "country", type: .string),
                                          Field(name: "measure", type: .string), Field(name: "value", type: .number)],
                                 primaryKey: ["year", "country", "measure"])
        func r(_ country: String, _ measure: String, _ value: String, _ line: Int) -> CuratedRow {
            CuratedRow(values: [.integer(2022), .string(country), .string(measure), number(value)],
                       lineage: Lineage(source: SourceLocation(file: "raw.csv", row: line)))
        }
        let table = CuratedTable(schema: schema, rows: [r("USA", "total", "10", 2), r("USA", "a", "4", 3), r("USA", "b", "6", 4),
                                                        r("JPN", "total", "10", 5), r("JPN", "a", "1", 6), r("JPN", "b", "1", 7)])
        var builder = ReportBuilder()
        try RuleChecks.run([SumRule(name: "s", severity: .error, groupBy: ["year"], total: "total", parts: ["a", "b"])],
                           on: table, context: RuleContext(), into: &builder)
        let report = builder.build(dataset: "t", rows: 6)
        #expect(report.checks.first.map { [$0.passes, $0.fails] } == [1, 1])
        #expect(report.findings.first?.location?.row == 5)
    }
}
