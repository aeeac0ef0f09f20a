"""The responsibility matrix as files: CSV and XLSX with the same cells, and an SVG picture.

The sheet layout (`cells`): a header row (task number, task, each unit's short name, units per task), then per
category a row with its heading in the first cell and the category's tasks below it (● lead, ○ participating),
then rows totalling leads, participations and both per unit. The XLSX has that sheet (category rows merged,
the header and the task columns frozen) and a second sheet naming each unit in full. Interface words are Chinese
or English (`lang`); the table's own text (tasks, short names) stays as the source gives it.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from graph.matrix import LEAD, PARTICIPATING, Matrix, Unit

MARKS = {LEAD: "●", PARTICIPATING: "○"}
FONT_STACK = "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"
WORDS = {
    "number": ("编号", "No."),
    "task": ("任务内容", "Task"),
    "units": ("单位数", "Units"),
    "lead": ("牵头", "lead"),
    "participating": ("配合", "participating"),
    "leads": ("牵头 ●", "Lead ●"),
    "joins": ("配合 ○", "Participating ○"),
    "total": ("合计", "Total"),
    "matrix": ("责任矩阵", "Responsibility matrix"),
    "short": ("简称", "Short name"),
    "name_zh": ("全称", "Name (Chinese)"),
    "name_en": ("英文名称", "Name (English)"),
    "iri": ("IRI", "IRI"),
    "sheet_units": ("单位", "Units"),
}
Cell = str | int


def word(key: str, lang: str) -> str:
    zh, en = WORDS[key]
    return en if lang == "en" else zh


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
    for key, count in (("leads", _leads), ("joins", _joins), ("total", _total)):
        values = [count(unit) for unit in matrix.units]
        rows.append(SheetRow("total", [word(key, lang), "", *values, sum(values)]))
    return rows


def cells(matrix: Matrix, lang: str = "zh") -> list[list[Cell]]:
    return [row.cells for row in sheet(matrix, lang)]


def _leads(unit: Unit) -> int:
    return unit.leads


def _joins(unit: Unit) -> int:
    return unit.joins


def _total(unit: Unit) -> int:
    return unit.total


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # OWASP's list: a tab or CR before = also starts a formula


def defuse(cell: Cell) -> str:
    """A cell as CSV text; one a spreadsheet would run as a formula (= + - @, tab, CR first) is kept as text."""
    text = str(cell)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


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
    worksheet.append([_XML_INVALID.sub("", v) if isinstance(v, str) else v for v in values])
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


# --- SVG ---------------------------------------------------------------------------------------------------
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 cannot hold
PAD, NUMBER_W, TEXT_W, CELL_W, TOTAL_W = 16, 36, 330, 26, 48
ROW_H, HEAD_ROW_H, CHAR_H, TITLE_H = 22, 24, 14, 64
FONT_SIZE = 12


def text_width(text: str, size: int = FONT_SIZE) -> float:
    """Roughly how wide `text` sets: CJK and full-width characters one em, others about half."""
    return sum(size if unicodedata.east_asian_width(c) in "WF" else size * 0.55 for c in text)


def clip(text: str, width: float, size: int = FONT_SIZE) -> str:
    """`text` cut to fit `width`, ending in … when cut."""
    if text_width(text, size) <= width:
        return text
    kept = ""
    for character in text:
        if text_width(kept + character + "…", size) > width:
            break
        kept += character
    return kept + "…"


def to_svg(matrix: Matrix, lang: str = "zh") -> bytes:
    """The matrix as an SVG picture: text is set in a CJK font stack and escaped by the XML serializer."""
    layout = _Layout(matrix)
    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "width": str(layout.width),
            "height": str(layout.height),
            "viewBox": f"0 0 {layout.width} {layout.height}",
            "font-family": FONT_STACK,
            "font-size": str(FONT_SIZE),
            "role": "img",
            "aria-labelledby": "title desc",
            "lang": "en" if lang == "en" else "zh-Hans",
        },
    )
    title = f"{_pick(matrix.policy.label.zh, matrix.policy.label.en, lang)} · {word('matrix', lang)}"
    _sub(svg, "title", title, id="title")
    _sub(svg, "desc", _description(matrix, lang), id="desc")
    _sub(svg, "rect", width=str(layout.width), height=str(layout.height), fill="#ffffff")
    _sub(svg, "text", title, x=str(PAD), y=str(PAD + 16), **{"font-size": "16", "font-weight": "bold"})
    legend = f"● {word('lead', lang)}   ○ {word('participating', lang)}"
    if matrix.document_number:
        legend = f"{matrix.document_number}   {legend}"
    _sub(svg, "text", legend, x=str(PAD), y=str(PAD + 38), fill="#444444")
    _header(svg, matrix, layout, lang)
    y = layout.body_top
    for group in matrix.groups:
        _sub(svg, "rect", x=str(PAD), y=str(y), width=str(layout.inner_width), height=str(HEAD_ROW_H), fill="#eef2f7")
        _sub(svg, "text", clip(group.heading(lang), layout.inner_width - 8), x=str(PAD + 4), y=str(y + 16),
             **{"font-weight": "bold"})  # fmt: skip
        y += HEAD_ROW_H
        for row in group.rows:
            _task_row(svg, matrix, layout, row.number, row.text, row.roles, row.units, y, lang)
            y += ROW_H
    _totals(svg, matrix, layout, y, lang)
    body = ET.tostring(svg, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


class _Layout:
    def __init__(self, matrix: Matrix) -> None:
        longest = max((len(unit.short) for unit in matrix.units), default=2)
        self.header_h = CHAR_H * longest + 12
        self.units_left = PAD + NUMBER_W + TEXT_W
        self.total_left = self.units_left + CELL_W * len(matrix.units)
        self.inner_width = NUMBER_W + TEXT_W + CELL_W * len(matrix.units) + TOTAL_W
        self.width = self.inner_width + 2 * PAD
        self.body_top = TITLE_H + self.header_h
        rows = len(matrix.rows)
        self.height = self.body_top + HEAD_ROW_H * len(matrix.groups) + ROW_H * (rows + 3) + PAD

    def centre(self, column: int) -> int:
        return self.units_left + CELL_W * column + CELL_W // 2


def _header(svg: ET.Element, matrix: Matrix, layout: _Layout, lang: str) -> None:
    top, bottom = TITLE_H, TITLE_H + layout.header_h
    _sub(svg, "line", x1=str(PAD), y1=str(bottom), x2=str(PAD + layout.inner_width), y2=str(bottom), stroke="#333333")
    _sub(svg, "text", word("number", lang), x=str(PAD), y=str(bottom - 6), **{"font-weight": "bold"})
    _sub(svg, "text", word("task", lang), x=str(PAD + NUMBER_W), y=str(bottom - 6), **{"font-weight": "bold"})
    _sub(svg, "text", word("units", lang), x=str(layout.total_left + TOTAL_W - 4), y=str(bottom - 6),
         **{"font-weight": "bold", "text-anchor": "end"})  # fmt: skip
    for column, unit in enumerate(matrix.units):
        group = _sub(svg, "g")
        _sub(group, "title", f"{unit.short}: {_pick(unit.label.zh, unit.label.en, lang)}")
        text = _sub(group, "text", **{"text-anchor": "middle", "font-weight": "bold"})
        for index, character in enumerate(unit.short):  # set upright, one character under the other
            y = top + 6 + CHAR_H * (index + 1)
            _sub(text, "tspan", character, x=str(layout.centre(column)), y=str(y))


def _task_row(
    svg: ET.Element,
    matrix: Matrix,
    layout: _Layout,
    number: int,
    text: str,
    roles: Sequence[str | None],
    units: int,
    y: int,
    lang: str,
) -> None:
    base = str(y + 15)
    _sub(svg, "line", x1=str(PAD), y1=str(y + ROW_H), x2=str(PAD + layout.inner_width), y2=str(y + ROW_H),
         stroke="#dddddd")  # fmt: skip
    _sub(svg, "text", str(number), x=str(PAD + NUMBER_W - 10), y=base, **{"text-anchor": "end"})
    label = _sub(svg, "text", clip(text, TEXT_W - 8), x=str(PAD + NUMBER_W), y=base)
    _sub(label, "title", text)
    for column, (unit, role) in enumerate(zip(matrix.units, roles, strict=True)):
        if role is None:
            continue
        mark = _sub(svg, "text", MARKS[role], x=str(layout.centre(column)), y=base, **{"text-anchor": "middle"},
                    fill="#1f4e79" if role == LEAD else "#333333")  # fmt: skip
        _sub(mark, "title", f"{number} · {unit.short}: {word(role, lang)}")
    _sub(svg, "text", str(units), x=str(layout.total_left + TOTAL_W - 4), y=base, **{"text-anchor": "end"})


def _totals(svg: ET.Element, matrix: Matrix, layout: _Layout, y: int, lang: str) -> None:
    _sub(svg, "line", x1=str(PAD), y1=str(y), x2=str(PAD + layout.inner_width), y2=str(y), stroke="#333333")
    for key, count in (("leads", _leads), ("joins", _joins), ("total", _total)):
        base = str(y + 15)
        _sub(svg, "text", word(key, lang), x=str(PAD), y=base, **{"font-weight": "bold"})
        values = [count(unit) for unit in matrix.units]
        for column, value in enumerate(values):
            _sub(svg, "text", str(value), x=str(layout.centre(column)), y=base, **{"text-anchor": "middle"})
        _sub(svg, "text", str(sum(values)), x=str(layout.total_left + TOTAL_W - 4), y=base,
             **{"text-anchor": "end", "font-weight": "bold"})  # fmt: skip
        y += ROW_H


def _description(matrix: Matrix, lang: str) -> str:
    tasks, units = len(matrix.rows), len(matrix.units)
    leads, joins = matrix.count(LEAD), matrix.count(PARTICIPATING)
    if lang == "en":
        return f"{tasks} tasks by {units} units: {leads} led (●), {joins} participating (○)."
    return f"{tasks} 项任务，{units} 个单位：牵头 {leads} 项（●），配合 {joins} 项（○）。"


def _pick(zh: str | None, en: str | None, lang: str) -> str:
    return ((en or zh) if lang == "en" else (zh or en)) or ""


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {key: _XML_INVALID.sub("", value) for key, value in attributes.items()})
    if text is not None:
        element.text = _XML_INVALID.sub("", text)
    return element


WRITERS = {"csv": to_csv, "xlsx": to_xlsx, "svg": to_svg}
