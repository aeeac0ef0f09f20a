"""What every table reader yields: the table's rows as verbatim cell text, with the layout of its header."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import InputError, Location, Notice
from graph.readers import header
from graph.readers.header import Layout

CATEGORY, NUMBER, TEXT, UNITS = "分类", "任务编号", "任务内容", "责任单位"
COLUMNS = (CATEGORY, NUMBER, TEXT, UNITS)

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
    cells: tuple[str, ...]  # a legacy table's four canonical cells; otherwise each column's, in file order
    line: int | None = None
    merged: frozenset[int] = frozenset()  # cells the reader knows continue the cell above (vertical merges)

    def cell(self, column: str) -> str:
        return self.cells[COLUMNS.index(column)]


@dataclass
class RawTable:
    """A task-division table as read from one file, before any interpretation of its cells."""

    source: str
    rows: list[RawRow]
    encoding: str | None = None
    notices: list[Notice] = field(default_factory=list)
    layout: Layout | None = None  # what each column holds; None: the four canonical columns
    remarks: list[str] = field(default_factory=list)  # text around the table: title rows, notes below it
    knows_merges: bool = False  # whether `RawRow.merged` is known (.docx, .xlsx) or empty cells may be merges


def is_header(cells: Sequence[str], given: Mapping[str, str] | None = None) -> bool:
    """Whether a row is a task table's header (graph.readers.header says which words name columns)."""
    return header.is_header(cells, header.normal_columns(given))


def find_header(
    source: str,
    records: Sequence[Sequence[str]],
    given: Mapping[str, str] | None,
    where: Callable[[int], Location],
    search: int,
) -> tuple[int, Layout] | None:
    """The index of the first header row among the first `search` records and the table's layout (its header may
    span two rows: the body starts at index + layout.header_rows); None when no row there is a header."""
    options = header.normal_columns(given)
    at = next((i for i, cells in enumerate(records[:search]) if header.is_header(cells, options)), None)
    if at is None:
        return None
    rows = header.header_rows(records[at : at + 2], options)
    cells = [list(record) for record in records[at : at + rows]]
    width = max((i + 1 for record in cells for i, cell in enumerate(record) if cell.strip()), default=0)
    return at, header.layout(source, [record[:width] for record in cells], where(at), options)


def body_cells(layout: Layout, cells: Sequence[str]) -> tuple[str, ...]:
    """A body row's cells as RawRow keeps them: the four canonical cells of a legacy layout in canonical order,
    otherwise every column's cell in file order."""
    if layout.legacy:
        return tuple(cells[column.position - 1] for column in layout.columns)
    return tuple(cells[i] if i < len(cells) else "" for i in range(len(layout.columns)))


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
