"""The responsibility matrix as an SVG picture, drawn on the server: no script, text in a CJK font stack.

Task texts too long for their column are cut with … and given in full in a <title>; units are headed by their short
names set upright, one character under the other, with their full names in a <title>. Text is escaped by the XML
serializer (ElementTree), and characters XML cannot hold are dropped. The font stack, the text widths and the
cutting are graph.pictures.svg's, as for every other picture.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from graph.matrix.grid import LEAD, MARKS, PARTICIPATING, Matrix, word
from graph.pictures.svg import FONT_STACK, shorten, xml_safe

PAD, NUMBER_W, TEXT_W, CELL_W, TOTAL_W = 16, 36, 330, 26, 48
ROW_H, HEAD_ROW_H, CHAR_H, TITLE_H = 22, 24, 14, 64
FONT_SIZE = 12


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
    title = f"{_pick(matrix.policy.labels.zh, matrix.policy.labels.en, lang)} · {word('matrix', lang)}"
    _sub(svg, "title", title, id="title")
    _sub(svg, "desc", _description(matrix, lang), id="desc")
    _sub(svg, "rect", width=str(layout.width), height=str(layout.height), fill="#ffffff")
    _sub(svg, "text", title, x=str(PAD), y=str(PAD + 16), **{"font-size": "16", "font-weight": "bold"})
    legend = f"● {word('lead', lang)} · ○ {word('participating', lang)}"  # SVG collapses runs of spaces
    if matrix.document_number:
        legend = f"{matrix.document_number} · {legend}"
    _sub(svg, "text", legend, x=str(PAD), y=str(PAD + 38), fill="#444444")
    _header(svg, matrix, layout, lang)
    y = layout.body_top
    for group in matrix.groups:
        _sub(svg, "rect", x=str(PAD), y=str(y), width=str(layout.inner_width), height=str(HEAD_ROW_H), fill="#eef2f7")
        heading = shorten(group.heading(lang), FONT_SIZE, layout.inner_width - 8)
        _sub(svg, "text", heading, x=str(PAD + 4), y=str(y + 16), **{"font-weight": "bold"})
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
    label = _sub(svg, "text", shorten(text, FONT_SIZE, TEXT_W - 8), x=str(PAD + NUMBER_W), y=base)
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
    for key, values in matrix.totals():
        base = str(y + 15)
        _sub(svg, "text", word(key, lang), x=str(PAD), y=base, **{"font-weight": "bold"})
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
    element = ET.SubElement(parent, tag, {key: xml_safe(value) for key, value in attributes.items()})
    if text is not None:
        element.text = xml_safe(text)
    return element
