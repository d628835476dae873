import Foundation
import Testing
import CurateCore
@testable import Pipeline

@Suite struct DescribeTests {
    static let raw = "Raw/mext/joint-research/joint-research-private-companies.csv"
    var describer: Describer { get throws { Describer(units: try Project(root: repositoryRoot).unitRegistry()) } }

    @Test func infersTheMEXTPrintedTable() throws {
        let d = try describer.describe(path: repositoryRoot + "/" + Self.raw, displayPath: Self.raw)
        #expect(d.format == "csv")
        #expect(d.encoding == "shift_jis")
        #expect(d.dialect.delimiter == ",")
        #expect(d.header.rows == [3])
        #expect(d.unit?.label == "億円" && d.unit?.multiplier == "100000000" && d.unit?.currency == "JPY")
        #expect(d.unitNote == ["件", "億円"])
        #expect(d.fields.map(\.type) == ["year", "integer", "integer", "integer"])
        #expect(d.fields[0].period == .init(year: nil, kind: "fiscal"))
        #expect(d.layout == "years-down")
        #expect(d.footnotes.count == 4)
    }

    @Test func draftSpecRunsAndPublishesTheSameValues() throws {
        let project = try ProjectCopy()
        let d = try describer.describe(path: project.root + "/" + Self.raw, displayPath: Self.raw)
        let draft = try describer.draftSpec(d)
        try FileManager.default.removeItem(atPath: project.root + "/Pipelines/mext-joint-research.yaml")
        // As drafted it is refused (its TODOs); filled in by a steward, it publishes.
        try project.write("Pipelines/joint-research-private-companies.yaml", draft)
        guard case .failed(let refused) = try project.runner.run(datasets: [], dryRun: true)[0].status else { Issue.record("draft ran"); return }
        #expect(refused.code == .specError && refused.message.contains("placeholder"))
        let filled = draft.replacingOccurrences(of: "publisher: TODO", with: "publisher: 文部科学省")
            .replacingOccurrences(of: "url: TODO", with: "url: https://www.mext.go.jp/a_menu/shinkou/sangaku/sangakub.htm")
            .replacingOccurrences(of: "  name: TODO", with: "  name: CC-BY-4.0")
            .replacingOccurrences(of: "  path: TODO", with: "  path: https://creativecommons.org/licenses/by/4.0/")
        try project.write("Pipelines/joint-research-private-companies.yaml", filled)
        let results = try project.runner.run(datasets: [], dryRun: false)
        guard case .published = results[0].status else { Issue.record("\(results[0].status) \(results[0].report?.findings ?? [])"); return }
        let data = String(decoding: try project.read("Curated/joint-research-private-companies/data.csv"), as: UTF8.self)
        #expect(data.split(separator: "\n").count == 16)
        #expect(data.contains("2012,measure_1,16925,count"))
        #expect(data.contains("2023,measure_2,102800000000,JPY"))
    }

    @Test func multiRowHeaderInASpreadsheet() throws {
        let path = repositoryRoot + "/Tests/IngestTests/Fixtures/xlsx/printed-table.xlsx"
        let d = try describer.describe(path: path)
        #expect(d.header.rows == [3, 4])
        #expect(d.header.labels == ["年度", "共同研究_件数", "共同研究_受入額", "備考"])
        #expect(d.sheet == "表1")
        #expect(d.unit?.label == "百万円")
        #expect(d.fields.map(\.type) == ["year", "integer", "number", "string"])
    }

    @Test func wideYearColumns() throws {
        let project = try ProjectCopy(pipelines: false)
        try project.write("Raw/across.csv", "合成表\n（単位：百万円）\n区分,令和3年度,令和4年度,備考\n企業,\"1,000\",x,\n大学等,20,-,\n")
        let d = try describer.describe(path: project.root + "/Raw/across.csv")
        #expect(d.layout == "years-across")
        #expect(d.fields.map(\.period) == [nil, .init(year: 2021, kind: "fiscal"), .init(year: 2022, kind: "fiscal"), nil])
        #expect(d.rowLabels == ["企業", "大学等"])
        #expect(d.fields[2].markers == ["-", "x"])
        #expect(d.unit?.multiplier == "1000000")
    }
}
