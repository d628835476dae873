import Foundation
import Testing

/// `curate read` on the field's formats: legacy Excel and e-Stat JSON detected by their bytes, and
/// warnings capped per code.
@Suite struct ReadFieldFormatsTests {
    static let fixtures = CLITests.repositoryRoot + "/Tests/IngestTests/Fixtures/"

    @Test func xlsAndEStatJSONAreDetected() throws {
        let xls = try CLITests.curate(["read", Self.fixtures + "xls/same-workbook.xls"], in: NSTemporaryDirectory())
        let xlsx = try CLITests.curate(["read", Self.fixtures + "xls/same-workbook.xlsx"], in: NSTemporaryDirectory())
        #expect(xls.status == 0, "\(xls.stderr)")
        #expect(xls.stdout == xlsx.stdout && xls.stdout.split(separator: "\n").count == 6)
        let json = try CLITests.curate(["read", Self.fixtures + "estat/v3-meta-paged.synthetic.json"], in: NSTemporaryDirectory())
        let xml = try CLITests.curate(["read", Self.fixtures + "estat/v3-meta-paged.synthetic.xml"], in: NSTemporaryDirectory())
        #expect(json.status == 0 && json.stderr.isEmpty, "\(json.stderr)")
        #expect(json.stdout == xml.stdout && json.stdout.split(separator: "\n").count == 4)
    }

    /// 40 ragged rows: ten warnings shown, then one line with the count of the rest.
    @Test func warningsAreCappedPerCodeWithACount() throws {
        let dir = NSTemporaryDirectory() + "curate-cap-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let text = "a,b\n" + String(repeating: "1,2,3\n", count: 40)
        try text.write(toFile: dir + "/ragged.csv", atomically: true, encoding: .utf8)
        let read = try CLITests.curate(["read", "ragged.csv"], in: dir)
        let lines = read.stderr.split(separator: "\n")
        #expect(lines.count(where: { $0.contains("[extra-cell] ragged.csv:") }) == 10)
        #expect(lines.contains { $0.contains("[extra-cell] 30 more not shown (40 in all)") })
        #expect(read.stdout.split(separator: "\n").count == 40)
    }

    /// describe outside any project folder (the e-Stat download wherever it was saved); --json rows 1-based.
    @Test func describeWorksOutsideAProject() throws {
        let file = Self.fixtures + "estat-download/wide-wareki-prefectures.cp932.csv"
        let draft = try CLITests.curate(["describe", file], in: NSTemporaryDirectory())
        #expect(draft.status == 0, "\(draft.stderr)")
        #expect(draft.stdout.contains("layout: years-across") && draft.stdout.contains("label_column: \"全国・都道府県\""))
        let json = try CLITests.curate(["describe", file, "--json", "--header-row", "1"], in: NSTemporaryDirectory())
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(json.status == 0 && (object?["header"] as? [String: Any])?["rows"] as? [Int] == [1])
    }
}
