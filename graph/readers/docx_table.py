"""Reader for a .docx file holding a task table as a real Word table.

A vertically merged cell (w:vMerge) continues the cell above: its continuation reads as an empty cell, exactly as
the text export shows it, and the row records that it is one (`RawRow.merged`). A horizontally merged cell
(w:gridSpan) may group the columns of a two-row header (责任单位 over 牵头单位 / 配合单位); in a body row it has no
meaning and is reported as an error. The document's paragraphs outside its tables are the table's remarks (a title
such as 附件1 重点任务分工表, a note below it).
"""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.table import CT_Tbl, CT_Tc
from docx.text.paragraph import Paragraph

from graph.errors import InputError, Location
from graph.readers.base import RawRow, RawTable, body_cells, check_archive, find_header, is_header

_HEADER_SEARCH_ROWS = 5


def read(path: Path, encoding: str | None = None, columns: Mapping[str, str] | None = None) -> RawTable:
    check_archive(path)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise InputError(Location(str(path)), f"is not a readable .docx file ({error})") from None
    for table in document.tables:
        found = _read_table(str(path), table._tbl, columns)
        if found is not None:
            found.remarks = [p.text.strip() for p in document.paragraphs if p.text.strip()]
            return found
    raise InputError(
        Location(str(path)),
        "has no table with a task-table header (such as 分类 / 任务编号 / 任务内容 / 责任单位, or 序号 / 重点任务 / "
        "牵头单位 / 配合单位)",
    )


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


def _read_table(source: str, tbl: CT_Tbl, given: Mapping[str, str] | None) -> RawTable | None:
    grid = [[cell for tc in tr.tc_lst for cell in _cells(tc)] for tr in tbl.tr_lst]
    texts = [[text for text, _ in cells] for cells in grid]
    found = find_header(source, texts, given, lambda i: Location(source, row=i + 1), search=_HEADER_SEARCH_ROWS)
    if found is None:
        return None
    header_at, layout = found
    width = len(grid[header_at])
    rows = []
    first_body = header_at + layout.header_rows
    for index, cells in enumerate(grid[first_body:], start=first_body + 1):
        if any(span > 1 for span in _spans(tbl.tr_lst[index - 1])):
            span = max(_spans(tbl.tr_lst[index - 1]))
            raise InputError(
                Location(source, row=index),
                f"a cell spans {span} columns; merge cells only vertically in a task-division table",
            )
        if len(cells) != width:
            raise InputError(
                Location(source, row=index),
                f"this row has {len(cells)} cell(s) but the header has {width}",
            )
        merged = frozenset(i for i, (_, continued) in enumerate(cells) if continued)
        kept = body_cells(layout, [text for text, _ in cells])
        positions = [column.position - 1 for column in layout.columns] if layout.legacy else list(range(len(kept)))
        rows.append(RawRow(index, kept, merged=frozenset(k for k, p in enumerate(positions) if p in merged)))
    return RawTable(source=source, rows=rows, encoding=None, layout=layout, knows_merges=True)


def _spans(tr: object) -> list[int]:
    return [tc.grid_span for tc in tr.tc_lst]  # type: ignore[attr-defined]


def _cells(tc: CT_Tc) -> list[tuple[str, bool]]:
    """A cell's text and whether it continues the cell above; a cell spanning columns is its text, then empties."""
    if tc.vMerge == "continue":
        return [("", True)] * tc.grid_span
    paragraphs = [Paragraph(p, None).text for p in tc.p_lst]  # type: ignore[arg-type]
    while paragraphs and paragraphs[-1] == "" and len(paragraphs) > 1:
        paragraphs.pop()
    return [("\n".join(paragraphs), False)] + [("", False)] * (tc.grid_span - 1)
