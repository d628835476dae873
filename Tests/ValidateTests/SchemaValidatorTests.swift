import Testing
import CurateCore
@testable import Validate

@Suite struct SchemaValidatorTests {
    @Test func validRowsPass() throws {
        let report = try check([row(.integer(2021), "amount", number("89300000000"), line: 4),
                                row(.integer(2021), "projects", .integer(29644), "count", line: 4, column: 2)])
        #expect(report.valid)
        #expect(report.findings.isEmpty)
        #expect(report.checks.first { $0.name == "schema" }?.passes == 2)
    }

    @Test func typeError() throws {
        let report = try check([row(.string("2021"), "amount", number("1"), line: 7)])
        let f = try #require(report.findings.first)
        #expect(f.code == .typeError)
        #expect(f.location?.row == 7)
        #expect(f.location?.field == "受入額")
        #expect(f.expected == "integer")
        #expect(!report.valid)
    }

    @Test func requiredMinimumMaximumEnumAndPattern() throws {
        let report = try check([
            row(.integer(2021), "amount", .null, line: 3),
            row(.integer(2022), "amount", number("-5"), line: 4, raw: "△5"),
            row(.integer(2200), "amount", number("1"), line: 5),
            row(.integer(2021), "patents", number("1"), line: 6),
            row(.integer(2023), "amount", number("1"), "円", line: 8),
        ])
        #expect(report.findings.map(\.code) == Array(repeating: .constraintError, count: 5))
        #expect(report.findings.map(\.expected) == ["required", "minimum 0", "maximum 2100", "one of projects, amount, amount_10m_plus", "pattern [A-Za-z]+"])
        #expect(report.findings.map { $0.location?.row } == [3, 4, 5, 6, 8])
        #expect(report.findings[1].location?.raw == "△5")
        #expect(report.findings[1].actual == "-5")
    }

    @Test func duplicatePrimaryKeyNamesBothRows() throws {
        let report = try check([row(.integer(2021), "amount", number("893"), line: 10),
                                row(.integer(2021), "amount", number("894"), line: 12)])
        let f = try #require(report.findings.first)
        #expect(report.findings.count == 1)
        #expect(f.code == .primaryKey)
        #expect(f.location?.row == 12)
        #expect(f.actual == "2021+amount")
        #expect(f.expected?.contains("raw.csv:10") == true)
    }

    @Test func uniqueFieldRepeats() throws {
        var schema = longSchema
        schema.fields[2].constraints?.unique = true
        let table = CuratedTable(schema: schema, rows: [row(.integer(2020), "amount", number("5"), line: 2),
                                                        row(.integer(2021), "amount", number("5"), line: 3)])
        var builder = ReportBuilder()
        SchemaValidator().check(table, into: &builder)
        let report = builder.build(dataset: "t", rows: 2)
        #expect(report.findings.map(\.code) == [.uniqueError])
        #expect(report.findings.first?.location?.row == 3)
    }

    @Test func findingsAreCappedButCounted() throws {
        let rows = (0..<250).map { row(.integer(2000 + $0 % 50), "m\($0)", number("1"), line: $0 + 2) }
        let report = try check(rows)
        #expect(report.findings.count == ReportBuilder.findingsPerCheck)
        #expect(report.stats.errors == 250)
        #expect(report.checks.first { $0.name == "schema" }?.omitted == 150)
        #expect(report.markdown().contains("150 more findings not listed"))
    }
}
