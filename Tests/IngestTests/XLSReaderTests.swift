import Foundation
import Testing
import CurateCore
@testable import Ingest

@Suite struct XLSReaderTests {
    static func rows(_ source: some RecordSource) throws -> [RawRecord] {
        var out: [RawRecord] = []
        try source.forEachRecord { out.append($0) }
        return out
    }

    /// The same workbook written by xlwt (BIFF8) and xlsxwriter (see xls/make_fixtures.py).
    @Test func xlsReadsToTheSameRecordsAsTheSameWorkbookAsXLSX() throws {
        let xls = try Self.rows(XLSReader(path: fixture("xls/same-workbook.xls")))
        let xlsx = try Self.rows(XLSXReader(path: fixture("xls/same-workbook.xlsx")))
        #expect(xls == xlsx)
        #expect(xls.count == 10)
        #expect(xls.first?.fields == ["表１　架空の研究開発費（テスト用）"])
        #expect(xls.map(\.line) == [1, 2, 4, 5, 6, 7, 8, 9, 10, 12])
        #expect(xls[3].fields == ["令和3年度", "企業", "1200", "35", "0.25"])
        #expect(xls[6].fields == ["令和4年度", "大学等", "-", "x", "…"])
        #expect(xls[8].fields == ["公表日", "2024-03-31"])
    }

    @Test func sheetsByNameAndTheirList() throws {
        let reader = try XLSReader(path: fixture("xls/same-workbook.xls"), sheet: "コード")
        #expect(reader.sheetNames == ["表1", "コード"])
        let rows = try Self.rows(reader)
        #expect(rows.map(\.fields) == [["コード", "名称"], ["01", "北海道"], ["13", "東京都"]])
        #expect(throws: CurateError.self) { try XLSReader(path: fixture("xls/same-workbook.xls"), sheet: "表9") }
    }

    @Test func tableReaderFindsHeaderAndFootnoteAsInXLSX() throws {
        func frame(_ source: some RecordSource) throws -> (TableFrame, [TableRow]) {
            var rows: [TableRow] = []
            let frame = try TableReader(csv: source, layout: TableLayout()).read(row: { rows.append($0) }, finding: { _ in })
            return (frame, rows)
        }
        let (a, rowsA) = try frame(XLSReader(path: fixture("xls/same-workbook.xls")))
        let (b, rowsB) = try frame(XLSXReader(path: fixture("xls/same-workbook.xlsx")))
        #expect(a == b && rowsA == rowsB)
        #expect(a.header == ["年度", "区分", "受入額（百万円）", "件数", "比率"])
        #expect(a.footnotes.map(\.text) == ["注：値は架空である。"])
        #expect(rowsA.filter(\.isSubtotal).count == 1)
    }

    @Test func detectedByTheOLE2Signature() throws {
        #expect(try FileFormat.detect(path: fixture("xls/same-workbook.xls")) == .xls)
        #expect(try FileFormat.detect(path: fixture("xls/same-workbook.xlsx")) == .xlsx)
    }

    /// A file with the OLE2 signature and nothing valid behind it, and a truncated workbook: refused
    /// with `xls-error`, never a crash.
    @Test func brokenWorkbooksAreRefused() throws {
        let dir = try TemporaryDirectory()
        let junk = try dir.write("junk.xls", FileFormat.ole2Magic + [UInt8](repeating: 0x41, count: 4000))
        #expect { try XLSReader(path: junk) } throws: { ($0 as? CurateError)?.code == .xlsError }
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: fixture("xls/same-workbook.xls"))))
        let truncated = try dir.write("truncated.xls", Array(bytes.prefix(bytes.count / 2)))
        #expect {
            let reader = try XLSReader(path: truncated)
            _ = try Self.rows(reader)
        } throws: { ($0 as? CurateError)?.code == .xlsError }
    }
}
