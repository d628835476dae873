import Foundation
import Testing
import CurateCore
@testable import Ingest

@Suite struct XLSXReaderTests {
    static func rows(_ name: String, sheet: String? = nil) throws -> [RawRecord] {
        var out: [RawRecord] = []
        try XLSXReader(path: fixture("xlsx/" + name), sheet: sheet).forEachRecord { out.append($0) }
        return out
    }

    @Test func sharedStringsMergedCellsNumbersDatesAndFormulas() throws {
        let rows = try Self.rows("printed-table.xlsx")
        #expect(rows.map(\.line) == [1, 2, 3, 4, 5, 6, 7, 9])
        let title = "合成表：共同研究（テスト用の架空の値）"
        #expect(rows[0].fields == [title, title, title, title])          // merged A1:D1 spread
        #expect(rows[1].fields == ["（単位：件、百万円）"])
        #expect(rows[2].fields == ["年度", "共同研究", "共同研究", "備考"])   // B3:C3 spread
        #expect(rows[3].fields == ["年度", "件数", "受入額"])              // A3:A4 spread down
        #expect(rows[4].fields == ["令和4年度", "1234", "56.5"])
        #expect(rows[5].fields == ["令和5年度", "1300", "57.5", "2024-03-31"])
        #expect(rows[6].fields == ["計", "", "", "TRUE"])
    }

    @Test func sheetByNameAndUnknownSheet() throws {
        #expect(try Self.rows("printed-table.xlsx", sheet: "Sheet2").map(\.fields) == [["other"]])
        #expect(try XLSXReader(path: fixture("xlsx/printed-table.xlsx")).sheetNames == ["表1", "Sheet2"])
        #expect { _ = try XLSXReader(path: fixture("xlsx/printed-table.xlsx"), sheet: "nope") } throws: { error in
            let e = error as? CurateError
            return e?.code == .formatError && e?.message.contains("表1, Sheet2") == true
        }
    }

    @Test func inlineStringsAndSparseCells() throws {
        #expect(try Self.rows("inline-strings.xlsx").map(\.fields) == [["code", "value"], ["A", "1.5"], ["B", "", "extra"], ["E", "-2"]])
        #expect(try Self.rows("inline-strings.xlsx").map(\.line) == [1, 2, 3, 5])
    }

    @Test func printedLayoutThroughTheTableReader() throws {
        var rows: [TableRow] = []
        let frame = try TableReader(csv: try XLSXReader(path: fixture("xlsx/printed-table.xlsx")), layout: TableLayout(headerRecord: 4))
            .read(row: { rows.append($0) }, finding: { _ in })
        #expect(frame.unitNote?.text == "件、百万円")
        #expect(rows.map { $0.cells.first } == ["令和4年度", "令和5年度", "計"])
        #expect(frame.footnotes.map(\.text) == ["注：数値は架空"])
    }

    @Test func entryNamesLeavingTheArchiveAreRefused() {
        #expect { _ = try XLSXReader(path: fixture("xlsx/zip-slip.xlsx")) } throws: { ($0 as? CurateError)?.code == .zipError }
        // Found by the long fuzz run: a ZIP64 local-header offset ≥ 2^63 made ZIPFoundation trap (exit 132).
        #expect { _ = try XLSXReader(path: fixture("xlsx/zip64-offset-beyond-int64.xlsx")) } throws: { ($0 as? CurateError)?.code == .zipError }
        // Found by the next long run: the end record says the directory is 0 bytes long but counts 33
        // entries, which ZIPFoundation walks anyway, to an offset ≥ 2^63 (the same trap).
        #expect { _ = try XLSXReader(path: fixture("xlsx/central-directory-size-zero.xlsx")) } throws: { ($0 as? CurateError)?.code == .zipError }
    }

    @Test(arguments: ["zip-bomb.xlsx", "zip-bomb-lying-size.xlsx"])
    func zipBombsAreStoppedWhileInflating(_ name: String) throws {
        let start = Date()
        #expect { _ = try Self.rows(name) } throws: { ($0 as? CurateError)?.code == .zipLimit }
        #expect(Date().timeIntervalSince(start) < 2)
    }

    @Test func notAZipIsAZipError() {
        #expect { _ = try XLSXReader(path: fixture("csv/cp932-windows-extensions.csv")) } throws: { ($0 as? CurateError)?.code == .zipError }
    }

    @Test(arguments: [(1.0, "1900-01-01"), (59.0, "1900-02-28"), (61.0, "1900-03-01"), (45382.0, "2024-03-31"),
                      (43586.5, "2019-05-01T12:00:00"), (0.0, "1899-12-31")])
    func excelSerialDates(_ serial: Double, _ iso: String) { #expect(ExcelDate.iso(serial, date1904: false) == iso) }

    @Test func cellReferences() {
        #expect(CellRange.cell("A1")! == (0, 0))
        #expect(CellRange.cell("AB12")! == (11, 27))
        #expect(CellRange.cell("$C$3")! == (2, 2))
        #expect(CellRange.cell("12") == nil)
        #expect(CellRange.cell("XFE1") == nil)
    }
}
