import Foundation
import Testing
import CurateCore
@testable import Validate

/// Rules checked over the sorted stream give the findings the whole-table checks gave.
@Suite struct RuleStreamTests {
    let rows = [row(.integer(2021), "amount", number("10"), line: 2), row(.integer(2021), "projects", number("3"), line: 3),
                row(.integer(2022), "amount", number("12"), line: 4), row(.integer(2022), "projects", number("30"), line: 5),
                row(.integer(2023), "amount", number("13"), line: 6)]

    func stream(_ rules: [any ConsistencyRule], rows: [CuratedRow], previous: [(String, [CuratedRow])] = [], release: String = "new") throws -> ValidationReport {
        let stream = try RuleStream(rules: rules, schema: longSchema,
                                    previous: previous.map { ($0.0, TableCursor(CuratedTable(schema: longSchema, rows: $0.1)) as any RowCursor) })
        for r in rows { try stream.observe(r) }
        var builder = ReportBuilder()
        try stream.finish(release: release, into: &builder)
        return builder.build(dataset: "t", rows: rows.count)
    }

    /// Revisions compare with the latest release other than the new one (a rerun of the same data
    /// is the latest release already), merge-joining both in key order.
    @Test func revisionMergeJoinsTheLatestOtherRelease() throws {
        let older = rows.map { r -> CuratedRow in var r = r; if r.lineage.source.row == 4 { r.values[2] = number("11") }; return r }
        let latest = rows + [row(.integer(2024), "amount", number("14"), line: 7)]
        let rule = RevisionRule(name: "rev", severity: .warning)
        // New data equal to "latest": compared with "older" — one value moved (2022 amount 11 → 12).
        let rerun = try stream([rule], rows: rows, previous: [("latest", latest), ("older", older)], release: "latest")
        #expect(rerun.findings.map(\.actual) == ["2022+amount = 12"])
        #expect(rerun.findings.first?.location?.row == 4)
        // New data not yet published: compared with "latest" — 2024 removed.
        let fresh = try stream([rule], rows: rows, previous: [("latest", latest), ("older", older)])
        #expect(fresh.findings.map(\.actual) == ["2024+amount removed"])
        // The whole-table check on the same tables says the same.
        var builder = ReportBuilder()
        try rule.check(CuratedTable(schema: longSchema, rows: rows), context: RuleContext(previous: CuratedTable(schema: longSchema, rows: latest)), into: &builder)
        #expect(builder.build(dataset: "t", rows: rows.count).findings == fresh.findings)
    }

    /// The findings of a rule listed in key-text order keep the first `findingsPerCheck` of that
    /// order, and count the rest, however many are made.
    @Test func manyRevisionsKeepTheFirstInKeyTextOrder() throws {
        let n = 450
        let now = (0..<n).map { row(.integer(1950 + $0 % 150), $0 < 150 ? "amount" : $0 < 300 ? "projects" : "amount_10m_plus", number("\($0 + 1)"), line: $0 + 2) }
            .sorted { a, b in a.values[0] != b.values[0] ? a.values[0].sortsBefore(b.values[0]) : a.values[1].sortsBefore(b.values[1]) }
        let before = now.map { r -> CuratedRow in var r = r; r.values[2] = number("0"); return r }
        let streamed = try stream([RevisionRule(name: "rev", severity: .warning)], rows: now, previous: [("old", before)])
        // The whole-table check listed findings in key-text order ("1950+amount" < "1950+amount_10m_plus").
        let expected = now.map { "\($0.values[0])+\($0.values[1].description)" }.sorted().prefix(ReportBuilder.findingsPerCheck)
        #expect(streamed.findings.map(\.expected) == expected.map { "\($0) = 0" })
        #expect(streamed.checks.first?.omitted == n - ReportBuilder.findingsPerCheck)
        #expect(streamed.stats.warnings == n)
    }

    /// Year-on-year: the same findings whether the key leads with the period (last point kept per
    /// measure) or not (points kept and sorted).
    @Test func yearOnYearFindsTheSameJumpsEitherWay() throws {
        let rule = YearOnYearRule(name: "yoy", severity: .error, periodField: "fiscal_year", measures: [], maxRatio: 2)
        let led = try stream([rule], rows: rows)
        #expect(led.findings.map(\.location?.row) == [5])
        let measureFirst = TableSchema(fields: longSchema.fields, primaryKey: ["measure", "fiscal_year"])
        let byMeasure = rows.sorted { a, b in a.values[1] != b.values[1] ? a.values[1].sortsBefore(b.values[1]) : a.values[0].sortsBefore(b.values[0]) }
        var builder = ReportBuilder()
        try rule.check(CuratedTable(schema: measureFirst, rows: byMeasure), context: RuleContext(), into: &builder)
        #expect(builder.build(dataset: "t", rows: 5).findings == led.findings)
    }

    /// Sum, streamed beside period-range: each reports under its own name, in the spec's order.
    @Test func sumStreamsBesideOtherRules() throws {
        let sum = SumRule(name: "s", severity: .error, groupBy: ["fiscal_year"], total: "amount", parts: ["projects"])
        let report = try stream([sum, PeriodRangeRule(name: "p", severity: .error, field: "fiscal_year", from: 2021, to: 2022, requireAll: true)], rows: rows)
        #expect(report.checks.map(\.name) == ["s", "p", RuleChecks.summaryName])
        #expect(report.findings.filter { $0.check == "s" }.map(\.location?.row) == [2, 4])
        #expect(report.findings.filter { $0.check == "p" }.map(\.actual) == ["2023"])
    }
}
