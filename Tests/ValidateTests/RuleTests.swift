import Testing
import CurateCore
@testable import Validate

@Suite struct RuleTests {
    static let partRule = PartOfTotalRule(name: "large-within-total", severity: .error, groupBy: ["fiscal_year"],
                                          measureField: "measure", valueField: "value", part: "amount_10m_plus", total: "amount")

    @Test func partWithinTotalPasses() throws {
        let report = try check([row(.integer(2021), "amount", number("89300000000"), line: 13),
                                row(.integer(2021), "amount_10m_plus", number("50500000000"), line: 13, column: 4),
                                row(.integer(2020), "amount", number("84700000000"), line: 12)], rules: [Self.partRule])
        let summary = try #require(report.checks.first { $0.name == "large-within-total" })
        #expect((summary.items, summary.passes, summary.fails, summary.missing) == (2, 1, 0, 1))
        #expect(report.valid)
    }

    @Test func partAboveTotalFailsAtThePartsCell() throws {
        let report = try check([row(.integer(2021), "amount", number("89300000000"), line: 13),
                                row(.integer(2021), "amount_10m_plus", number("505000000000"), line: 13, column: 4, raw: "5050")],
                               rules: [Self.partRule])
        let f = try #require(report.findings.first)
        #expect(f.code == .partExceedsTotal)
        #expect(f.check == "large-within-total")
        #expect(f.location?.row == 13)
        #expect(f.location?.column == 4)
        #expect(f.location?.raw == "5050")
        #expect(f.actual == "amount_10m_plus 505000000000")
        #expect(f.expected?.hasPrefix("≤ amount 89300000000") == true)
        #expect(!report.valid)
    }

    @Test func warningSeverityReportsWithoutFailing() throws {
        var rule = Self.partRule
        rule.severity = .warning
        let report = try check([row(.integer(2021), "amount", number("1"), line: 2),
                                row(.integer(2021), "amount_10m_plus", number("2"), line: 2)], rules: [rule])
        #expect(report.valid)
        #expect(report.stats.warnings == 1)
        #expect(report.findings.first?.severity == .warning)
    }

    @Test func periodOutsideRange() throws {
        let rule = PeriodRangeRule(name: "years", severity: .error, field: "fiscal_year", from: 2012, to: 2023, requireAll: false)
        let report = try check([row(.integer(2012), "amount", number("1"), line: 4),
                                row(.integer(2030), "amount", number("1"), line: 9, raw: "平成42年度")], rules: [rule])
        #expect(report.findings.map(\.code) == [.periodCoverage])
        #expect(report.findings.first?.location?.row == 9)
        #expect(report.findings.first?.actual == "2030")
        #expect(report.findings.first?.expected == "2012–2023")
    }

    @Test func requireAllListsTheGaps() throws {
        let rule = PeriodRangeRule(name: "years", severity: .error, field: "fiscal_year", from: 2019, to: 2022, requireAll: true)
        let report = try check([row(.integer(2019), "amount", number("1"), line: 4),
                                row(.integer(2022), "amount", number("1"), line: 7)], rules: [rule])
        #expect(report.findings.map(\.actual) == ["missing 2020, 2021"])
    }

    @Test func ruleNamingAMissingFieldIsASpecError() {
        let rule = PeriodRangeRule(name: "years", severity: .error, field: "year", from: 2012, to: 2023, requireAll: false)
        do { _ = try check([], rules: [rule]); Issue.record("no error") } catch let e as CurateError { #expect(e.code == .specError, "\(e.code.rawValue)") } catch { Issue.record("\(type(of: error))") }
    }
}
