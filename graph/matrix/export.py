"""The responsibility matrix as files: CSV and XLSX with the same cells; `WRITERS` adds the SVG picture.

The sheet layout (`sheet`): a header row (task number, task, each unit's short name, units per task), then per
category a row with its heading in the first cell and the category's tasks below it (● lead, ○ participating),
then rows totalling leads, participations and both per unit. The XLSX has that sheet (category rows merged,
the header and the task columns frozen) and a second sheet naming each unit in full. Interface words are Chinese
or English (`lang`); the table's own text (tasks, short names) stays as the source gives it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from graph.matrix.grid import MARKS, Matrix, word
from graph.matrix.svg import to_svg
from graph.pictures.svg import xml_safe

Cell = str | int


def filename(matrix: Matrix, extension: str) -> str:
    """An ASCII file name for downloads: `responsibility-matrix-eli-cn-bj-…-attachment-1.csv`."""
    slug = re.sub(r"[^a-z0-9]+", "-", matrix.policy.id.lower()).strip("-") or "table"
    return f"responsibility-matrix-{slug}.{extension}"


# --- the sheet ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SheetRow:
    kind: str  # header, category, task, total
    cells: list[Cell]


def sheet(matrix: Matrix, lang: str = "zh") -> list[SheetRow]:
    """The sheet, row by row, as CSV and XLSX hold it (numbers as int)."""
    width = 3 + len(matrix.units)
    header: list[Cell] = [
        word("number", lang),
        word("task", lang),
        *(unit.short for unit in matrix.units),
        word("units", lang),
    ]
    rows = [SheetRow("header", header)]
    for group in matrix.groups:
        heading: list[Cell] = [group.heading(lang)]
        rows.append(SheetRow("category", heading + [""] * (width - 1)))
        for row in group.rows:
            marks = [MARKS.get(role or "", "") for role in row.roles]
            rows.append(SheetRow("task", [row.number, row.text, *marks, row.units]))
    for key, values in matrix.totals():
        rows.append(SheetRow("total", [word(key, lang), "", *values, sum(values)]))
    return rows


def cells(matrix: Matrix, lang: str = "zh") -> list[list[Cell]]:
    return [row.cells for row in sheet(matrix, lang)]


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # OWASP's list: a tab or CR before = also starts a formula
_PLAIN_NUMBER = re.compile(r"-?[0-9.,]+")  # a negative number is no formula (as in defusedcsv)


def defuse(cell: Cell) -> str:
    """A cell as CSV text; one a spreadsheet would run as a formula (= + - @, tab, CR first) is kept as text, but a
    plain negative number (-5, -1,000.5) stays a number."""
    text = str(cell)
    return "'" + text if text.startswith(_FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text) else text


def to_csv(matrix: Matrix, lang: str = "zh") -> bytes:
    """UTF-8 with a byte order mark, so that Excel reads the Chinese; CRLF line ends, as RFC 4180 has them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([defuse(cell) for cell in row] for row in cells(matrix, lang))
    return buffer.getvalue().encode("utf-8-sig")


# --- XLSX --------------------------------------------------------------------------------------------------
def to_xlsx(matrix: Matrix, lang: str = "zh") -> bytes:
    """The sheet of `sheet()` (strings always text, never formulas) and a sheet naming the units in full."""
    from openpyxl import Workbook  # imported here: loading openpyxl costs ~0.3 s and most commands never need it

    workbook = Workbook()
    first = workbook.active
    first.title = word("matrix", lang)
    _fill_matrix(first, sheet(matrix, lang), matrix)
    _fill_units(workbook.create_sheet(word("sheet_units", lang)), matrix, lang)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _append(worksheet: Any, values: Sequence[Cell]) -> None:
    worksheet.append([xml_safe(v) if isinstance(v, str) else v for v in values])
    for cell in worksheet[worksheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # text, never a formula, whatever it starts with


def _fill_matrix(worksheet: Any, rows: list[SheetRow], matrix: Matrix) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold, tint = Font(bold=True), PatternFill("solid", fgColor="EEF2F7")
    width = len(rows[0].cells)
    for number, row in enumerate(rows, start=1):
        _append(worksheet, row.cells)
        line = worksheet[number]
        if row.kind == "category":
            worksheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=width)
            line[0].font, line[0].fill = bold, tint
            continue
        line[1].alignment = Alignment(wrap_text=True, vertical="top")
        for cell in line[2:]:
            cell.alignment = Alignment(horizontal="center", vertical="center")
        if row.kind in ("header", "total"):
            for cell in line:
                cell.font = bold
    for cell in worksheet[1][2:-1]:  # the units' short names, set upright one character under the other
        cell.alignment = Alignment(horizontal="center", vertical="top", textRotation=255)
        cell.fill = tint
    longest = max((len(unit.short) for unit in matrix.units), default=4)
    worksheet.row_dimensions[1].height = 14 * longest + 6
    worksheet.column_dimensions["A"].width = 8
    worksheet.column_dimensions["B"].width = 60
    for column in range(3, width):
        worksheet.column_dimensions[get_column_letter(column)].width = 4.5
    worksheet.column_dimensions[get_column_letter(width)].width = 8
    worksheet.freeze_panes = "C2"


def _fill_units(worksheet: Any, matrix: Matrix, lang: str) -> None:
    from openpyxl.styles import Font

    keys = ("short", "name_zh", "name_en", "leads", "joins", "total", "iri")
    _append(worksheet, [word(key, lang) for key in keys])
    for unit in matrix.units:
        _append(
            worksheet,
            [unit.short, unit.label.zh or "", unit.label.en or "", unit.leads, unit.joins, unit.total, unit.iri],
        )
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFG", (24, 40, 60, 10, 10, 10, 50), strict=True):
        worksheet.column_dimensions[letter].width = width
    worksheet.freeze_panes = "B2"


WRITERS = {"csv": to_csv, "xlsx": to_xlsx, "svg": to_svg}
