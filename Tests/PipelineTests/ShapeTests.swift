import Foundation
import Testing
import CurateCore
@testable import Pipeline

/// The years-across layout on a made-up table (values are not statistics).
@Suite struct ShapeTests {
    static let spec = """
        name: demo-across
        title: Synthetic years-across table
        license: {name: CC0-1.0}
        source: {title: test, publisher: made up for the test, url: https://example.org/test, path: Raw/test/across.csv}
        read: {format: csv, encoding: utf-8, header_row: 3, header_rows: 1}
        shape:
          layout: years-across
          label_column: 区分
          ignore_columns: [備考]
          ignore_rows: [参考値]
          unit_note: 百万円
          period: {field: fiscal_year, kind: fiscal}
          measures:
            - {row: 企業, name: business, unit: 百万円}
            - {row: 大学等, name: universities, unit: 百万円}
        schema:
          fields:
            - {name: fiscal_year, type: integer}
            - {name: measure, type: string}
            - {name: value, type: number}
            - {name: unit, type: string}
          primary_key: [fiscal_year, measure]
        """

    func project(_ table: String) throws -> ProjectCopy {
        let project = try ProjectCopy(pipelines: false)
        try project.write("Pipelines/demo-across.yaml", Self.spec)
        try project.write("Raw/test/across.csv", table)
        return project
    }

    @Test func yearColumnsBecomeLongRows() throws {
        let project = try project("合成表（テスト用）\n（単位：百万円）\n区分,令和3年度,令和4年度,備考\n企業,\"1,000\",△5,x\n大学等,20,,\n参考値,1,2,\n計,\"1,020\",15,\n")
        let results = try project.runner.run(datasets: [], dryRun: false)
        let report = try #require(results[0].report)
        // 計 is a row the spec neither names nor ignores: reported, by place
        #expect(report.findings.map(\.code) == [.unknownCode])
        #expect(report.findings.first?.location?.row == 7)
        #expect(!FileManager.default.fileExists(atPath: project.root + "/Curated/demo-across/data.csv"))
        guard case .failedValidation = results[0].status else { Issue.record("\(results[0].status)"); return }
    }

    @Test func validYearsAcrossTablePublishes() throws {
        let project = try project("合成表（テスト用）\n（単位：百万円）\n区分,令和3年度,令和4年度,備考\n企業,\"1,000\",△5,x\n大学等,20,,\n参考値,1,2,\n")
        let results = try project.runner.run(datasets: [], dryRun: false)
        guard case .published = results[0].status else { Issue.record("\(results[0].status) \(results[0].report?.findings ?? [])"); return }
        let data = String(decoding: try project.read("Curated/demo-across/data.csv"), as: UTF8.self)
        #expect(data == """
            fiscal_year,measure,value,unit
            2021,business,1000000000,JPY
            2021,universities,20000000,JPY
            2022,business,-5000000,JPY

            """)
        let lineage = String(decoding: try project.read("Curated/demo-across/lineage.csv"), as: UTF8.self)
        #expect(lineage.contains("2022,business,Raw/test/across.csv,4,3,令和4年度,△5,百万円,"))
    }

    @Test func badYearHeaderAndMissingRowAreReported() throws {
        let project = try project("t\n（単位：百万円）\n区分,令和3年度,令和9X年度\n企業,1,2\n")
        let results = try project.runner.run(datasets: [], dryRun: true)
        let findings = try #require(results[0].report?.findings)
        let period = try #require(findings.first { $0.code == .periodError })
        #expect(period.location?.row == 3)
        #expect(period.location?.column == 3)
        #expect(findings.contains { $0.code == .missingLabel && $0.expected == "a row labelled 大学等" })
    }
}

/// Markers with a status field, and severity overrides (made-up values).
@Suite struct StatusAndSeverityTests {
    static func spec(severities: String = "") -> String {
        """
        name: demo-status
        title: Synthetic table with markers
        license: {name: CC0-1.0}
        source: {title: test, publisher: made up for the test, url: https://example.org/test, path: Raw/test/status.csv}
        read: {format: csv, encoding: utf-8, header_row: 1}
        shape:
          period: {column: 年度, field: fiscal_year, kind: fiscal}
          measures:
            - {column: 件数, name: projects, unit: 件}
        numbers:
          markers: {x: confidential, "-": zero, "…": not-available}
        schema:
          fields:
            - {name: fiscal_year, type: integer}
            - {name: measure, type: string}
            - {name: value, type: number}
            - {name: unit, type: string}
            - {name: status, type: string, constraints: {enum: [zero, not-available, confidential, not-applicable]}}
          primary_key: [fiscal_year, measure]
        \(severities)
        """
    }

    func run(_ table: String, severities: String = "") throws -> (ProjectCopy, [DatasetResult]) {
        let project = try ProjectCopy(pipelines: false)
        try project.write("Pipelines/demo-status.yaml", Self.spec(severities: severities))
        try project.write("Raw/test/status.csv", table)
        return (project, try project.runner.run(datasets: [], dryRun: false))
    }

    @Test func markersBecomeEmptyValuesWithTheirMeaning() throws {
        let (project, results) = try run("年度,件数\n令和元年度,12\n令和2年度,x\n令和3年度,-\n令和4年度,…\n")
        guard case .published = results[0].status else { Issue.record("\(results[0].status) \(results[0].report?.findings ?? [])"); return }
        let data = String(decoding: try project.read("Curated/demo-status/data.csv"), as: UTF8.self)
        #expect(data == """
            fiscal_year,measure,value,unit,status
            2019,projects,12,count,
            2020,projects,,count,confidential
            2021,projects,,count,zero
            2022,projects,,count,not-available

            """)
        let lineage = String(decoding: try project.read("Curated/demo-status/lineage.csv"), as: UTF8.self)
        #expect(lineage.contains("marker \"\"x\"\" → confidential, no value"))
    }

    @Test func plannedEraYearIsAnErrorUnlessDeclaredAWarning() throws {
        let table = "年度,件数\n平成31年度,1\n平成32年度,2\n"
        let (_, strict) = try run(table)
        guard case .failedValidation = strict[0].status else { Issue.record("\(strict[0].status)"); return }
        #expect(strict[0].report?.findings.map(\.code) == [.periodError])

        let (project, lenient) = try run(table, severities: "severities: {period-error: warning}")
        guard case .published = lenient[0].status else { Issue.record("\(lenient[0].status)"); return }
        #expect(lenient[0].report?.findings.map(\.severity) == [.warning])
        let data = String(decoding: try project.read("Curated/demo-status/data.csv"), as: UTF8.self)
        #expect(data.contains("2020,projects,2,count,"))
    }

    @Test func unknownCodeInSeveritiesIsASpecError() throws {
        // A broken spec fails its own dataset (exit 2 at the end), not the whole run.
        let (_, results) = try run("年度,件数\n", severities: "severities: {period-eror: warning}")
        guard case .failed(let error) = results[0].status else { Issue.record("\(results[0].status)"); return }
        #expect(error.code == .specError && error.location?.raw == "period-eror")
    }
}
