import Foundation
import Testing
import CurateCore
@testable import Validate

/// Rows with a published precision, as a printed table rounded to `precision` gives them.
func row(_ year: Int, _ measure: String, _ value: String, precision: String = "1", line: Int, column: Int = 3) -> CuratedRow {
    CuratedRow(values: [.integer(year), .string(measure), number(value), .string("JPY")],
               lineage: Lineage(source: SourceLocation(file: "raw.csv", row: line, column: column, field: measure, raw: value),
                                precision: Decimal(string: precision)))
}

@Suite struct ConsistencyRuleTests {
    // MARK: sum
    static let sum = SumRule(name: "sectors-sum", severity: .error, groupBy: ["fiscal_year"], total: "amount", parts: ["projects", "amount_10m_plus"])

    @Test func sumWithinRoundingPasses() throws {
        // three figures rounded to 億 (1e8): 893 = 505 + 388.6 is within ±1.5億
        let report = try check([row(2021, "amount", "89300000000", precision: "100000000", line: 4),
                                row(2021, "projects", "38860000000", precision: "100000000", line: 4),
                                row(2021, "amount_10m_plus", "50500000000", precision: "100000000", line: 4)], rules: [Self.sum])
        #expect(report.valid)
        #expect(report.checks.first { $0.name == "sectors-sum" }?.passes == 1)
    }

    @Test func sumBeyondRoundingFailsAtTheTotal() throws {
        let report = try check([row(2021, "amount", "89300000000", precision: "100000000", line: 4),
                                row(2021, "projects", "30000000000", precision: "100000000", line: 5),
                                row(2021, "amount_10m_plus", "50500000000", precision: "100000000", line: 6)], rules: [Self.sum])
        let f = try #require(report.findings.first)
        #expect(f.code == .sumMismatch)
        #expect(f.location?.row == 4)
        #expect(f.expected == "80500000000 ± 150000000 (projects 30000000000 + amount_10m_plus 50500000000)")
        #expect(f.actual == "amount 89300000000 in 2021")
    }

    @Test func hierarchyChecksEachParent() throws {
        let rule = HierarchyRule(name: "tree", severity: .error, groupBy: ["fiscal_year"],
                                 children: [("amount", ["projects", "amount_10m_plus"])])
        let report = try check([row(2021, "amount", "12", line: 2), row(2021, "projects", "4", line: 3),
                                row(2021, "amount_10m_plus", "5", line: 4)], rules: [rule])
        #expect(report.findings.map(\.code) == [.sumMismatch])
        #expect(report.findings.first?.expected == "9 ± 1.5 (projects 4 + amount_10m_plus 5)")
    }

    // MARK: shares
    @Test func sharesMustSumTo100() throws {
        let rule = ShareSumRule(name: "shares", severity: .error, groupBy: ["fiscal_year"], parts: ["projects", "amount", "amount_10m_plus"])
        let ok = try check([row(2020, "projects", "33.3", precision: "0.1", line: 2), row(2020, "amount", "33.3", precision: "0.1", line: 2),
                            row(2020, "amount_10m_plus", "33.3", precision: "0.1", line: 2)], rules: [rule])
        #expect(ok.valid)   // 99.9 is 100 within 3 × 0.05
        let bad = try check([row(2021, "projects", "50", precision: "0.1", line: 7), row(2021, "amount", "40.2", precision: "0.1", line: 7),
                             row(2021, "amount_10m_plus", "9", precision: "0.1", line: 7)], rules: [rule])
        let f = try #require(bad.findings.first)
        #expect(f.code == .shareSum)
        #expect(f.expected == "100 ± 0.15")
        #expect(f.actual == "99.2 in 2021 (projects + amount + amount_10m_plus)")
        #expect(f.location?.row == 7)
    }

    // MARK: ratio
    @Test func averageMustEqualTotalOverCount() throws {
        let rule = RatioRule(name: "per-project", severity: .error, groupBy: ["fiscal_year"], ratio: "amount_10m_plus",
                             numerator: "amount", denominator: "projects")
        // 89300000000 / 29644 = 3012413.98…; published as 301万円 (precision 10000)
        let ok = try check([row(2021, "amount", "89300000000", precision: "100000000", line: 9), row(2021, "projects", "29644", line: 9),
                            row(2021, "amount_10m_plus", "3010000", precision: "10000", line: 9)], rules: [rule])
        #expect(ok.valid)
        let bad = try check([row(2021, "amount", "89300000000", precision: "100000000", line: 9), row(2021, "projects", "29644", line: 9),
                             row(2021, "amount_10m_plus", "3510000", precision: "10000", line: 9, column: 4)], rules: [rule])
        let f = try #require(bad.findings.first)
        #expect(f.code == .ratioMismatch)
        #expect(f.location?.column == 4)
        #expect(f.actual == "amount_10m_plus 3510000 in 2021")
        #expect(f.expected?.hasPrefix("amount ÷ projects = 3012413.97922 ± ") == true, "\(f.expected ?? "")")
    }

    // MARK: completeness
    @Test func completenessListsTheGaps() throws {
        let rule = CompletenessRule(name: "complete", severity: .warning, periodField: "fiscal_year", from: 2019, to: 2022, measures: ["projects", "amount"])
        let report = try check([row(2019, "projects", "1", line: 2), row(2020, "projects", "1", line: 3), row(2022, "projects", "1", line: 5),
                                row(2019, "amount", "1", line: 2)], rules: [rule])
        #expect(report.findings.map(\.actual) == ["missing projects for 2021", "missing amount for 2020, 2021, 2022"])
        #expect(report.findings.allSatisfy { $0.severity == .warning })
        let summary = try #require(report.checks.first { $0.name == "complete" })
        #expect((summary.items, summary.passes, summary.fails) == (8, 4, 4))
    }

    // MARK: year on year
    @Test func tenfoldJumpIsFlaggedAtTheJumpingCell() throws {
        let rule = YearOnYearRule(name: "yoy", severity: .error, periodField: "fiscal_year", measures: ["projects"], maxRatio: 2)
        let report = try check([row(2012, "projects", "16925", line: 4), row(2013, "projects", "178810", line: 5),
                                row(2014, "projects", "19070", line: 6), row(2020, "projects", "28794", line: 12)], rules: [rule])
        #expect(report.findings.map(\.code) == [.yoyJump, .yoyJump])
        let f = report.findings[0]
        #expect(f.location?.row == 5)
        #expect(f.actual == "projects ×10.5648: 16925 (2012) → 178810 (2013)")
        #expect(f.expected == "between ×0.5 and ×2 over 1 year(s)")
        #expect(report.findings[1].location?.row == 6)   // and back down the year after
    }

    @Test func gapsCompoundTheBound() throws {
        let rule = YearOnYearRule(name: "yoy", severity: .error, periodField: "fiscal_year", measures: [], maxRatio: 2)
        #expect(try check([row(2015, "amount", "100", line: 2), row(2020, "amount", "3000", line: 3)], rules: [rule]).valid)   // ×30 ≤ 2⁵
        #expect(!(try check([row(2015, "amount", "100", line: 2), row(2017, "amount", "500", line: 3)], rules: [rule]).valid))  // ×5 > 2²
    }

    // MARK: revisions
    @Test func revisionsAgainstThePreviousRelease() throws {
        let previous = CuratedTable(schema: longSchema, rows: [row(2020, "amount", "847", line: 2), row(2021, "amount", "893", line: 3),
                                                              row(2019, "amount", "800", line: 1)])
        let table = CuratedTable(schema: longSchema, rows: [row(2020, "amount", "847", line: 2), row(2021, "amount", "895", line: 3),
                                                           row(2022, "amount", "900", line: 4)])
        var builder = ReportBuilder()
        try RevisionRule(name: "rev", severity: .warning).check(table, context: RuleContext(previous: previous), into: &builder)
        let report = builder.build(dataset: "t", rows: 3)
        #expect(report.findings.map(\.actual) == ["2019+amount removed", "2021+amount = 895"])
        #expect(report.findings.map(\.expected) == ["2019+amount = 800", "2021+amount = 893"])
        #expect(report.findings[1].location?.row == 3)
        #expect(report.valid)   // revisions are warnings unless the spec says otherwise
    }

    // MARK: cross-source
    @Test func crossSourceAgreementWithinBothRoundings() throws {
        let rule = CrossSourceRule(name: "same-figure", severity: .error, dataset: "other", key: ["fiscal_year"], measures: [("amount", "total_amount")])
        let other = CuratedTable(schema: longSchema, rows: [
            row(2021, "total_amount", "89260000000", precision: "10000000", line: 30),
            row(2023, "total_amount", "99000000000", precision: "100000000", line: 31)])
        let table = CuratedTable(schema: longSchema, rows: [row(2021, "amount", "89300000000", precision: "100000000", line: 13),
                                                           row(2023, "amount", "102800000000", precision: "100000000", line: 15)])
        var builder = ReportBuilder()
        try rule.check(table, context: RuleContext(datasets: ["other": other]), into: &builder)
        let report = builder.build(dataset: "t", rows: 2)
        #expect(report.findings.count == 1)
        let f = try #require(report.findings.first)
        #expect(f.code == .crossSource)
        #expect(f.location?.row == 15)
        #expect(f.expected == "other total_amount 99000000000 ± 100000000 (raw.csv:31)")
        var missing = ReportBuilder()
        try rule.check(table, context: RuleContext(), into: &missing)
        #expect(missing.build(dataset: "t", rows: 2).findings.first?.severity == .warning)
    }
}
