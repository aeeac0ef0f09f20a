"""Reader for a .docx file holding the task-division table as a real Word table.

A vertically merged cell (w:vMerge) continues the cell above: its continuation reads as an empty cell,
exactly as the text export shows it. A horizontally merged cell (w:gridSpan) has no meaning in this
table and is reported as an error.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.table import CT_Tbl, CT_Tc
from docx.text.paragraph import Paragraph

from graph.errors import InputError, Location
from graph.readers.base import RawRow, RawTable, check_archive, column_order, is_header

_HEADER_SEARCH_ROWS = 5


def read(path: Path, encoding: str | None = None) -> RawTable:
    check_archive(path)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise InputError(Location(str(path)), f"is not a readable .docx file ({error})") from None
    for table in document.tables:
        found = _read_table(str(path), table._tbl)
        if found is not None:
            return found
    raise InputError(Location(str(path)), "has no table with the header 分类 / 任务编号 / 任务内容 / 责任单位")


def holds_task_table(path: Path) -> bool:
    """Whether a .docx holds a table with the task-table header in its first rows (it is a table, not prose)."""
    check_archive(path)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise InputError(Location(str(path)), f"is not a readable .docx file ({error})") from None
    return any(
        is_header([cell.text for cell in row.cells])
        for table in document.tables
        for row in table.rows[:_HEADER_SEARCH_ROWS]
    )


def _read_table(source: str, tbl: CT_Tbl) -> RawTable | None:
    grid = [[_cell(source, r, tc) for tc in tr.tc_lst] for r, tr in enumerate(tbl.tr_lst, start=1)]
    header_at = next((i for i, cells in enumerate(grid[:_HEADER_SEARCH_ROWS]) if is_header(cells)), None)
    if header_at is None:
        return None
    header = grid[header_at]
    order = column_order(source, header, Location(source, row=header_at + 1))
    rows = []
    for index, cells in enumerate(grid[header_at + 1 :], start=header_at + 2):
        if len(cells) != len(header):
            raise InputError(
                Location(source, row=index),
                f"this row has {len(cells)} cell(s) but the header has {len(header)}",
            )
        rows.append(RawRow(index, tuple(cells[i] for i in order)))  # type: ignore[arg-type]
    return RawTable(source=source, rows=rows, encoding=None)


def _cell(source: str, row: int, tc: CT_Tc) -> str:
    if tc.grid_span > 1:
        raise InputError(
            Location(source, row=row),
            f"a cell spans {tc.grid_span} columns; merge cells only vertically in a task-division table",
        )
    if tc.vMerge == "continue":
        return ""
    paragraphs = [Paragraph(p, None).text for p in tc.p_lst]  # type: ignore[arg-type]
    while paragraphs and paragraphs[-1] == "" and len(paragraphs) > 1:
        paragraphs.pop()
    return "\n".join(paragraphs)
