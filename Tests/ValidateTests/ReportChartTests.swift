import Foundation
import Testing
import CurateCore
@testable import Validate

/// What the report page draws and says: one series per measure × category, values with separators,
/// units and their printed form, year ticks over the dataset's range, and a check's result apart
/// from its severity.
@Suite struct ReportChartTests {
    /// The shape of university-licensing-us-japan: a country dimension in the primary key.
    static let countrySchema = TableSchema(fields: [
        Field(name: "survey_year", type: .integer), Field(name: "measure", type: .string), Field(name: "country", type: .string),
        Field(name: "value", type: .number), Field(name: "unit", type: .string),
    ], primaryKey: ["survey_year", "measure", "country"])

    func licence(_ year: Int, _ country: String, _ value: String, raw: String, line: Int) -> CuratedRow {
        CuratedRow(values: [.integer(year), .string("licence_income"), .string(country), number(value), .string("JPY")],
                   lineage: Lineage(source: SourceLocation(file: "Raw/licensing.csv", row: line, column: 2, field: "ライセンス収入", raw: raw),
                                    sourceUnit: "十億円"))
    }

    func page(_ table: CuratedTable, report: ValidationReport? = nil, period: String = "survey_year") -> String {
        (report ?? ReportBuilder().build(dataset: "t", rows: table.rows.count)).html(table: table, periodField: period, title: "t")
    }

    func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test func eachCategoryIsItsOwnSeriesWithLegendAndColour() {
        let html = page(CuratedTable(schema: Self.countrySchema, rows: [
            licence(2022, "JPN", "6500000000", raw: "6.5", line: 5),
            licence(2022, "USA", "337000000000", raw: "337.0", line: 4),
        ]))
        // Before: one measure, one line joining the USA and Japan.
        #expect(count("<figure class=\"chart\"", in: html) == 1)
        #expect(count("<g class=\"series\"", in: html) == 2)
        #expect(html.contains("<g class=\"series\" data-series=\"JPN\" stroke=\"#0072B2\""))
        #expect(html.contains("<g class=\"series\" data-series=\"USA\" stroke=\"#E69F00\""))
        #expect(html.contains("JPN: 6,500,000,000 JPY (printed 6.5十億円) in 2022"))
        #expect(html.contains("USA: 337,000,000,000 JPY (printed 337.0十億円) in 2022"))
        #expect(count("<li><span class=\"swatch\"", in: html) == 2)
    }

    @Test func categoriesDoNotZigzagAcrossYears() {
        // A four-organisation table: each organisation one line over the years, never joined to another.
        let schema = TableSchema(fields: [
            Field(name: "fiscal_year", type: .integer), Field(name: "measure", type: .string), Field(name: "sector", type: .string),
            Field(name: "value", type: .number), Field(name: "unit", type: .string),
        ], primaryKey: ["fiscal_year", "measure", "sector"])
        var rows: [CuratedRow] = []
        for (i, sector) in ["TOTAL", "NATIONAL", "PUBLIC", "PRIVATE"].enumerated() {
            for year in 2019...2021 {
                rows.append(CuratedRow(values: [.integer(year), .string("amount"), .string(sector), .integer((4 - i) * 1000 + year), .string("JPY")],
                                       lineage: Lineage(source: SourceLocation(file: "r.csv", row: year - 2015, column: i + 2))))
            }
        }
        let html = page(CuratedTable(schema: schema, rows: rows), period: "fiscal_year")
        #expect(count("<g class=\"series\"", in: html) == 4)
        // Each series joins its own consecutive years: 2 segments × 4 series.
        #expect(count("stroke-width=\"2\"/>", in: html) == 8)
        #expect(html.contains("data-series=\"NATIONAL\"") && html.contains("data-series=\"TOTAL\""))
    }

    @Test func everySeriesSpansTheDatasetsPeriodsWithYearTicks() {
        let rows = [
            row(.integer(2012), "amount", number("34100000000"), line: 4),
            row(.integer(2023), "amount", number("102800000000"), line: 15),
            row(.integer(2023), "projects", number("30000"), "count", line: 15),
        ]
        let html = page(CuratedTable(schema: longSchema, rows: rows), period: "fiscal_year")
        // projects has one value in 2023, yet its chart runs 2012–2023 like the other.
        for year in 2012...2023 { #expect(count("text-anchor=\"middle\">\(year)</text>", in: html) == 2, "tick \(year)") }
        #expect(html.contains("102,800,000,000 JPY"))
        #expect(html.contains("30,000 count"))
        #expect(html.contains(">100B</text>"))   // round ticks along the value axis, not only its ends
    }

    @Test func longRangesTickEveryFewYears() {
        #expect(SeriesChart.yearTicks(2000...2030) == [2000, 2005, 2010, 2015, 2020, 2025, 2030])
        #expect(SeriesChart.yearTicks(2012...2023) == Array(2012...2023))
        #expect(SeriesChart.yearTicks(2022...2022) == [2022])
    }

    @Test func valuesAreGroupedExactly() {
        #expect(HTMLText.grouped(Decimal(string: "89300000000")!) == "89,300,000,000")
        #expect(HTMLText.grouped(Decimal(string: "-1234.5")!) == "-1,234.5")
        #expect(HTMLText.grouped(Decimal(string: "-3.90625")!) == "-3.90625")
        #expect(HTMLText.grouped(Decimal(string: "100")!) == "100")
        #expect(HTMLText.grouped(Decimal(string: "123456789012345678901234567")!) == "123,456,789,012,345,678,901,234,567")
    }

    @Test func valueAxisHasRoundTicksFromZero() {
        let scale = YScale(low: 0, high: 337e9)
        #expect(scale.ticks.first == 0)
        #expect(scale.ticks.count >= 4 && scale.ticks.count <= 8)
        #expect(scale.high >= 337e9)
        #expect(YScale.label(300e9) == "300B")
        #expect(YScale.label(2500) == "2.5k")
        #expect(YScale(low: -5, high: 10).ticks.contains(0))
    }

    @Test func checkRowsSayPassedFailedOrCheckedNothingWithSeverityApart() {
        var builder = ReportBuilder()
        builder.begin("schema", severity: .error)
        builder.count(passed: true)
        builder.begin("totals", severity: .error)
        builder.countMissing()
        builder.countMissing()
        builder.begin("jumps", severity: .warning)
        builder.count(passed: false)
        builder.add(Finding(.yoyJump, check: "jumps", location: SourceLocation(file: "r.csv", row: 3, column: 2)))
        let report = builder.build(dataset: "t", rows: 1)
        let html = report.html(table: CuratedTable(schema: longSchema, rows: []), periodField: "fiscal_year", title: "t")
        #expect(html.contains("<tr class=\"passed\"><td>schema</td><td class=\"result\">passed</td><td class=\"severity\">error</td>"))
        // 0 passes, 0 fails, 2 missing: before, a row like a pass.
        #expect(html.contains("<tr class=\"nothing\"><td>totals</td><td class=\"result\">checked nothing</td><td class=\"severity\">error</td>"))
        #expect(html.contains("<tr class=\"failed sev-warning\"><td>jumps</td><td class=\"result\">failed</td>"))
        // A passing check's severity is never painted as an error.
        #expect(!html.contains("<td class=\"error\">error</td><td class=\"n\">1</td>"))
        let rows = html.components(separatedBy: "<tr class=").dropFirst().map { $0.prefix(30) }
        #expect(rows[0].hasPrefix("\"failed") && rows[1].hasPrefix("\"nothing") && rows[2].hasPrefix("\"passed"))
        #expect(report.markdown().contains("| totals | error | 2 | 0 | 0 | 2 | checked nothing |"))
    }

    @Test func fontStackNamesAJapaneseFaceForEachSystem() {
        for face in ["Hiragino Sans", "Yu Gothic", "Meiryo", "Noto Sans CJK JP", "IPAexGothic"] {
            #expect(ReportStyle.fontStack.contains(face))
        }
        #expect(page(CuratedTable(schema: longSchema, rows: []), period: "fiscal_year").contains(ReportStyle.fontStack))
    }

    @Test func manyCategoriesSplitOverChartsAndTooManyPointsAreCountedNotDrawn() {
        let schema = TableSchema(fields: [
            Field(name: "year", type: .integer), Field(name: "measure", type: .string), Field(name: "prefecture", type: .string),
            Field(name: "value", type: .number), Field(name: "unit", type: .string),
        ], primaryKey: ["year", "measure", "prefecture"])
        func rows(prefectures: Int, years: ClosedRange<Int>) -> [CuratedRow] {
            (1...prefectures).flatMap { p in years.map { y in
                CuratedRow(values: [.integer(y), .string("researchers"), .string(String(format: "%02d", p)), .integer(p * 10), .string("persons")],
                           lineage: Lineage(source: SourceLocation(file: "r.csv", row: p, column: y - 1999)))
            } }
        }
        // 47 prefectures: five charts of at most ten series, 47 series in all, none dropped.
        let html = page(CuratedTable(schema: schema, rows: rows(prefectures: 47, years: 2020...2022)), period: "year")
        #expect(count("<figure class=\"chart\" data-measure=\"researchers\">", in: html) == 5)
        #expect(count("<g class=\"series\"", in: html) == 47)
        #expect(html.contains("<figcaption>researchers (5/5)"))
        // Past the drawing limit the page says how many series there are instead.
        let big = page(CuratedTable(schema: schema, rows: rows(prefectures: 47, years: 1600...2030)), period: "year")
        #expect(!big.contains("<g class=\"series\""))
        #expect(big.contains("<p class=\"charts-omitted\" data-series=\"47\">47 series with 20257 values in all"))
    }
}
