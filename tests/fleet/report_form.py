#!/usr/bin/python3
"""Writes a wide report form, as the import page's test uploads it, with a real spreadsheet writer (XlsxWriter):
sheet "Biểu 1", a title block over merged cells, a blank row, the header (Tổ chức, Kỳ, Tổng số đảng viên), then one
row per organisation; a number is stored as a number shown 8.408, and text where a cell is to be wrong.
Usage: report_form.py OUT.xlsx '[["HT-KCQDN-001", "2026-H1", 122], ...]'"""
import json
import sys

import xlsxwriter

out, rows = sys.argv[1], json.loads(sys.argv[2])
book = xlsxwriter.Workbook(out)
book.calc_on_load = False  # saved as a spreadsheet program saves it: nothing asks to be recalculated
sheet = book.add_worksheet("Biểu 1")
bold = book.add_format({"bold": True, "align": "center"})
shown = book.add_format({"num_format": "#,##0"})
for row, text in enumerate(["TỈNH ỦY HÀ TĨNH", "BIỂU 1: SỐ LƯỢNG ĐẢNG VIÊN 6 THÁNG ĐẦU NĂM 2026"]):
    sheet.merge_range(row, 0, row, 2, text, bold)
sheet.write_row(3, 0, ["Tổ chức", "Kỳ", "Tổng số đảng viên"])
for i, (org, period, members) in enumerate(rows):
    sheet.write_string(4 + i, 0, org)
    sheet.write_string(4 + i, 1, period)
    if isinstance(members, str):
        sheet.write_string(4 + i, 2, members)
    else:
        sheet.write_number(4 + i, 2, members, shown)
sheet.set_column(0, 0, 18)
sheet.set_column(2, 2, 20)
book.close()
