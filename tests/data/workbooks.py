#!/usr/bin/python3
"""Writes the tests' Excel workbooks with a real spreadsheet writer (XlsxWriter, Debian's python3-xlsxwriter),
each beside the same figures as CSV, from tests/data: a long and a wide report form with a title block over merged
cells, a Vietnamese sheet name, formulas with their saved values, numbers formatted for display, a sheet of
instructions with no table; the tree with its days as date cells; and workbooks that must be refused.
With --hostile, also archives a reader must refuse or bound: truncated, zip bombs (honest, and lying about their
size), a declared size of 1 GiB, entity expansion.
Usage: tests/data/workbooks.py OUT [--hostile]"""
import csv
import datetime
import os
import struct
import sys
import zipfile

import xlsxwriter

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = sys.argv[1]
os.makedirs(OUT, exist_ok=True)

with open(os.path.join(HERE, "values.csv"), encoding="utf-8") as f:
    VALUES = list(csv.DictReader(f))
with open(os.path.join(HERE, "tree.csv"), encoding="utf-8") as f:
    TREE = list(csv.DictReader(f))

LABELS = {"members_total": "Tổng số đảng viên", "members_female": "Đảng viên nữ",
          "admissions": "Kết nạp đảng viên mới", "discipline_members": "Đảng viên bị kỷ luật",
          "rating_orgs": "Xếp loại tổ chức đảng"}
CATEGORIES = {"khien_trach": "Khiển trách", "canh_cao": "Cảnh cáo", "htxs": "Hoàn thành xuất sắc nhiệm vụ",
              "htt": "Hoàn thành tốt nhiệm vụ"}


def workbook(name, calculated=True):
    book = xlsxwriter.Workbook(os.path.join(OUT, name))
    # As a spreadsheet program saves a workbook it has calculated: each formula's result saved beside it, and
    # nothing asking to calculate again on opening. XlsxWriter's default asks (fullCalcOnLoad), as files from
    # writers that calculate nothing do: the importer refuses their formulas (recalculate.xlsx).
    book.calc_on_load = not calculated
    return book


def title_block(book, sheet, width, lines):
    merged = book.add_format({"bold": True, "align": "center"})
    for row, text in enumerate(lines):
        sheet.merge_range(row, 0, row, width - 1, text, merged)


def write_csv(name, header, rows):
    with open(os.path.join(OUT, name), "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(header)
        out.writerows(rows)


def number(sheet, row, col, value, shown, formula=False):
    """A figure as a report form holds it: a plain number, a formula whose saved value it is, or a number shown
    with a thousands separator; every third one a formula, every fifth one displayed as 1.234."""
    if formula:
        sheet.write_formula(row, col, "=%d+%d" % (value - value // 2, value // 2), None, value)
    else:
        sheet.write_number(row, col, float(value), shown)


def long_form(name, calculated=True):
    book = workbook(name, calculated)
    sheet = book.add_worksheet("Số liệu – Biểu 1")
    shown = book.add_format({"num_format": "#,##0"})
    title_block(book, sheet, 5, ["BÁO CÁO SỐ LIỆU CÔNG TÁC ĐẢNG", "Kỳ báo cáo: năm 2026"])
    header_row = 3  # a blank row under the title, as the forms have
    sheet.write_row(header_row, 0, ["Tổ chức", "Chỉ số", "Kỳ", "Phân loại", "Giá trị"])
    for i, v in enumerate(VALUES):
        row = header_row + 1 + i
        sheet.write_string(row, 0, v["org"])
        sheet.write_string(row, 1, LABELS[v["indicator"]] if i % 2 else v["indicator"])
        sheet.write_string(row, 2, v["period"])
        if v["category"]:
            sheet.write_string(row, 3, CATEGORIES[v["category"]])
        elif i == 1:  # a formula whose saved value is empty text: an empty cell, as displayed
            sheet.write_formula(row, 3, '=IF(1=2,"x","")', None, "")
        number(sheet, row, 4, int(v["value"]), shown if i % 5 == 0 else None, formula=i % 3 == 0)
    notes = book.add_worksheet("Hướng dẫn")
    notes.write(0, 0, "Mỗi dòng một số liệu: tổ chức, chỉ số, kỳ, phân loại (nếu có), giá trị.")
    lookup = book.add_worksheet("Danh sách")  # a hidden list the form's drop-downs use, headed like a table
    lookup.write_row(0, 0, ["Tổ chức", "Tên"])
    lookup.write_row(1, 0, ["B2", "Chi bộ Sở Tư pháp"])
    lookup.hide()
    book.close()
    write_csv(name.replace(".xlsx", ".csv"), ["org", "indicator", "period", "category", "value"],
              [[v["org"], v["indicator"], v["period"], v["category"], v["value"]] for v in VALUES])


def wide_columns():
    columns = []
    for v in VALUES:
        column = (v["indicator"], v["category"])
        if column not in columns:
            columns.append(column)
    return columns


def wide_form(name, bad_cells=()):
    """One row per organisation and period, one column per indicator (and category): Biểu 1 as printed."""
    book = workbook(name)
    sheet = book.add_worksheet("Biểu 1")
    shown = book.add_format({"num_format": "#,##0"})
    columns = wide_columns()
    title_block(book, sheet, 2 + len(columns),
                ["ĐẢNG BỘ TỈNH THỬ NGHIỆM", "BIỂU 1: SỐ LIỆU ĐẢNG VIÊN, KẾT NẠP, KỶ LUẬT", "(Kèm theo báo cáo năm 2026)"])
    header_row = 4
    headers = ["Tổ chức", "Kỳ"] + [LABELS[i] + ("." + CATEGORIES[c] if c else "") for i, c in columns]
    sheet.write_row(header_row, 0, headers)
    keys = []
    for v in VALUES:
        if (v["org"], v["period"]) not in keys:
            keys.append((v["org"], v["period"]))
    csv_rows = []
    for r, (org, period) in enumerate(keys):
        row = header_row + 1 + r
        sheet.write_string(row, 0, org)
        sheet.write_string(row, 1, period)
        csv_row = [org, period]
        for c, (indicator, category) in enumerate(columns):
            found = [v for v in VALUES if (v["org"], v["period"], v["indicator"], v["category"]) ==
                     (org, period, indicator, category)]
            csv_row.append(found[0]["value"] if found else "")
            if found:
                number(sheet, row, 2 + c, int(found[0]["value"]), shown if r % 5 == 0 else None,
                       formula=(r + c) % 3 == 0)
        csv_rows.append(csv_row)
    for cell, text in bad_cells:
        sheet.write_string(cell, text)
    book.close()
    if not bad_cells:
        write_csv(name.replace(".xlsx", ".csv"), ["org", "period"] + [i + ("." + c if c else "") for i, c in columns],
                  csv_rows)


def tree_form(name):
    """The tree, its days as date cells (shown 01/01/2020) and an open end left empty."""
    book = workbook(name)
    sheet = book.add_worksheet("Tổ chức đảng")
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, ["Mã", "Tên", "Cấp trên", "Cấp", "Loại hình", "Từ ngày", "Đến ngày"])
    for r, o in enumerate(TREE):
        row = 1 + r
        for c, key in enumerate(["code", "name", "parent", "level", "type"]):
            if o[key]:
                sheet.write_string(row, c, o[key])
        for c, key in ((5, "valid_from"), (6, "valid_to")):
            if o[key]:
                y, m, d = map(int, o[key].split("-"))
                sheet.write_datetime(row, c, datetime.datetime(y, m, d), day)
    book.close()


def declare_size(name, part, size):
    """Patches the size the archive declares for `part` (its local header and its central directory entry), as a
    hostile file would: the data stays as it was."""
    path = os.path.join(OUT, name)
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(part)
    data = bytearray(open(path, "rb").read())
    struct.pack_into("<I", data, info.header_offset + 22, size)
    central = data.rfind(b"PK\x01\x02")
    while data[central + 46:central + 46 + len(part)] != part.encode():
        central = data.rfind(b"PK\x01\x02", 0, central)
        assert central >= 0, part
    struct.pack_into("<I", data, central + 24, size)
    open(path, "wb").write(data)


def padded_sheet(name, megabytes, declared=None):
    """A workbook whose one sheet is a real table padded with white space to `megabytes` once unpacked: a small
    file that unpacks big (a zip bomb, of valid XML)."""
    with zipfile.ZipFile(os.path.join(OUT, "values-long.xlsx")) as source, \
            zipfile.ZipFile(os.path.join(OUT, name), "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                out.writestr(item, source.read(item))
                continue
            xml = source.read(item)
            head, tail = xml.split(b"<sheetData>")
            with out.open(item.filename, "w", force_zip64=True) as sheet:
                sheet.write(head + b"<sheetData>")
                blank = b" " * (1 << 20)
                for _ in range(megabytes):
                    sheet.write(blank)
                sheet.write(tail)
    if declared is not None:
        declare_size(name, "xl/worksheets/sheet1.xml", declared)


def rewritten(source_name, name, part, change):
    """A copy of a workbook with one part's XML changed by `change`, as a damaged or hostile file would have it."""
    with zipfile.ZipFile(os.path.join(OUT, source_name)) as source, \
            zipfile.ZipFile(os.path.join(OUT, name), "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item)
            out.writestr(item, change(data) if item.filename == part else data)


def hostile():
    whole = open(os.path.join(OUT, "values-long.xlsx"), "rb").read()
    # A cell reference with no column letters.
    rewritten("values-long.xlsx", "bad-reference.xlsx", "xl/worksheets/sheet1.xml",
              lambda xml: xml.replace(b'<c r="A5"', b'<c r="5"', 1))
    # One shared string of 1 MiB, used by every text cell of the sheet: read once, not once per cell.
    rewritten("values-long.xlsx", "shared-1mib.xlsx", "xl/sharedStrings.xml",
              lambda xml: xml.replace(b"<si><t>", b"<si><t>" + b"x" * (1 << 20), 1))
    # A figure under a header cell left empty, in a long table.
    rewritten("values-long.xlsx", "unheaded.xlsx", "xl/worksheets/sheet1.xml",
              lambda xml: xml.replace(b'</c></row><row r="6"', b'</c><c r="G5"><v>7</v></c></row><row r="6"', 1))
    open(os.path.join(OUT, "truncated.xlsx"), "wb").write(whole[:len(whole) * 2 // 3])
    # A sheet declaring 1 GiB: refused before a byte of it is unpacked.
    with zipfile.ZipFile(os.path.join(OUT, "values-long.xlsx")) as source, \
            zipfile.ZipFile(os.path.join(OUT, "declares-1gib.xlsx"), "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            out.writestr(item, source.read(item))
    declare_size("declares-1gib.xlsx", "xl/worksheets/sheet1.xml", 1 << 30)
    padded_sheet("unpacks-600mib.xlsx", 600)  # more than a workbook may unpack to, declared honestly
    padded_sheet("unpacks-64mib-declares-1kib.xlsx", 64, declared=1024)  # a lie the reader stops at
    padded_sheet("unpacks-200mib.xlsx", 200)  # within the bound: read, a piece at a time
    # Entity expansion (a billion laughs): a DTD, which no workbook has.
    with zipfile.ZipFile(os.path.join(OUT, "values-long.xlsx")) as source, \
            zipfile.ZipFile(os.path.join(OUT, "entities.xlsx"), "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/sharedStrings.xml":
                laughs = "".join('<!ENTITY l%d "%s">' % (i, ("&l%d;" % (i - 1)) * 10 if i else "ha") for i in range(10))
                data = data.replace(b"<sst", ('<!DOCTYPE sst [%s]><sst' % laughs).encode(), 1)
                data = data.replace(b"<t>", b"<t>&l9;", 1)
            out.writestr(item, data)


long_form("values-long.xlsx")
wide_form("values-wide.xlsx")
tree_form("tree.xlsx")
# Refused: two bad cells (a figure that is no number, an organisation the tree does not have), and formulas
# whose saved values nothing calculated.
wide_form("values-wide-bad.xlsx", bad_cells=[("D7", "mười"), ("A9", "B9")])
long_form("recalculate.xlsx", calculated=False)
os.remove(os.path.join(OUT, "recalculate.csv"))
if "--hostile" in sys.argv:
    hostile()
