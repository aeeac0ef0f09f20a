"""Readers of the files documents come in: task tables (Word text export, .docx, .csv, .xlsx), each yielding the
same RawTable for the same table, prose (`prose`), and the encoding sniffer they share (`encoding`).

Imports only the shared leaves (`graph.errors`, `graph.text`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from graph.errors import InputError, Location
from graph.readers import docx_table, tabular, text_export
from graph.readers.base import COLUMNS, RawRow, RawTable

Reader = Callable[[Path, str | None], RawTable]

READERS: dict[str, Reader] = {
    "text-export": text_export.read,
    "docx": docx_table.read,
    "csv": tabular.read_csv,
    "xlsx": tabular.read_xlsx,
}

KIND_BY_SUFFIX = {".txt": "text-export", ".docx": "docx", ".csv": "csv", ".xlsx": "xlsx"}


def kind_of(path: Path, kind: str | None = None) -> str:
    """The input kind of a file: the one given, else the one its suffix implies."""
    chosen = kind or KIND_BY_SUFFIX.get(path.suffix.lower())
    if chosen not in READERS:
        known = ", ".join(sorted(READERS))
        what = f"input kind {kind!r}" if kind else f"files ending in {path.suffix or '(no suffix)'!r}"
        raise InputError(Location(str(path)), f"no reader for {what}; readers exist for {known}")
    return chosen


def read_table(path: Path, kind: str | None = None, encoding: str | None = None) -> RawTable:
    """Read a task-division table with the reader for its kind."""
    return READERS[kind_of(path, kind)](path, encoding)


__all__ = ["COLUMNS", "READERS", "RawRow", "RawTable", "kind_of", "read_table"]
