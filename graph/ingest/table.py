"""From a table's verbatim rows to tasks: merged cells continued, numbers parsed, units split and given roles.

An empty 分类 cell continues the category above, an empty 责任单位 cell continues the cell above
(vertically merged cells in Word); each continued value records the row it came from.

A table in the four-column form (graph.readers.header's legacy layout) is read as it always was: the first unit of
the 责任单位 cell leads, the others participate. Any other header is read by its columns' roles (`columns`).
"""

from __future__ import annotations

from collections.abc import Iterable

from graph.errors import InputError, Location, Notice
from graph.ingest.agencies import Registry
from graph.ingest.headed import by_roles
from graph.ingest.tasks import Heading, Task, TaskTable, task_number
from graph.readers.base import CATEGORY, COLUMNS, TEXT, UNITS, RawRow, RawTable
from graph.text import clean_text, parse_heading


def interpret(raw: RawTable, registry: Registry) -> TaskTable:
    """Turn a RawTable into tasks; InputError for anything that would make a wrong graph."""
    if not raw.rows:
        raise InputError(Location(raw.source), "the table has a header but no task rows")
    if raw.layout is not None and not raw.layout.legacy:
        return by_roles(raw, registry)
    for row in raw.rows:
        _check_cells(raw.source, row)
    categories = _categories(raw)
    notices = list(raw.notices)
    tasks: list[Task] = []
    seen: dict[int, RawRow] = {}
    heading: Heading | None = None
    units_row: RawRow | None = None
    for row in raw.rows:
        number = task_number(raw.source, row, seen)
        category_from = None
        if row.cell(CATEGORY).strip():
            heading = categories[row.number]
        else:
            category_from = _continued(raw.source, row, CATEGORY, heading.row if heading else None)
        units_from = None
        if row.cell(UNITS).strip():
            units_row = row
        else:
            units_from = _continued(raw.source, row, UNITS, units_row.number if units_row else None)
        assert heading is not None and units_row is not None
        text = clean_text(row.cell(TEXT))
        if not text:
            raise InputError(Location(raw.source, row=row.number, column=TEXT), f"task {number} has no text")
        units = tuple(registry.split(units_row.cell(UNITS)))
        if not units:
            raise InputError(Location(raw.source, row=units_row.number, column=UNITS), "names no responsible unit")
        if units_from is None:
            notices.extend(_unregistered(raw.source, row, units, registry))
        tasks.append(Task(number, row, heading, text, units, category_from, units_from))
    return TaskTable(raw.source, tasks, _unique(categories.values()), raw.encoding, notices, raw.layout)


__all__ = ["Heading", "Task", "TaskTable", "interpret"]


def _unregistered(source: str, row: RawRow, units: tuple[str, ...], registry: Registry) -> list[Notice]:
    return [
        Notice(
            Location(source, row=row.number, column=UNITS, line=row.line),
            f"unit {name!r} is not in the agency registry; it is kept as a new, unregistered unit",
        )
        for name in units
        if registry.lookup(name) is None
    ]


def _check_cells(source: str, row: RawRow) -> None:
    for column, cell in zip(COLUMNS, row.cells, strict=True):
        if "\x00" in cell:
            raise InputError(Location(source, row=row.number, column=column, line=row.line), "contains a NUL byte")


def _continued(source: str, row: RawRow, column: str, from_row: int | None) -> int:
    if from_row is None:
        raise InputError(
            Location(source, row=row.number, column=column, line=row.line),
            "the cell is empty and there is no cell above it to continue",
        )
    return from_row


def _categories(raw: RawTable) -> dict[int, Heading]:
    """Headings by the row that states them; numbered by their numeral, or by order if any lacks one."""
    stated = [(row, parse_heading(row.cell(CATEGORY))) for row in raw.rows if row.cell(CATEGORY).strip()]
    numbered = all(number is not None for _, (number, _, _) in stated)
    headings: dict[int, Heading] = {}
    by_number: dict[int, Heading] = {}
    by_label: dict[str, Heading] = {}
    for row, (number, notation, label) in stated:
        if not numbered:
            existing = by_label.get(label)
            number = existing.number if existing else len(by_label) + 1
        assert number is not None
        heading = by_number.get(number) or Heading(number, notation, label, row.number)
        if heading.label != label:
            raise InputError(
                Location(raw.source, row=row.number, column=CATEGORY, line=row.line),
                f"category {notation or number} is {label!r} here but {heading.label!r} in row {heading.row}",
            )
        by_number[number] = by_label[label] = headings[row.number] = heading
    return headings


def _unique(headings: Iterable[Heading]) -> list[Heading]:
    unique: dict[int, Heading] = {}
    for heading in headings:
        unique.setdefault(heading.number, heading)
    return sorted(unique.values(), key=lambda heading: heading.number)
