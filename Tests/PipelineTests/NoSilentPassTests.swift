import Foundation
import Testing
import CurateCore
import Validate
@testable import Pipeline

/// Each case here passed silently before (published, "valid", exit 0). Tables are made up for the
/// tests unless they are the shipped files.
@Suite struct NoSilentPassTests {
    /// A spec of a synthetic table, with the provenance every spec needs.
    static func spec(name: String, path: String, body: String) -> String {
        """
        name: \(name)
        title: Synthetic table
        license: {name: CC0-1.0}
        source: {title: test, publisher: made up for the test, url: https://example.org/test, path: \(path)}
        \(body)
        """
    }

    // MARK: hierarchy over a category dimension

    static let sectors = """
        id: test-sectors
        title: Test sectors
        source: made up for the test
        codes:
          - {code: BES, label: 企業, group: TOTAL}
          - {code: HES, label: 大学等, group: TOTAL}
          - {code: GOV, label: 公的機関, group: TOTAL}
          - {code: TOTAL, label: 計}
        """

    func sectorProject(_ table: String) throws -> ProjectCopy {
        let project = try ProjectCopy(pipelines: false)
        try project.write("Pipelines/reference/codelists/test-sectors.yaml", Self.sectors)
        try project.write("Pipelines/demo-sectors.yaml", Self.spec(name: "demo-sectors", path: "Raw/test/sectors.csv", body: """
            read: {format: csv, encoding: utf-8, header_row: 2}
            shape:
              layout: years-across
              label_column: 部門
              period: {field: fiscal_year, kind: fiscal}
              rows: {field: sector, codelist: test-sectors}
              measure: {name: rd_spending, unit: 億円}
            schema:
              fields:
                - {name: fiscal_year, type: integer}
                - {name: sector, type: string}
                - {name: measure, type: string}
                - {name: value, type: number}
                - {name: unit, type: string}
              primary_key: [fiscal_year, sector, measure]
              foreign_keys:
                - {field: sector, codelist: test-sectors}
            rules:
              - {name: sectors-add-up, type: hierarchy, group_by: [fiscal_year], codelist: test-sectors}
            """))
        try project.write("Raw/test/sectors.csv", table)
        return project
    }

    /// Before: 0 passes, 0 fails, 4 missing and "valid" (the parents were looked for among the measures).
    @Test func hierarchyOverACategoryDimensionFindsPartsThatDoNotSum() throws {
        let project = try sectorProject("""
            （単位：億円）
            部門,令和2年度,令和3年度,令和4年度,令和5年度
            計,100,110,120,130
            企業,70,77,84,91
            大学等,20,22,24,26
            公的機関,10,11,12,10

            """)
        let result = try project.runner.run(datasets: [], dryRun: true)[0]
        let report = try #require(result.report)
        #expect(!report.valid)
        let summary = try #require(report.checks.first { $0.name == "sectors-add-up" })
        #expect(summary.passes == 3 && summary.fails == 1 && summary.missing == 0)
        let finding = try #require(report.findings.first { $0.check == "sectors-add-up" })
        #expect(finding.code == .sumMismatch)
        #expect(finding.actual == "TOTAL 13000000000 in 2023+rd_spending")
        #expect(finding.location?.file == "Raw/test/sectors.csv" && finding.location?.row == 3 && finding.location?.raw == "130")
    }

    @Test func hierarchyOverACategoryDimensionPassesWhenPartsSum() throws {
        let project = try sectorProject("（単位：億円）\n部門,令和4年度,令和5年度\n計,120,127\n企業,84,91\n大学等,24,26\n公的機関,12,10\n")
        let report = try #require(try project.runner.run(datasets: [], dryRun: true)[0].report)
        #expect(report.valid, "\(report.findings)")
        #expect(report.checks.first { $0.name == "sectors-add-up" }?.passes == 2)
        #expect(report.checks.first { $0.name == RuleChecks.summaryName }.map { ($0.passes, $0.fails) } ?? (0, 0) == (1, 0))
    }

    /// A hierarchy whose codes never appear in the data checks nothing: an error, not a pass.
    @Test func ruleThatChecksNothingIsAnErrorFinding() throws {
        let project = try sectorProject("（単位：億円）\n部門,令和4年度\n企業,84\n大学等,24\n公的機関,12\n")   // no 計 row
        let result = try project.runner.run(datasets: [], dryRun: true)[0]
        let report = try #require(result.report)
        #expect(!report.valid)
        let finding = try #require(report.findings.first { $0.code == .checkedNothing })
        #expect(finding.check == "sectors-add-up" && finding.severity == .error)
        guard case .checked(valid: false) = result.status else { Issue.record("\(result.status)"); return }
    }

    /// A table that yields no row is not a valid (empty) dataset.
    @Test func tableWithNoRowsIsNotValid() throws {
        let project = try sectorProject("（単位：億円）\n部門,令和4年度\n")
        let report = try #require(try project.runner.run(datasets: [], dryRun: true)[0].report)
        #expect(!report.valid)
        #expect(report.findings.filter { $0.code == .checkedNothing }.map(\.check) == ["schema", "sectors-add-up"])
    }

    // MARK: rules naming what the spec does not have

    func shippedSpec(_ edit: (String) -> String) throws -> (ProjectCopy, String) {
        let project = try ProjectCopy()
        let file = "Pipelines/mext-joint-research.yaml"
        let text = String(decoding: try project.read(file), as: UTF8.self)
        let edited = edit(text)
        #expect(edited != text)
        try project.write(file, edited)
        return (project, edited)
    }

    static func line(of needle: String, in text: String) -> Int? {
        text.components(separatedBy: "\n").firstIndex { $0.contains(needle) }.map { $0 + 1 }
    }

    /// Before: passed, even with --fail-on warning. Now a spec error at the rule's `parts`.
    @Test func sumNamingMeasuresThatDoNotExistIsASpecError() throws {
        let (project, text) = try shippedSpec {
            $0.replacingOccurrences(of: "rules:\n", with: "rules:\n  - name: parts-add-up\n    type: sum\n    group_by: [fiscal_year]\n    total: amount\n    parts: [amount_small, amount_10m_plus]\n")
        }
        let results = try project.runner.run(datasets: ["mext-joint-research"], dryRun: true)
        guard case .failed(let error) = results[0].status else { Issue.record("\(results[0].status)"); return }
        #expect(error.code == .specError)
        #expect(error.location?.file == "Pipelines/mext-joint-research.yaml")
        #expect(error.location?.row == Self.line(of: "parts: [amount_small", in: text))
        #expect(error.message.contains("rules[0].parts") && error.message.contains("amount_small"))
    }

    @Test func ruleNamingAFieldTheSchemaLacksIsASpecError() throws {
        let (project, _) = try shippedSpec { $0.replacingOccurrences(of: "group_by: [fiscal_year]", with: "group_by: [year]") }
        guard case .failed(let error) = try project.runner.run(datasets: ["mext-joint-research"], dryRun: true)[0].status else {
            Issue.record("ran"); return
        }
        #expect(error.code == .specError && error.message.contains("field year"))
    }

    /// Two rules of one name would share one summary, so one could check nothing unnoticed.
    @Test func twoRulesOfOneNameAreASpecError() throws {
        let (project, _) = try shippedSpec { $0.replacingOccurrences(of: "name: no-tenfold-jumps", with: "name: fiscal-years-in-range") }
        guard case .failed(let error) = try project.runner.run(datasets: ["mext-joint-research"], dryRun: true)[0].status else {
            Issue.record("ran"); return
        }
        #expect(error.code == .specError && error.message.contains("used twice"))
    }

    /// A hierarchy over a sector field naming a code its code list does not have.
    @Test func hierarchyNamingAnUnknownCodeIsASpecError() throws {
        let project = try sectorProject("（単位：億円）\n部門,令和4年度\n計,1\n")
        let file = project.root + "/Pipelines/demo-sectors.yaml"
        try String(contentsOfFile: file, encoding: .utf8)
            .replacingOccurrences(of: "group_by: [fiscal_year], codelist: test-sectors}", with: "group_by: [fiscal_year], field: sector, children: {TOTAL: [BES, HES, PNP]}}")
            .write(toFile: file, atomically: true, encoding: .utf8)
        guard case .failed(let error) = try project.runner.run(datasets: [], dryRun: true)[0].status else { Issue.record("ran"); return }
        #expect(error.code == .specError && error.message.contains("code PNP"), "\(error)")
    }

    // MARK: the printed unit note

    func noteProject(unit: String, unitNote: String? = nil, amountLabel: String = "金額") throws -> ProjectCopy {
        let project = try ProjectCopy(pipelines: false)
        try project.write("Pipelines/demo-note.yaml", Self.spec(name: "demo-note", path: "Raw/test/note.csv", body: """
            read: {format: csv, encoding: utf-8, header_row: 2}
            shape:
            \(unitNote.map { "  unit_note: \($0)\n" } ?? "")  period: {column: 年度, field: fiscal_year, kind: fiscal}
              measures:
                - {column: 件数, name: projects, unit: 件}
                - {column: \(amountLabel), name: amount, unit: \(unit)}
            schema:
              fields:
                - {name: fiscal_year, type: integer}
                - {name: measure, type: string}
                - {name: value, type: number}
                - {name: unit, type: string}
              primary_key: [fiscal_year, measure]
            """))
        try project.write("Raw/test/note.csv", "（単位：百万円）\n年度,件数,\(amountLabel)\n令和4年度,12,340\n令和5年度,15,410\n")
        return project
    }

    func noteReport(unit: String, unitNote: String? = nil, amountLabel: String = "金額") throws -> ValidationReport? {
        let project = try noteProject(unit: unit, unitNote: unitNote, amountLabel: amountLabel)
        return try withExtendedLifetime(project) { try project.runner.run(datasets: [], dryRun: true)[0].report }
    }

    /// Before: published as USD, the note unread because the spec did not declare `unit_note`.
    @Test func measureInDollarsOnATablePrintedInYenFails() throws {
        let report = try #require(try noteReport(unit: "百万ドル"))
        #expect(!report.valid)
        let finding = try #require(report.findings.first)
        #expect(report.findings.count == 1)
        #expect(finding.code == .unitError)
        #expect(finding.location?.file == "Raw/test/note.csv" && finding.location?.row == 1 && finding.location?.raw == "百万円")
        #expect(finding.actual == "measure amount declared in 百万ドル")
    }

    @Test func wrongMultiplierAgainstTheNoteFailsAndTheRightUnitPasses() throws {
        #expect(try noteReport(unit: "千円")?.findings.map(\.code) == [.unitError])
        // The count column (件数) is of a kind the note does not name: left to its header.
        #expect(try noteReport(unit: "百万円")?.valid == true)
        // A unit printed in the column's own label overrides the note.
        #expect(try noteReport(unit: "百万ドル", amountLabel: "金額（百万ドル）")?.valid == true)
        // Declaring unit_note only adds the check that the note reads as declared.
        #expect(try noteReport(unit: "百万円", unitNote: "千円")?.findings.map(\.code) == [.unitError])
        #expect(try noteReport(unit: "百万ドル", unitNote: "百万円")?.findings.map(\.code) == [.unitError])
    }

    // MARK: placeholders and provenance

    /// Before: `curate describe`'s draft ran as drafted and published. Now every placeholder is named.
    @Test func describeDraftIsRefusedNamingEachPlaceholder() throws {
        let project = try ProjectCopy()
        let raw = "Raw/mext/joint-research/joint-research-private-companies.csv"
        let describer = Describer(units: try Project(root: project.root).unitRegistry())
        let draft = describer.draftSpec(try describer.describe(path: project.root + "/" + raw, displayPath: raw))
        let file = "Pipelines/joint-research-private-companies.yaml"
        try project.write(file, draft)
        let placeholders = draft.components(separatedBy: "\n").enumerated().filter { $0.element.contains("TODO") && !$0.element.hasPrefix("#") }
        #expect(placeholders.count >= 2)
        let results = try project.runner.run(datasets: ["joint-research-private-companies"], dryRun: true)
        guard case .failed(let error) = results[0].status else { Issue.record("\(results[0].status)"); return }
        #expect(error.code == .specError)
        #expect(error.location?.row == placeholders[0].offset + 1)
        for (offset, _) in placeholders { #expect(error.message.contains("\(file):\(offset + 1) ")) }
        #expect(error.message.contains("source.publisher") && error.message.contains("source.url"))
    }

    @Test(arguments: [("  url: https://www.mext.go.jp/a_menu/shinkou/sangaku/sangakub.htm\n", "url"),
                      ("  publisher: 文部科学省 (Ministry of Education, Culture, Sports, Science and Technology)\n", "publisher")])
    func sourceWithoutPublisherOrURLIsRefused(_ line: String, _ key: String) throws {
        let (project, _) = try shippedSpec { $0.replacingOccurrences(of: line, with: "") }
        guard case .failed(let error) = try project.runner.run(datasets: ["mext-joint-research"], dryRun: true)[0].status else {
            Issue.record("ran"); return
        }
        #expect(error.code == .specError && error.message.contains("missing required key \(key)"))
        #expect(error.location?.file == "Pipelines/mext-joint-research.yaml")
    }

    @Test func specWithoutLicenceIsRefused() throws {
        let (project, _) = try shippedSpec { text in
            var lines = text.components(separatedBy: "\n")
            let start = lines.firstIndex(of: "license:")!
            lines.removeSubrange(start...(start + 3))
            return lines.joined(separator: "\n")
        }
        guard case .failed(let error) = try project.runner.run(datasets: ["mext-joint-research"], dryRun: true)[0].status else {
            Issue.record("ran"); return
        }
        #expect(error.code == .specError && error.message.contains("license"))
    }

    @Test func everyShippedSpecLoads() throws {
        let set = try Project(root: repositoryRoot).loadSpecSet()
        #expect(set.broken.map { "\($0.error)" } == [])
        #expect(set.specs.count == (try Project(root: repositoryRoot).specFiles().count))
    }

    @Test func placeholderIsAWordNotAPart() {
        #expect(SpecChecks.isPlaceholder("TODO"))
        #expect(SpecChecks.isPlaceholder("TODO: the publisher"))
        #expect(SpecChecks.isPlaceholder("see (TODO)"))
        #expect(!SpecChecks.isPlaceholder("TODOROKI"))
        #expect(!SpecChecks.isPlaceholder("mastodon"))
    }

    // MARK: markers without a status field

    /// Before: rows holding a declared marker were dropped without a word.
    @Test func markersWithoutAStatusFieldAreASpecError() throws {
        let project = try ProjectCopy(pipelines: false)
        let spec = Self.spec(name: "demo-markers", path: "Raw/test/markers.csv", body: """
            read: {format: csv, encoding: utf-8, header_row: 1}
            shape:
              period: {column: 年度, field: fiscal_year, kind: fiscal}
              measures:
                - {column: 件数, name: projects, unit: 件}
            numbers:
              markers: {"-": zero}
            schema:
              fields:
                - {name: fiscal_year, type: integer}
                - {name: measure, type: string}
                - {name: value, type: number}
                - {name: unit, type: string}
              primary_key: [fiscal_year, measure]
            """)
        try project.write("Pipelines/demo-markers.yaml", spec)
        try project.write("Raw/test/markers.csv", "年度,件数\n令和4年度,12\n令和5年度,-\n")
        guard case .failed(let error) = try project.runner.run(datasets: [], dryRun: true)[0].status else { Issue.record("ran"); return }
        #expect(error.code == .specError && error.message.contains("status"))
        #expect(error.location?.file == "Pipelines/demo-markers.yaml" && error.location?.row == Self.line(of: "markers:", in: spec))
    }
}
