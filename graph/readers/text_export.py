"""Reader for a Word table exported to plain text.

The export puts each cell on its own line, indented by one tab, and separates rows by a blank line.
Lines that are not indented are not table cells: a title above the table, Word debris such as
"[bookmark: _GoBack]", page numbers such as "- 2 -". After such a line, a block that is not a full row
(a sign-off such as "市科委、中关村管委会办公室") is trailing matter. All of these are reported, none is a row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import InputError, Location, Notice
from graph.readers.base import COLUMNS, RawRow, RawTable, check_size, column_order, is_header
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


def read(path: Path, encoding: str | None = None) -> RawTable:
    check_size(path)
    decoded = decode_file(path, encoding)
    blocks, notices = _blocks(str(path), decoded.text)
    rows = _rows(str(path), blocks, notices)
    return RawTable(source=str(path), rows=rows, encoding=decoded.encoding, notices=notices)


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


def _rows(source: str, blocks: list[_Block], notices: list[Notice]) -> list[RawRow]:
    header_at = next((i for i, block in enumerate(blocks) if is_header(block.cells)), None)
    if header_at is None:
        raise InputError(
            Location(source),
            f"no table header found: expected a tab-indented header row {' / '.join(COLUMNS)}",
        )
    header = blocks[header_at]
    order = column_order(source, header.cells, Location(source, row=1, line=header.first_line))
    rows: list[RawRow] = []
    for block in blocks[header_at + 1 :]:
        row_number = len(rows) + 2
        if len(block.cells) == len(header.cells):
            cells = tuple(block.cells[i] for i in order)
            rows.append(RawRow(row_number, cells, block.first_line))  # type: ignore[arg-type]
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
                f"this row has {len(block.cells)} cell(s) but the header has {len(header.cells)}; "
                "in a text export each cell is one tab-indented line and rows are separated by a blank line",
            )
    return rows
