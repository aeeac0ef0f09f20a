"""Readers for .csv and .xlsx task tables, with any header graph.readers.header can map.

Rows are numbered as a spreadsheet numbers them. A header may be preceded by title rows (kept as the table's
remarks) and may span two rows. Empty cells below a filled one are merged-cell continuations, as in Word (an .xlsx
says which cells are merged); fully empty rows are skipped and reported.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from graph.errors import InputError, Location, Notice
from graph.readers.base import RawRow, RawTable, body_cells, check_archive, check_size, find_header, is_header
from graph.readers.encoding import decode_file
from graph.readers.lines import SourceLine, SourceText, clean

_HEADER_SEARCH_ROWS = 10
_HEADER_SEARCH_CHARS = 8192
_DELIMITERS = (",", "\t", ";")
_MAX_CELL_CHARS = 1_000_000


def read_csv(path: Path, encoding: str | None = None, columns: Mapping[str, str] | None = None) -> RawTable:
    records, used = _csv_records(path, encoding)
    table = _table(str(path), records, columns)
    table.encoding = used
    return table


def _csv_records(path: Path, encoding: str | None) -> tuple[list[tuple[int, list[str]]], str | None]:
    check_size(path)
    decoded = decode_file(path, encoding)
    text = decoded.text
    previous_limit = csv.field_size_limit(_MAX_CELL_CHARS)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    except csv.Error as error:
        raise InputError(Location(str(path)), f"is not valid CSV ({error})") from None
    finally:
        csv.field_size_limit(previous_limit)
    return list(enumerate(records, start=1)), decoded.encoding


def read_title_rows(path: Path, encoding: str | None = None) -> SourceText:
    """The rows above a .csv's or .xlsx's header (its title, number, issuer), each row's cells as one line whose
    `line` is the row number; what a task table says about itself."""
    records = _xlsx_records(path)[0] if path.suffix.lower() == ".xlsx" else _csv_records(path, encoding)[0]
    header_at = next((i for i, (_, cells) in enumerate(records[:_HEADER_SEARCH_ROWS]) if is_header(cells)), 0)
    lines = []
    for number, cells in records[:header_at]:
        text = clean(" ".join(cell for cell in cells if cell.strip()))
        if text:
            lines.append(SourceLine(text, number))
    return SourceText(str(path), lines, None)


def _delimiter(text: str) -> str:
    """The delimiter that makes one of the first rows the header; a comma if none does (the error then says so).

    Quotes are always `"`, as spreadsheets write them: csv.Sniffer would take `'` for the quote character when
    a cell is written 'like this', and silently strip it.
    """
    for delimiter in _DELIMITERS:
        rows = csv.reader(io.StringIO(text[:_HEADER_SEARCH_CHARS], newline=""), delimiter=delimiter)
        try:
            if any(is_header(row) for row in itertools.islice(rows, _HEADER_SEARCH_ROWS)):
                return delimiter
        except csv.Error:
            continue
    return _DELIMITERS[0]


def read_xlsx(path: Path, encoding: str | None = None, columns: Mapping[str, str] | None = None) -> RawTable:
    records, merged = _xlsx_records(path)
    table = _table(str(path), records, columns, merged)
    table.knows_merges = True
    return table


def _xlsx_records(path: Path) -> tuple[list[tuple[int, list[str]]], set[tuple[int, int]]]:
    import openpyxl  # imported here: loading openpyxl costs ~0.3 s and most builds never need it

    check_archive(path)
    with open(path, "rb") as handle:  # our handle, closed even when a cell error stops the sheet mid-way
        try:
            workbook = openpyxl.load_workbook(handle, read_only=False, data_only=False)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
            raise InputError(Location(str(path)), f"is not a readable .xlsx file ({error})") from None
        try:
            sheet = workbook.worksheets[0]
            records = [
                (number, [_xlsx_value(str(path), number, cell) for cell in row])
                for number, row in enumerate(sheet.iter_rows(min_row=1), start=1)
            ]
            merged = {
                (row, column)
                for cells in sheet.merged_cells.ranges
                for row in range(cells.min_row + 1, cells.max_row + 1)
                for column in range(cells.min_col - 1, cells.max_col)
            }
        finally:
            workbook.close()
    return records, merged


def _xlsx_value(source: str, row: int, cell: Any) -> str:
    value = cell.value
    if value is None:
        return ""
    if cell.data_type == "f":
        raise InputError(
            Location(source, row=row, column=cell.column_letter),
            f"holds a formula ({value}); paste its value instead, formulas are not evaluated",
        )
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def _table(
    source: str,
    records: Iterable[tuple[int, list[str]]],
    given: Mapping[str, str] | None = None,
    merged: set[tuple[int, int]] | None = None,
) -> RawTable:
    """The table under the first header among the first rows; `merged` (row, column from 0) are cells known to
    continue the cell above."""
    records = list(records)
    found = find_header(
        source, [cells for _, cells in records], given, lambda i: Location(source, row=records[i][0]),
        search=_HEADER_SEARCH_ROWS,
    )  # fmt: skip
    if found is None:
        raise InputError(
            Location(source),
            "no header row found in the first rows: expected columns such as 分类, 任务编号, 任务内容, 责任单位, "
            "or 序号, 重点任务, 牵头单位, 配合单位, 完成时限",
        )
    header_at, layout = found
    width = max(column.position for column in layout.columns)
    rows, notices = [], []
    for number, cells in records[header_at + layout.header_rows :]:
        if not any(cell.strip() for cell in cells):
            notices.append(Notice(Location(source, row=number), "skipped an empty row", "info"))
            continue
        used = len(cells)
        while used > width and not cells[used - 1].strip():
            used -= 1
        if used != width:
            raise InputError(
                Location(source, row=number),
                f"this row has {used} cell(s) where the header has {width} columns",
            )
        positions = [c.position - 1 for c in layout.columns] if layout.legacy else list(range(len(layout.columns)))
        continued = frozenset(k for k, p in enumerate(positions) if (number, p) in (merged or set()))
        rows.append(RawRow(number, body_cells(layout, cells), merged=continued))
    remarks = [" ".join(c.strip() for c in cells if c.strip()) for _, cells in records[:header_at]]
    return RawTable(source=source, rows=rows, notices=notices, layout=layout, remarks=[r for r in remarks if r])
