"""What every table reader yields: the table's rows as verbatim cell text, in the four canonical columns."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import InputError, Location, Notice
from graph.text import name_key

CATEGORY, NUMBER, TEXT, UNITS = "分类", "任务编号", "任务内容", "责任单位"
COLUMNS = (CATEGORY, NUMBER, TEXT, UNITS)

# Header spellings accepted for each column (compared after NFKC, without spaces, case-folded).
_ALIASES = {
    CATEGORY: ("分类", "类别", "category"),
    NUMBER: ("任务编号", "编号", "序号", "tasknumber", "number", "no."),
    TEXT: ("任务内容", "内容", "tasktext", "text", "task"),
    UNITS: ("责任单位", "牵头和配合单位", "responsibleunits", "units"),
}
_HEADER_KEYS = {name_key(alias).casefold(): column for column, aliases in _ALIASES.items() for alias in aliases}

# Tables larger than this are refused up front rather than read into memory.
MAX_TABLE_BYTES = 50 * 1024 * 1024
# A .docx or .xlsx is a zip: what it inflates to is bounded by what its directory declares (Python's zipfile never
# reads a member past its declared size), so the declared sizes are checked before anything is inflated.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_PACKING_RATIO = 100  # real Word and Excel files pack 3 to 20 times; a zip bomb packs thousands of times


@dataclass(frozen=True)
class RawRow:
    """One table row: its row number (the header is row 1, as a spreadsheet counts) and verbatim cells."""

    number: int
    cells: tuple[str, str, str, str]
    line: int | None = None

    def cell(self, column: str) -> str:
        return self.cells[COLUMNS.index(column)]


@dataclass
class RawTable:
    """A task-division table as read from one file, before any interpretation of its cells."""

    source: str
    rows: list[RawRow]
    encoding: str | None = None
    notices: list[Notice] = field(default_factory=list)


def header_columns(cells: Sequence[str]) -> list[str | None]:
    """The canonical column each header cell names, or None for a cell that names none."""
    return [_HEADER_KEYS.get(name_key(cell).casefold()) for cell in cells]


def is_header(cells: Sequence[str]) -> bool:
    return sum(column is not None for column in header_columns(cells)) >= 2


def column_order(source: str, cells: Sequence[str], where: Location) -> list[int]:
    """Positions of the four canonical columns in a header row; InputError if one is missing or repeated."""
    columns = header_columns(cells)
    found = [cell.strip() for cell in cells if cell.strip()]
    for column in COLUMNS:
        count = columns.count(column)
        if count == 0:
            raise InputError(
                where,
                f"the header has no {column} column (expected columns {', '.join(COLUMNS)}; "
                f"found {', '.join(found) or 'none'})",
            )
        if count > 1:
            raise InputError(where, f"the header names the {column} column {count} times")
    unknown = [cell for cell, column in zip(cells, columns, strict=True) if column is None and cell.strip()]
    if unknown:
        raise InputError(
            where,
            f"the header has column(s) {', '.join(unknown)} that are not part of a task-division table "
            f"(expected exactly {', '.join(COLUMNS)})",
        )
    return [columns.index(column) for column in COLUMNS]


def check_size(path: Path) -> None:
    if not path.is_file():
        raise InputError(Location(str(path)), "no such file")
    size = path.stat().st_size
    if size > MAX_TABLE_BYTES:
        raise InputError(
            Location(str(path)),
            f"is {size:,} bytes; tables larger than {MAX_TABLE_BYTES:,} bytes are refused",
        )


def check_archive(path: Path) -> None:
    """Refuse a .docx or .xlsx whose zip directory promises more than a table can be, before inflating any of it."""
    check_size(path)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise InputError(Location(str(path)), f"is not a readable {path.suffix or 'zip'} file ({error})") from None
    unpacked = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise InputError(
            Location(str(path)),
            f"would unpack to {unpacked:,} bytes; files unpacking to more than {MAX_UNPACKED_BYTES:,} bytes are "
            "refused",
        )
    if unpacked > MAX_PACKING_RATIO * max(packed, 1) and unpacked > 1024 * 1024:
        raise InputError(
            Location(str(path)),
            f"would unpack {packed:,} bytes into {unpacked:,} ({unpacked // max(packed, 1):,} times); "
            f"files packed more than {MAX_PACKING_RATIO} times are refused as a likely zip bomb",
        )
