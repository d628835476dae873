"""Generates the XLSX test fixtures (run: .venv/bin/python make_fixtures.py).

Every value is made up for tests: these are not statistics.
"""
import datetime
import zipfile

import openpyxl
import xlsxwriter

# 1. xlsxwriter: shared strings, a merged title, a two-row header with merged cells, numbers,
#    a date, a formula's cached value, a boolean, blank cells and a second sheet.
wb = xlsxwriter.Workbook("printed-table.xlsx")
ws = wb.add_worksheet("表1")
bold = wb.add_format({"bold": True})
date = wb.add_format({"num_format": "yyyy-mm-dd"})
ws.merge_range("A1:D1", "合成表：共同研究（テスト用の架空の値）", bold)
ws.write("A2", "（単位：件、百万円）")
ws.merge_range("A3:A4", "年度")
ws.merge_range("B3:C3", "共同研究")
ws.write("D3", "備考")
ws.write("B4", "件数")
ws.write("C4", "受入額")
ws.write("A5", "令和4年度")
ws.write_number("B5", 1234)
ws.write_number("C5", 56.5)
ws.write("A6", "令和5年度")
ws.write_number("B6", 1300)
ws.write_formula("C6", "=C5+1", None, 57.5)
ws.write_datetime("D6", datetime.datetime(2024, 3, 31), date)
ws.write("A7", "計")
ws.write_boolean("D7", True)
ws.write("A9", "注：数値は架空")
ws2 = wb.add_worksheet("Sheet2")
ws2.write("A1", "other")
wb.close()

# 2. openpyxl: inline strings (t="inlineStr"), sparse cells, a 1904-free default workbook.
wb2 = openpyxl.Workbook()
ws3 = wb2.active
ws3.title = "data"
ws3["A1"] = "code"
ws3["B1"] = "value"
ws3["A2"] = "A"
ws3["B2"] = 1.5
ws3["A3"] = "B"
ws3["C3"] = "extra"
ws3["A5"] = "E"
ws3["B5"] = -2
wb2.save("inline-strings.xlsx")

# 3. Hostile archives.
with zipfile.ZipFile("zip-slip.xlsx", "w") as z:
    z.writestr("[Content_Types].xml", "<Types/>")
    z.writestr("../../evil.txt", "x")
with zipfile.ZipFile("zip-bomb.xlsx", "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    z.writestr("[Content_Types].xml", "<Types/>")
    z.writestr("xl/workbook.xml", '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
               'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
               '<sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
               '<Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>')
    # 300 MB of empty rows: tiny when deflated, and no single text node for the XML limits to catch
    z.writestr("xl/worksheets/sheet1.xml", "<worksheet><sheetData>" + "<row/>" * (50 * 1024 * 1024) + "</sheetData></worksheet>")

# 4. The same bomb with its declared (central directory and local header) size rewritten to 1,000
#    bytes: a reader that trusts declared sizes lets it inflate.
data = bytearray(open("zip-bomb.xlsx", "rb").read())
name = b"xl/worksheets/sheet1.xml"
pos = 0
while True:
    pos = data.find(b"PK\x01\x02", pos)
    if pos < 0:
        break
    name_len = int.from_bytes(data[pos + 28:pos + 30], "little")
    if bytes(data[pos + 46:pos + 46 + name_len]) == name:
        data[pos + 24:pos + 28] = (1000).to_bytes(4, "little")
        local = int.from_bytes(data[pos + 42:pos + 46], "little")
        data[local + 22:local + 26] = (1000).to_bytes(4, "little")
    pos += 4
open("zip-bomb-lying-size.xlsx", "wb").write(bytes(data))
