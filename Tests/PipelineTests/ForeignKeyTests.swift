import Foundation
import Testing
import CurateCore
@testable import Pipeline

/// Foreign keys to code lists (made-up values): checked by curate, and published as resources so
/// that frictionless checks them too.
@Suite struct ForeignKeyTests {
    static func spec(measures: String) -> String {
        """
        name: demo-sectors
        title: Synthetic R&D by sector
        license: {name: CC0-1.0}
        source: {title: test, publisher: made up for the test, url: https://example.org/test, path: Raw/test/sectors.csv}
        read: {format: csv, encoding: utf-8, header_row: 1}
        shape:
          layout: years-across
          label_column: 部門
          period: {field: fiscal_year, kind: fiscal}
          measures:
        \(measures)
        schema:
          fields:
            - {name: fiscal_year, type: integer}
            - {name: measure, type: string}
            - {name: value, type: number}
            - {name: unit, type: string}
          primary_key: [fiscal_year, measure]
          foreign_keys:
            - {field: measure, codelist: sectors}
        """
    }

    func project(measures: String) throws -> ProjectCopy {
        let project = try ProjectCopy(pipelines: false)
        try FileManager.default.copyItem(atPath: repositoryRoot + "/Pipelines/reference/codelists",
                                         toPath: project.root + "/Pipelines/reference/codelists")
        try project.write("Pipelines/demo-sectors.yaml", Self.spec(measures: measures))
        try project.write("Raw/test/sectors.csv", "部門,令和3年度,令和4年度\n企業,10,11\n大学等,3,4\n")
        return project
    }

    @Test func aCodeOutsideTheListIsAForeignKeyError() throws {
        let p = try project(measures: "    - {row: 企業, name: BES, unit: 億円}\n    - {row: 大学等, name: UNIV, unit: 億円}")
        let results = try p.runner.run(datasets: [], dryRun: true)
        let findings = try #require(results[0].report?.findings)
        #expect(findings.map(\.code) == [.foreignKey, .foreignKey])
        #expect(findings.first?.actual == "UNIV")
        #expect(findings.first?.expected == "a code of codelist-sectors")
        #expect(findings.first?.location?.row == 3)
    }

    @Test func codeListIsPublishedAsAResource() throws {
        let p = try project(measures: "    - {row: 企業, name: BES, unit: 億円}\n    - {row: 大学等, name: HES, unit: 億円}")
        let results = try p.runner.run(datasets: [], dryRun: false)
        guard case .published = results[0].status else { Issue.record("\(results[0].status)"); return }
        let package = String(decoding: try p.read("Curated/demo-sectors/datapackage.json"), as: UTF8.self)
        #expect(package.contains("\"resource\" : \"codelist-sectors\""))
        #expect(package.contains("\"path\" : \"codelists/sectors.csv\""))
        let codes = String(decoding: try p.read("Curated/demo-sectors/codelists/sectors.csv"), as: UTF8.self)
        #expect(codes.hasPrefix("code,label\nBES,企業\nHES,大学等\n"))
    }

    static let frictionless = repositoryRoot + "/.venv/bin/frictionless"

    /// The real frictionless (installed by `make test`) accepts the package, foreign keys and all,
    /// and rejects it when a code is missing from the published list.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: frictionless)))
    func frictionlessChecksTheForeignKeys() throws {
        let p = try project(measures: "    - {row: 企業, name: BES, unit: 億円}\n    - {row: 大学等, name: HES, unit: 億円}")
        _ = try p.runner.run(datasets: [], dryRun: false)
        let dir = p.root + "/Curated/demo-sectors"
        #expect(try Self.validate(dir) == 0)
        let list = dir + "/codelists/sectors.csv"
        let text = try String(contentsOfFile: list, encoding: .utf8).replacingOccurrences(of: "HES,大学等\n", with: "")
        try text.write(toFile: list, atomically: true, encoding: .utf8)
        #expect(try Self.validate(dir) != 0)
    }

    static func validate(_ dir: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: frictionless)
        process.arguments = ["validate", "--skip-errors", "hash-count,byte-count", "datapackage.json"]
        process.currentDirectoryURL = URL(fileURLWithPath: dir)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// A hierarchy declared by a code list whose codes name their parent in `group` (made-up values).
@Suite struct HierarchyFromCodeListTests {
    @Test func childrenMustSumToTheirParent() throws {
        let project = try ProjectCopy(pipelines: false)
        try project.write("Pipelines/reference/codelists/test-regions.yaml", """
            id: test-regions
            title: Test regions
            source: made up for the test
            codes:
              - {code: KANTO, label: 関東, group: JP}
              - {code: KINKI, label: 近畿, group: JP}
              - {code: TOKYO, label: 東京都, group: KANTO}
              - {code: CHIBA, label: 千葉県, group: KANTO}
              - {code: JP, label: 全国}
            """)
        try project.write("Pipelines/demo-regions.yaml", """
            name: demo-regions
            title: Synthetic regional table
            license: {name: CC0-1.0}
            source: {title: test, publisher: made up for the test, url: https://example.org/test, path: Raw/test/regions.csv}
            read: {format: csv, encoding: utf-8, header_row: 1}
            shape:
              layout: years-across
              label_column: 地域
              period: {field: year, kind: calendar}
              measures:
                - {row: 全国, name: JP, unit: 人}
                - {row: 関東, name: KANTO, unit: 人}
                - {row: 近畿, name: KINKI, unit: 人}
                - {row: 東京都, name: TOKYO, unit: 人}
                - {row: 千葉県, name: CHIBA, unit: 人}
            schema:
              fields:
                - {name: year, type: integer}
                - {name: measure, type: string}
                - {name: value, type: number}
                - {name: unit, type: string}
              primary_key: [year, measure]
            rules:
              - {name: regions-add-up, type: hierarchy, group_by: [year], codelist: test-regions}
            """)
        try project.write("Raw/test/regions.csv", "地域,2021年,2022年\n全国,100,120\n関東,60,70\n近畿,40,50\n東京都,35,45\n千葉県,25,20\n")
        let results = try project.runner.run(datasets: [], dryRun: true)
        let findings = try #require(results[0].report?.findings)
        // 2022: 関東 70 ≠ 東京都 45 + 千葉県 20 = 65; 全国 120 = 関東 70 + 近畿 50
        #expect(findings.map(\.code) == [.sumMismatch])
        #expect(findings.first?.actual == "KANTO 70 in 2022")
        #expect(findings.first?.expected == "65 ± 1.5 (TOKYO 45 + CHIBA 20)")
        #expect(findings.first?.location?.row == 3)
    }
}
