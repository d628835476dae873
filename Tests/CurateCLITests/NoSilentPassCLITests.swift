import Foundation
import Testing

/// Cases that published with exit 0 before, run through the executable in a scratch project:
/// now exit 1 (data) or 2 (spec) with the place named; one broken spec no longer stops the others;
/// the refresh preview and a single release's diff.
@Suite struct NoSilentPassCLITests {
    typealias Scratch = CLITests.Scratch

    func curate(_ arguments: [String], in scratch: Scratch) throws -> CLITests.Result {
        try CLITests.curate(arguments, in: scratch.root)
    }

    func edit(_ scratch: Scratch, _ file: String, _ change: (String) -> String) throws -> String {
        let path = scratch.root + "/" + file
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let edited = change(text)
        #expect(edited != text, "no change to \(file)")
        try edited.write(toFile: path, atomically: true, encoding: .utf8)
        return edited
    }

    static func line(of needle: String, in text: String) -> Int {
        (text.components(separatedBy: "\n").firstIndex { $0.contains(needle) } ?? -1) + 1
    }

    /// Before: published in dollars (the spec did not declare `unit_note`, so the note was not read).
    @Test func dollarsDeclaredOnATablePrintedInYenExit1() throws {
        let scratch = try Scratch()
        _ = try edit(scratch, "Pipelines/mext-joint-research-fy2023.yaml") {
            $0.replacingOccurrences(of: "  unit_note: 億円\n", with: "").replacingOccurrences(of: "name: amount, unit: 億円", with: "name: amount, unit: 億ドル")
        }
        let run = try curate(["validate", "mext-joint-research-fy2023"], in: scratch)
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("[unit-error] Raw/mext/joint-research-fy2023/joint-research-fy2023.csv:2 \"億円\""), "\(run.stdout)")
        #expect(run.stdout.contains("measure amount declared in 億ドル"))
    }

    /// Before: passed, even with --fail-on warning.
    @Test func sumNamingMissingMeasuresExit2AndTheOthersStillRun() throws {
        let scratch = try Scratch()
        let text = try edit(scratch, "Pipelines/mext-joint-research.yaml") {
            $0.replacingOccurrences(of: "rules:\n", with: "rules:\n  - {name: parts, type: sum, group_by: [fiscal_year], total: amount, parts: [amount_small, amount_big]}\n")
        }
        let run = try curate(["run", "--fail-on", "warning"], in: scratch)
        #expect(run.status == 2)
        let line = Self.line(of: "amount_small", in: text)
        #expect(run.stderr.contains("[spec-error] Pipelines/mext-joint-research.yaml:\(line):"), "\(run.stderr)")
        #expect(run.stderr.contains("measure amount_small"))
        #expect(run.stdout.contains("mext-joint-research: not run: [spec-error]"))
        #expect(run.stdout.contains("university-licensing-us-japan: published release"))
        // status, list and diff go on with the others.
        let list = try curate(["list"], in: scratch)
        #expect(list.status == 0)
        #expect(list.stdout.contains("mext-joint-research\tspec-error"))
        #expect(list.stdout.contains("university-licensing-us-japan\tpublished"))
        let status = try curate(["status"], in: scratch)
        #expect(status.status == 0 && status.stdout.contains("spec-error"))
        let diff = try curate(["diff", "university-licensing-us-japan"], in: scratch)
        #expect(diff.status == 0 && diff.stdout.contains("has one release"), "\(diff.stdout)\(diff.stderr)")
    }

    /// Before: `curate describe`'s draft ran as drafted and published.
    @Test func describeDraftRunAsDraftedExit2NamingEachPlaceholder() throws {
        let scratch = try Scratch()
        let raw = "Raw/mext/joint-research/joint-research-private-companies.csv"
        let draft = try curate(["describe", raw], in: scratch)
        #expect(draft.status == 0)
        try draft.stdout.write(toFile: scratch.root + "/Pipelines/joint-research-private-companies.yaml", atomically: true, encoding: .utf8)
        let run = try curate(["validate", "joint-research-private-companies"], in: scratch)
        #expect(run.status == 2)
        let file = "Pipelines/joint-research-private-companies.yaml"
        for needle in ["publisher: TODO", "url: TODO"] {
            #expect(run.stderr.contains("\(file):\(Self.line(of: needle, in: draft.stdout)) "), "\(run.stderr)")
        }
    }

    /// Before: 0 passes, 0 fails, 4 missing and "valid". Made-up sectors and values.
    @Test func hierarchyOverASectorDimensionExit1() throws {
        let scratch = try Scratch()
        try """
            id: test-sectors
            title: Test sectors
            source: made up for the test
            codes:
              - {code: BES, label: 企業, group: TOTAL}
              - {code: HES, label: 大学等, group: TOTAL}
              - {code: TOTAL, label: 計}
            """.write(toFile: scratch.root + "/Pipelines/reference/codelists/test-sectors.yaml", atomically: true, encoding: .utf8)
        try """
            name: demo-sectors
            title: Synthetic table
            license: {name: CC0-1.0}
            source: {title: test, publisher: made up for the test, url: https://example.org/test, path: Raw/test/sectors.csv}
            read: {format: csv, encoding: utf-8, header_row: 1}
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
            rules:
              - {name: sectors-add-up, type: hierarchy, group_by: [fiscal_year], codelist: test-sectors}
            """.write(toFile: scratch.root + "/Pipelines/demo-sectors.yaml", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: scratch.root + "/Raw/test", withIntermediateDirectories: true)
        try "部門,令和4年度,令和5年度\n計,100,110\n企業,80,80\n大学等,20,20\n"
            .write(toFile: scratch.root + "/Raw/test/sectors.csv", atomically: true, encoding: .utf8)
        let run = try curate(["validate", "demo-sectors"], in: scratch)
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("[sum-mismatch] Raw/test/sectors.csv:2:3 [令和5年度] \"110\""), "\(run.stdout)")
    }

    @Test func validateShowsWhatTheNewRawFileWouldChange() throws {
        let scratch = try Scratch()
        #expect(try curate(["run"], in: scratch).status == 0)
        let path = scratch.root + "/" + CLITests.raw
        let text = String(data: try Data(contentsOf: URL(fileURLWithPath: path)), encoding: .shiftJIS)!
        try text.replacingOccurrences(of: "令和5年度,,\"1,028\",595", with: "令和5年度,,\"1,030\",595")
            .data(using: .shiftJIS)!.write(to: URL(fileURLWithPath: path))
        let run = try curate(["validate", "mext-joint-research"], in: scratch)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("0 added, 0 removed, 1 changed"), "\(run.stdout)")
        #expect(run.stdout.contains("~ 2023+amount value: 102800000000 → 103000000000"))
        let dry = try curate(["run", "--dry-run", "mext-joint-research"], in: scratch)
        #expect(dry.stdout.contains("~ 2023+amount value: 102800000000 → 103000000000"))
    }
}
