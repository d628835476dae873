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

@Suite struct PrintedLayoutTests {
    @Test(arguments: [
        ([["年度", "共同研究", "", "備考"], ["", "件数", "受入額", ""]], ["年度", "共同研究_件数", "共同研究_受入額", "備考"]),
        ([["年度", "共同研究", "共同研究", "備考"], ["年度", "件数", "受入額"]], ["年度", "共同研究_件数", "共同研究_受入額", "備考"]),
        ([["区分", "研究費", "", "", ""], ["", "計", "企業", "", "大学"], ["", "", "大企業", "中小", ""]],
         ["区分", "研究費_計", "研究費_企業_大企業", "研究費_企業_中小", "研究費_大学"]),
        ([["a", "b"]], ["a", "b"]),
    ])
    func multiRowHeadersCombine(_ rows: [[String]], _ expected: [String]) {
        #expect(TableLayout.combine(rows) == expected)
    }

    @Test(arguments: [(["計", "1"], true), (["合計", "1"], true), (["小計（国立）", "1"], true), (["　総数　", "2"], true),
                      (["", "計", "3"], true), (["会計", "1"], false), (["計測機器", "1"], false), (["令和5年度", "1"], false)])
    func subtotalRows(_ cells: [String], _ expected: Bool) { #expect(TableLayout().isSubtotal(cells) == expected) }

    @Test func twoRowHeaderInACSVExport() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("h.csv", "表題\n（単位：件）\n年度,共同研究,,備考\n,件数,受入額,\n令和4年度,10,20,\n計,10,20,\n")
        var rows: [TableRow] = []
        let frame = try TableReader(csv: try CSVReader(path: file), layout: TableLayout(headerRecord: 3, headerRows: 2))
            .read(row: { rows.append($0) }, finding: { _ in })
        #expect(frame.header == ["年度", "共同研究_件数", "共同研究_受入額", "備考"])
        #expect(frame.headerLine == 3)
        #expect(rows.map(\.isSubtotal) == [false, true])
        #expect(rows.map(\.line) == [5, 6])
    }

    @Test func twoRowHeaderInASpreadsheetWithMergedCells() throws {
        let frame = try TableReader(csv: try XLSXReader(path: fixture("xlsx/printed-table.xlsx")), layout: TableLayout(headerRecord: 3, headerRows: 2))
            .read(row: { _ in }, finding: { _ in })
        #expect(frame.header == ["年度", "共同研究_件数", "共同研究_受入額", "備考"])
    }
}
