import Testing
import CurateCore
@testable import Ingest

@Suite struct TableReaderTests {
    static let printed = """
        大学等における産学連携等実施状況　民間企業との共同研究
        （単位：件、億円）

        年度,件数,受入額
        平成24年度,"16,925",341

        令和5年度,,"1,028"
        注１：受入額は概数。
        ,資料：文部科学省
        """

    @Test func findsHeaderUnitNoteAndFootnotes() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("t.csv", Self.printed)
        for layout in [TableLayout(headerRecord: 4), TableLayout()] {
            var rows: [TableRow] = []
            var findings: [Finding] = []
            let frame = try TableReader(csv: try CSVReader(path: file), layout: layout)
                .read(row: { rows.append($0) }, finding: { findings.append($0) })
            #expect(frame.header == ["年度", "件数", "受入額"])
            #expect(frame.headerLine == 4)
            #expect(frame.unitNote?.text == "件、億円")
            #expect(frame.unitNote?.line == 2)
            #expect(frame.footnotes.map(\.text) == ["注１：受入額は概数。", "資料：文部科学省"])
            #expect(rows == [TableRow(line: 5, cells: ["平成24年度", "16,925", "341"]),
                             TableRow(line: 7, cells: ["令和5年度", "", "1,028"])])
            #expect(findings.isEmpty)
        }
    }

    @Test func raggedRowsAreReportedAndPassedOnUnchanged() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("r.csv", "a,b,c\n1,2\n1,2,3,4\n")
        var rows: [TableRow] = []
        var findings: [Finding] = []
        try TableReader(csv: try CSVReader(path: file), layout: TableLayout(headerRecord: 1))
            .read(row: { rows.append($0) }, finding: { findings.append($0) })
        #expect(rows.map(\.cells) == [["1", "2"], ["1", "2", "3", "4"]])
        #expect(findings.map(\.code) == [.missingCell, .extraCell])
        #expect(findings.map { $0.location?.row } == [2, 3])
        #expect(findings.map(\.actual) == ["2", "4"])
        #expect(findings.map(\.expected) == ["3", "3"])
    }

    @Test func blankAndDuplicateLabels() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("l.csv", "年度,,値,値\n2021,1,2,3\n")
        var findings: [Finding] = []
        try TableReader(csv: try CSVReader(path: file), layout: TableLayout(headerRecord: 1))
            .read(row: { _ in }, finding: { findings.append($0) })
        #expect(findings.map(\.code) == [.blankLabel, .duplicateLabel])
        #expect(findings.map { $0.location?.column } == [2, 4])
    }

    @Test func headerRowBeyondTheFileIsAFormatError() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("s.csv", "a,b\n1,2\n")
        #expect {
            try TableReader(csv: try CSVReader(path: file), layout: TableLayout(headerRecord: 9)).read(row: { _ in }, finding: { _ in })
        } throws: { ($0 as? CurateError)?.code == .formatError }
    }

    @Test(arguments: [
        ("（単位：千円）", "千円"), ("単位:百万円", "百万円"), ("(十億円)", "十億円"), ("（単位：件、億円）", "件、億円"),
        ("表1　共同研究（単位：人）", "人"), ("単位　千人", "千人"),
    ])
    func unitNotes(_ line: String, _ unit: String) { #expect(UnitNote.find(in: line) == unit) }

    @Test(arguments: ["民間企業との共同研究", "(注)数値は概数", "（2021年度）", ""])
    func linesWithoutUnitNotes(_ line: String) { #expect(UnitNote.find(in: line) == nil) }
}
