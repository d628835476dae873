import Foundation
import Testing
import CurateCore
import Normalize
@testable import Pipeline

/// `describe` on e-Stat's download layouts (synthetic files made to those layouts, see
/// Tests/IngestTests/Fixtures/estat-download/PROVENANCE.md): each draft, with only its metadata
/// filled in, runs and publishes.
@Suite struct EStatDescribeTests {
    static let fixtures = "Tests/IngestTests/Fixtures/estat-download/"

    /// A project copy holding only the fixture under Raw/, the reference tables, and no other pipeline.
    static func project(with name: String) throws -> ProjectCopy {
        let project = try ProjectCopy(pipelines: false)
        try FileManager.default.removeItem(atPath: project.root + "/Pipelines/reference")
        try FileManager.default.copyItem(atPath: repositoryRoot + "/Pipelines/reference", toPath: project.root + "/Pipelines/reference")
        try FileManager.default.createDirectory(atPath: project.root + "/Raw/estat", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: repositoryRoot + "/" + fixtures + name, toPath: project.root + "/Raw/estat/" + name)
        return project
    }

    static func describer(_ project: ProjectCopy) throws -> Describer {
        let p = try Project(root: project.root)
        return Describer(units: try p.unitRegistry(), codeLists: try p.codeListIDs().map { try p.codeList($0) })
    }

    /// Fills exactly the placeholders the draft leaves: title, licence, source title, publisher, url.
    static func fill(_ draft: String) -> String {
        var lines: [String] = []
        var section = ""
        for line in draft.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" ") { section = String(line.prefix { $0 != ":" }) }
            let key = line.trimmingCharacters(in: .whitespaces).prefix { $0 != ":" }
            guard line.hasSuffix("TODO") || line.hasSuffix("\"TODO\"") else { lines.append(String(line)); continue }
            let indent = String(line.prefix { $0 == " " })
            let value = switch (section, key) {
            case ("title", _), ("source", "title"): "\"Synthetic table in e-Stat's layout (test)\""
            case ("license", "name"): "CC-BY-4.0"
            case ("license", "path"): "https://creativecommons.org/licenses/by/4.0/"
            case ("source", "publisher"): "Test fixture (synthetic)"
            case ("source", "url"): "https://www.e-stat.go.jp/"
            default: "UNEXPECTED-PLACEHOLDER"
            }
            lines.append("\(indent)\(key): \(value)")
        }
        return lines.joined(separator: "\n")
    }

    /// describe → fill metadata → run: the published dataset's data rows.
    static func publish(_ name: String, expectRows: Int) throws -> (draft: String, data: [Substring], description: TableDescription) {
        let project = try project(with: name)
        let describer = try describer(project)
        let d = try describer.describe(path: project.root + "/Raw/estat/" + name, displayPath: "Raw/estat/" + name)
        let draft = describer.draftSpec(d)
        let placeholders = draft.split(separator: "\n").filter { $0.contains("TODO") }.map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(placeholders == ["title: \"TODO\"", "name: TODO", "path: TODO", "title: \"TODO\"", "publisher: TODO", "url: TODO"],
                "placeholders only for what the file cannot say")
        let specName = draft.split(separator: "\n").first { $0.hasPrefix("name: ") }!.dropFirst(6)
        try project.write("Pipelines/\(specName).yaml", fill(draft))
        let results = try project.runner.run(datasets: [], dryRun: false)
        guard case .published = results[0].status else {
            Issue.record("\(results[0].status) \(results[0].report?.findings.map { "\($0.code) \($0.location.map { "\($0)" } ?? "") \($0.message)" } ?? [])\n\(fill(draft))")
            return (draft, [], d)
        }
        let data = String(decoding: try project.read("Curated/\(specName)/data.csv"), as: UTF8.self)
        let rows = data.split(separator: "\n").dropFirst()
        #expect(rows.count == expectRows)
        return (draft, Array(rows), d)
    }

    /// 全国・都道府県 × 平成22年…平成26年, 人口【千人】, CP932, quoted numbers with separators.
    @Test func wideWarekiPrefecturesPublishes() throws {
        let (draft, rows, d) = try Self.publish("wide-wareki-prefectures.cp932.csv", expectRows: 48 * 5)
        #expect(d.layout == "years-across")
        #expect(d.rows?.column == "全国・都道府県" && d.rows?.codeList == "prefectures" && d.rows?.totalCode == "00")
        #expect(d.measure?.label == "人口" && d.measure?.unit == "千人")
        #expect(d.ignoredColumns == ["表章項目", "/時間軸（年）"])
        #expect(draft.contains("rows: {field: prefecture, codelist: prefectures}"))
        #expect(draft.contains("measure_field: prefecture") && draft.contains("total: \"00\""))
        #expect(rows.contains { $0.hasPrefix("2010,人口,13,7932000,persons") })
        #expect(rows.contains { $0.hasPrefix("2010,人口,00,200385000,persons") })
    }

    /// 2019年度…, a 単位 column, markers, categories no code list knows, a 計 row.
    @Test func wideSeirekiUnitColumnPublishes() throws {
        let (draft, rows, d) = try Self.publish("wide-seireki-unit-column.csv", expectRows: 12)
        #expect(d.rows?.codeList == nil && d.rows?.total == "計")
        #expect(d.measure?.unit == "件")
        #expect(draft.contains("\"x\": confidential") && draft.contains("\"***\": not-available"))
        #expect(draft.contains("total: \"計\""))
        #expect(rows.contains { $0.hasPrefix("2019,国立大学,12345,count") })
        #expect(rows.contains { $0.hasPrefix("2020,国立大学,,count,confidential") })
    }

    /// tab_code/表章項目, cat01_code/男女, area_code/地域, time_code, unit, value.
    @Test func longWithCodesPublishes() throws {
        let (draft, rows, d) = try Self.publish("long-codes.csv", expectRows: 18)
        #expect(d.layout == "long")
        #expect(d.long?.dimensions.map(\.field) == ["cat01", "area"])
        #expect(d.long?.periodColumn == "time_code" && d.long?.periodKind == "calendar")
        #expect(draft.contains("measure_field: cat01"))
        #expect(rows.contains { $0.hasPrefix("2015,人口,000,00000,1240000,persons") })
    }

    /// Outside a project: no code list, units as printed, the same layout found.
    @Test func describesOutsideAProject() throws {
        let d = try Describer(units: UnitRegistry(units: [:], multipliers: [:]))
            .describe(path: repositoryRoot + "/" + Self.fixtures + "wide-wareki-prefectures.cp932.csv")
        #expect(d.layout == "years-across" && d.rows?.codeList == nil && d.rows?.labels.count == 48)
        #expect(d.measure?.unit == "千人" && d.header.rows == [1])
    }

    @Test func headerRowOverride() throws {
        let project = try ProjectCopy(pipelines: false)
        try project.write("Raw/t.csv", "表題,注記\n区分,2020年,2021年\nA,1,2\nB,3,4\n")
        let describer = try Self.describer(project)
        #expect(try describer.describe(path: project.root + "/Raw/t.csv").header.rows == [1])
        let d = try describer.describe(path: project.root + "/Raw/t.csv", headerRow: 2)
        #expect(d.header.rows == [2] && d.layout == "years-across" && d.rows?.labels == ["A", "B"])
        #expect(describer.draftSpec(d).contains("header_row: 2"))
    }

    /// The same workbook as .xls and .xlsx is described alike.
    @Test func describesLegacyExcel() throws {
        let describer = try Self.describer(try ProjectCopy(pipelines: false))
        let xls = try describer.describe(path: repositoryRoot + "/Tests/IngestTests/Fixtures/xls/same-workbook.xls")
        let xlsx = try describer.describe(path: repositoryRoot + "/Tests/IngestTests/Fixtures/xls/same-workbook.xlsx")
        #expect(xls.format == "xls" && xls.sheet == "表1")
        #expect(xls.header.labels == xlsx.header.labels && xls.header.rows == [4])
        #expect(xls.fields.map(\.type) == xlsx.fields.map(\.type))
    }

    /// e-Stat's download with its metadata lines on top and a `… コード` column before each label:
    /// the header is the wide record, the rows are the labels (matched to prefectures), not the codes.
    @Test func metadataLinesAndCodeColumns() throws {
        let project = try ProjectCopy(pipelines: false)
        try FileManager.default.removeItem(atPath: project.root + "/Pipelines/reference")
        try FileManager.default.copyItem(atPath: repositoryRoot + "/Pipelines/reference", toPath: project.root + "/Pipelines/reference")
        try project.write("Raw/t.csv", """
            "統計表ID","0000000000"
            "表題","合成表（テスト用）"

            "表章項目 コード","表章項目","全国・都道府県 コード","全国・都道府県","/時間軸（年度）","2020年度","2021年度"
            "001","人口【人】","00000","全国","","30","33"
            "001","人口【人】","01000","北海道","","10","11"
            "001","人口【人】","02000","青森県","","20","22"

            """)
        let d = try Self.describer(project).describe(path: project.root + "/Raw/t.csv")
        #expect(d.header.rows == [4])
        #expect(d.rows?.column == "全国・都道府県" && d.rows?.codeList == "prefectures" && d.rows?.totalCode == "00")
        #expect(d.ignoredColumns == ["表章項目 コード", "表章項目", "/時間軸（年度）", "全国・都道府県 コード"])
        #expect(d.measure?.label == "人口" && d.measure?.unit == "人")
        #expect(d.rows?.coversCodeList == false)
        let draft = try Self.describer(project).draftSpec(d)
        #expect(draft.contains("no sum rule drafted") && draft.contains("rules: []"))
    }
}
