import Foundation
import Testing
import CurateCore
import Validate
@testable import Pipeline

/// A cross-source rule in a run compares with the other dataset's published release, read back
/// as a stream (data.csv and lineage.csv in step): the finding names this table's cell and the
/// other's file and row. Made-up tables.
@Suite struct CrossSourceRunTests {
    static func spec(_ name: String, rules: String = "") -> String {
        NoSilentPassTests.spec(name: name, path: "Raw/test/\(name).csv", body: """
            read: {format: csv, encoding: utf-8, header_row: 1}
            shape:
              period: {column: 年度, field: fiscal_year, kind: fiscal}
              measures:
                - {column: 件数, name: projects, unit: 件}
            schema:
              fields:
                - {name: fiscal_year, type: integer}
                - {name: measure, type: string}
                - {name: value, type: number}
                - {name: unit, type: string}
              primary_key: [fiscal_year, measure]
            \(rules)
            """)
    }

    static let rule = """
        rules:
          - name: agrees-with-other
            type: cross-source
            dataset: demo-other
            key: [fiscal_year]
            measures: {projects: projects}
        """

    @Test func comparesWithThePublishedOtherDataset() throws {
        let project = try ProjectCopy(pipelines: false)
        try project.write("Pipelines/demo-other.yaml", Self.spec("demo-other"))
        try project.write("Pipelines/demo-here.yaml", Self.spec("demo-here", rules: Self.rule))
        try project.write("Raw/test/demo-other.csv", "年度,件数\n令和3年度,10\n令和4年度,12\n")
        try project.write("Raw/test/demo-here.csv", "年度,件数\n令和3年度,10\n令和4年度,15\n令和5年度,9\n")
        let results = try project.runner.run(datasets: [], dryRun: true)
        // A dry run publishes nothing: the other dataset is not published, so the rule warns.
        let first = try #require(results.first { $0.name == "demo-here" }?.report)
        #expect(first.findings.filter { $0.check == "agrees-with-other" }.map(\.actual) == ["not available: nothing compared"])
        #expect(first.valid)

        _ = try project.runner.run(datasets: ["demo-other"], dryRun: false)
        let report = try #require(try project.runner.run(datasets: ["demo-here"], dryRun: true).first?.report)
        let summary = try #require(report.checks.first { $0.name == "agrees-with-other" })
        #expect(summary.passes == 1 && summary.fails == 1 && summary.missing == 1)
        let finding = try #require(report.findings.first { $0.check == "agrees-with-other" })
        #expect(finding.code == .crossSource && finding.location?.file == "Raw/test/demo-here.csv" && finding.location?.row == 3)
        // ± half the precision of each figure (whole numbers: 0.5 + 0.5), read back from lineage.csv.
        #expect(finding.expected == "demo-other projects 12 ± 1 (Raw/test/demo-other.csv:3)")
        #expect(finding.actual == "projects 15 in 2022")
    }

    @Test func aDatasetNoPipelineHasIsASpecError() throws {
        let project = try ProjectCopy(pipelines: false)
        try project.write("Pipelines/demo-here.yaml", Self.spec("demo-here", rules: Self.rule))
        try project.write("Raw/test/demo-here.csv", "年度,件数\n令和4年度,15\n")
        let result = try #require(try project.runner.run(datasets: [], dryRun: true).first)
        guard case .failed(let error) = result.status else { Issue.record("\(result.status)"); return }
        #expect(error.code == .specError && error.location?.file == "Pipelines/demo-here.yaml")
    }
}
