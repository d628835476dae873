"""Writes the same small workbook twice: as legacy Excel (.xls, BIFF8 in OLE2, with xlwt 1.3.0) and as
.xlsx (with xlsxwriter 3.2.0), so that a test can check that both read to the same records.
Every value is made up; nothing here is a statistic.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install xlwt==1.3.0 xlsxwriter==3.2.0
    /tmp/venv/bin/python make_fixtures.py
"""
import datetime

import xlsxwriter
import xlwt

TITLE = "表１　架空の研究開発費（テスト用）"
NOTE = "（単位：百万円）"
HEADER = ["年度", "区分", "受入額（百万円）", "件数", "比率"]
ROWS = [
    ["令和3年度", "企業", 1200, 35, 0.25],
    ["令和3年度", "大学等", 850, 12, 0.125],
    ["令和4年度", "企業", 1320, 38, 1.5],
    ["令和4年度", "大学等", "-", "x", "…"],
    ["計", "", 3370, 85, ""],
]
DATE = datetime.date(2024, 3, 31)
FOOTNOTE = "注：値は架空である。"
SECOND = [["コード", "名称"], ["01", "北海道"], ["13", "東京都"]]


def layout():
    """(row, column, value) of every non-empty cell of the first sheet."""
    cells = [(0, 0, TITLE), (1, 0, NOTE)]
    cells += [(3, c, v) for c, v in enumerate(HEADER)]
    for r, row in enumerate(ROWS):
        cells += [(4 + r, c, v) for c, v in enumerate(row) if v != ""]
    cells += [(9, 0, "公表日"), (9, 1, DATE), (11, 0, FOOTNOTE)]
    return cells


def write_xls(path):
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("表1")
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for r, c, v in layout():
        if isinstance(v, datetime.date):
            sheet.write(r, c, v, date_style)
        else:
            sheet.write(r, c, v)
    codes = book.add_sheet("コード")
    for r, row in enumerate(SECOND):
        for c, v in enumerate(row):
            codes.write(r, c, v)
    book.save(path)


def write_xlsx(path):
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("表1")
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    for r, c, v in layout():
        if isinstance(v, datetime.date):
            sheet.write_datetime(r, c, datetime.datetime(v.year, v.month, v.day), date_format)
        else:
            sheet.write(r, c, v)
    codes = book.add_worksheet("コード")
    for r, row in enumerate(SECOND):
        for c, v in enumerate(row):
            codes.write_string(r, c, v)
    book.close()


write_xls("same-workbook.xls")
write_xlsx("same-workbook.xlsx")
