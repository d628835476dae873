import Foundation
import Testing
import CurateCore
@testable import Validate

@Suite struct ReportTests {
    static let goldenFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    /// The report of a table with one broken rule and one bad cell, compared byte for byte with the
    /// committed golden files (regenerate with CURATE_UPDATE_GOLDEN=1 and review the diff).
    @Test func reportsMatchGoldenFiles() throws {
        let report = try check([
            row(.integer(2021), "amount", number("89300000000"), line: 13),
            row(.integer(2021), "amount_10m_plus", number("505000000000"), line: 13, column: 4, raw: "5050"),
            row(.integer(2022), "amount", number("-1"), line: 14, raw: "△1"),
        ], rules: [RuleTests.partRule])
        try compare(String(decoding: try report.jsonData(), as: UTF8.self), golden: "report.expected.json")
        try compare(report.markdown(), golden: "report.expected.md")
        let table = CuratedTable(schema: longSchema, rows: [
            row(.integer(2021), "amount", number("89300000000"), line: 13),
            row(.integer(2021), "amount_10m_plus", number("505000000000"), line: 13, column: 4, raw: "5050"),
            row(.integer(2022), "amount", number("-1"), line: 14, raw: "△1"),
        ])
        let html = report.html(table: table, periodField: "fiscal_year", title: "Test <report>")
        try compare(html, golden: "report.expected.html")
        #expect(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"))   // self-contained
        #expect(html.contains("<title>Test &lt;report&gt;: validation report</title>"))
        #expect(html.contains("stroke=\"#d93025\""))   // the flagged point is ringed
    }

    private func compare(_ text: String, golden name: String) throws {
        let url = Self.goldenFolder.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["CURATE_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.goldenFolder, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(text == expected, "\(name) differs from the golden file")
    }
}
