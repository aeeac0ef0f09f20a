"""Reader for a Word table exported to plain text.

The export puts each cell on its own line, indented by one tab, and separates rows by a blank line.
Lines that are not indented are not table cells: a title above the table, Word debris such as
"[bookmark: _GoBack]", page numbers such as "- 2 -". After such a line, a block that is not a full row
(a sign-off such as "市科委、中关村管委会办公室") is trailing matter. All of these are reported, none is a row.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import InputError, Location, Notice
from graph.readers.base import RawRow, RawTable, body_cells, check_size, find_header
from graph.readers.encoding import decode_file

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_PAGE_NUMBER = re.compile(r"^\s*[-—–]\s*\d+\s*[-—–]\s*$")
_WORD_DEBRIS = re.compile(r"^\s*\[(bookmark|anchor|image|footnote)[^\]]*\]\s*$", re.I)


@dataclass
class _Block:
    """Consecutive tab-indented lines: the cells of one row."""

    first_line: int
    cells: list[str] = field(default_factory=list)
    after_text: bool = False


def read(path: Path, encoding: str | None = None, columns: Mapping[str, str] | None = None) -> RawTable:
    check_size(path)
    decoded = decode_file(path, encoding)
    blocks, notices = _blocks(str(path), decoded.text)
    table = _rows(str(path), blocks, notices, columns)
    table.encoding = decoded.encoding
    table.remarks = [line.strip() for line in _LINE_BREAK.split(decoded.text) if line.strip() and line[0] != "\t"]
    return table


def _blocks(source: str, text: str) -> tuple[list[_Block], list[Notice]]:
    blocks: list[_Block] = []
    notices: list[Notice] = []
    current: _Block | None = None
    saw_text = False
    for number, line in enumerate(_LINE_BREAK.split(text), start=1):
        if line.startswith("\t"):
            if current is None:
                current = _Block(first_line=number, after_text=saw_text)
                blocks.append(current)
                saw_text = False
            current.cells.append(line[1:])
            continue
        current = None
        if line.strip():
            saw_text = True
            notices.append(Notice(Location(source, line=number), f"ignored {_kind(line)}: {line.strip()}", "info"))
    return blocks, notices


def _kind(line: str) -> str:
    if _PAGE_NUMBER.match(line):
        return "page number"
    if _WORD_DEBRIS.match(line):
        return "Word export marker"
    return "text outside the table"


def _rows(source: str, blocks: list[_Block], notices: list[Notice], given: Mapping[str, str] | None) -> RawTable:
    cells = [block.cells for block in blocks]
    found = find_header(
        source, cells, given, lambda i: Location(source, row=1, line=blocks[i].first_line), search=len(blocks)
    )
    if found is None:
        raise InputError(
            Location(source),
            "no table header found: expected a tab-indented header row such as 分类 / 任务编号 / 任务内容 / 责任单位 "
            "or 序号 / 重点任务 / 牵头单位 / 配合单位",
        )
    header_at, layout = found
    width = len(blocks[header_at].cells)
    rows: list[RawRow] = []
    for block in blocks[header_at + layout.header_rows :]:
        row_number = len(rows) + 1 + layout.header_rows
        if len(block.cells) == width:
            rows.append(RawRow(row_number, body_cells(layout, block.cells), block.first_line))
        elif block.after_text:
            text = " / ".join(cell.strip() for cell in block.cells)
            notices.append(
                Notice(
                    Location(source, line=block.first_line), f"ignored trailing text after the table: {text}", "info"
                )
            )
        else:
            raise InputError(
                Location(source, row=row_number, line=block.first_line),
                f"this row has {len(block.cells)} cell(s) but the header has {width}; "
                "in a text export each cell is one tab-indented line and rows are separated by a blank line",
            )
    return RawTable(source=source, rows=rows, notices=notices, layout=layout)
