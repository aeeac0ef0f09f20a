"""A task table read by its columns' roles (graph.readers.header): any header, in any order.

- Category columns nest left to right (分类 / 子项, 一级 / 二级): a heading is inside the heading of the level above.
  An empty category cell continues the heading above unless a level above it starts a new heading in that row.
- Unit columns give roles: 牵头单位 lead, 配合单位 participating, 指导部门 guiding; a 责任单位 column's single unit
  leads and several are all responsible, unless the table says the first leads (its header or a line around it:
  "排在第一位的为牵头单位") — then the first leads and the others participate, as in the four-column form. A name
  marked "（牵头）" leads. "无", "—", "/" name no unit. An empty lead or 责任单位 cell continues the cell above (a
  merged cell); an empty 配合单位 or 指导部门 cell is none, unless the file says it is merged (.docx, .xlsx).
- 完成时限 is kept as written, and as a date where it names one (graph.ingest.deadlines); note columns (推广范围)
  verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph.errors import InputError, Location, Notice
from graph.ingest.agencies import Registry
from graph.ingest.deadlines import read_deadline
from graph.ingest.tasks import Heading, Task, TaskTable, task_number
from graph.readers.base import RawRow, RawTable
from graph.readers.header import (
    CATEGORY,
    DEADLINE,
    GUIDING,
    LEAD,
    NOTE,
    NUMBER,
    PARTICIPATING,
    RESPONSIBLE,
    TEXT,
    UNITS,
    Layout,
)
from graph.text import chinese_numeral, clean_label, clean_text, name_key, parse_heading

# How a table says the first unit of a cell leads: 排在第一位的为牵头单位, 列第一位者为牵头单位, 第一个单位为牵头单位.
FIRST_LEADS = re.compile(r"(?:排在?第一位|列第一位|排名第一|排第一|第一个|首位)[^，。；;]{0,8}?为?牵头")
_NONE = {"无", "无。", "—", "——", "-", "--", "/", "／", "－", "暂无", "不涉及"}
_LEAD_MARK = re.compile(r"\s*[（(]\s*牵头\s*[）)]\s*$")
_CONTINUED_WHEN_EMPTY = (CATEGORY, LEAD, RESPONSIBLE, UNITS)
_BRACKETED = re.compile(r"^[（(]\s*(?P<num>[一二三四五六七八九十百]+|[0-9]+)\s*[）)]\s*(?P<label>.+)$", re.S)
_ROLE_ORDER = (LEAD, UNITS, RESPONSIBLE, PARTICIPATING, GUIDING)


@dataclass
class _Reading:
    """What is carried from row to row: the heading at each level, the unit cells above, the numbers seen."""

    raw: RawTable
    layout: Layout
    registry: Registry
    first_leads: bool
    headings: list[Heading | None] = field(default_factory=list)
    above: dict[int, RawRow] = field(default_factory=dict)  # column index -> the row its cell was last filled in
    seen: dict[int, RawRow] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)
    categories: dict[tuple[tuple[int, ...], str], Heading] = field(default_factory=dict)


def by_roles(raw: RawTable, registry: Registry) -> TaskTable:
    """Turn a RawTable with a headed layout into tasks; InputError for anything that would make a wrong graph."""
    assert raw.layout is not None
    layout = raw.layout
    headers = [column.header for column in layout.columns]
    reading = _Reading(raw, layout, registry, _says_first_leads(raw, headers))
    reading.headings = [None] * len(layout.of(CATEGORY))
    reading.notices.extend(raw.notices)
    tasks = []
    for row in raw.rows:
        _check_cells(raw.source, row, headers)
        tasks.append(_task(reading, row))
    return TaskTable(raw.source, tasks, list(reading.categories.values()), raw.encoding, reading.notices, layout)


def _says_first_leads(raw: RawTable, headers: list[str]) -> bool:
    return any(FIRST_LEADS.search(text) for text in (*raw.remarks, *headers))


def _check_cells(source: str, row: RawRow, headers: list[str]) -> None:
    for header, cell in zip(headers, row.cells, strict=True):
        if "\x00" in cell:
            raise InputError(Location(source, row=row.number, column=header, line=row.line), "contains a NUL byte")


def _where(reading: _Reading, row: RawRow, index: int) -> Location:
    return Location(reading.raw.source, row=row.number, column=reading.layout.columns[index].header, line=row.line)


def _task(reading: _Reading, row: RawRow) -> Task:
    layout = reading.layout
    number = task_number(reading.raw.source, row, reading.seen, layout.of(NUMBER)[0])
    category, category_from = _category(reading, row)
    texts = [clean_text(row.cells[i]) for i in layout.of(TEXT)]
    if not texts[-1]:
        raise InputError(_where(reading, row, layout.of(TEXT)[-1]), f"task {number} has no text")
    units, roles, units_from = _units(reading, row)
    if not units:
        raise InputError(
            Location(reading.raw.source, row=row.number, line=row.line), f"task {number} names no responsible unit"
        )
    deadline_at = layout.of(DEADLINE)
    deadline = read_deadline(_cell(reading, row, deadline_at[0])) if deadline_at else None
    notes = tuple((layout.columns[i].header, clean_text(row.cells[i])) for i in layout.of(NOTE) if row.cells[i].strip())
    heading = texts[0] if len(texts) > 1 and texts[0] else None
    return Task(number, row, category, texts[-1], units, category_from, units_from, roles, heading, deadline, notes)


def _cell(reading: _Reading, row: RawRow, index: int) -> str:
    """A cell, or the cell above it when the file says it is a merged continuation."""
    if index in row.merged and index in reading.above:
        return reading.above[index].cells[index]
    if row.cells[index].strip():
        reading.above[index] = row
    return row.cells[index]


def _category(reading: _Reading, row: RawRow) -> tuple[Heading | None, int | None]:
    """The innermost heading of the row, and the row it was continued from when its cell is empty."""
    columns = reading.layout.of(CATEGORY)
    if not columns:
        return None, None
    started = False
    for level, index in enumerate(columns):
        if row.cells[index].strip():
            parent = reading.headings[level - 1] if level else None
            reading.headings[level] = _heading(reading, row, index, parent)
            started = True
        elif started:  # a level above starts a new heading in this row: this level has none
            reading.headings[level] = None
    innermost = next((h for h in reversed(reading.headings) if h is not None), None)
    if innermost is None:
        raise InputError(
            _where(reading, row, columns[0]), "the cell is empty and there is no cell above it to continue"
        )
    first = reading.headings[0]
    return innermost, (first.row if first is not None and not row.cells[columns[0]].strip() else None)


def _heading(reading: _Reading, row: RawRow, index: int, parent: Heading | None) -> Heading:
    """The heading a category cell states, numbered by its numeral, else by its order among its parent's."""
    number, notation, label = _parse_heading(row.cells[index])
    key = (parent.path if parent else (), label)
    if key in reading.categories:
        return reading.categories[key]
    siblings = [h for (path, _), h in reading.categories.items() if path == key[0]]
    taken = {h.number for h in siblings}
    if number is None or number in taken:
        number = max(taken, default=0) + 1
    heading = Heading(number, notation, label or clean_label(row.cells[index]), row.number, parent)
    reading.categories[key] = heading
    return heading


def _parse_heading(cell: str) -> tuple[int | None, str, str]:
    """一、标题 / 1. 标题 (graph.text.parse_heading), and a lower level's （一）标题 / (1) 标题."""
    match = _BRACKETED.match(clean_label(cell))
    if match is None:
        return parse_heading(cell)
    notation = match["num"]
    number = int(notation) if notation.isdigit() else chinese_numeral(notation)
    return number, notation, clean_label(match["label"])


def _units(reading: _Reading, row: RawRow) -> tuple[tuple[str, ...], tuple[str, ...], int | None]:
    """Every unit the row names, with its role, in the order lead, responsible, participating, guiding; and the row
    a continued (merged) lead or 责任单位 cell came from."""
    names: list[str] = []
    roles: list[str] = []
    continued_from = None
    for role in _ROLE_ORDER:
        for index in reading.layout.of(role):
            cell, source = _unit_cell(reading, row, index, role)
            if source is not None:
                continued_from = continued_from or source
            found = _names(reading, row, index, cell)
            for name, given in _with_roles(found, role, reading.first_leads):
                names.append(name)
                roles.append(given)
    return tuple(names), tuple(roles), continued_from


def _unit_cell(reading: _Reading, row: RawRow, index: int, role: str) -> tuple[str, int | None]:
    cell = row.cells[index]
    if cell.strip():
        reading.above[index] = row
        return cell, None
    continued = index in row.merged if reading.raw.knows_merges else role in _CONTINUED_WHEN_EMPTY
    above = reading.above.get(index)
    if continued and above is not None:
        return above.cells[index], above.number
    return cell, None


def _names(reading: _Reading, row: RawRow, index: int, cell: str) -> list[str]:
    if name_key(cell) in _NONE or not cell.strip():
        return []
    names = [name for name in reading.registry.split(cell) if name_key(name) not in _NONE]
    for name in names:
        if reading.registry.lookup(_LEAD_MARK.sub("", name)) is None:
            reading.notices.append(
                Notice(
                    _where(reading, row, index),
                    f"unit {_LEAD_MARK.sub('', name)!r} is not in the agency registry; it is kept as a new, "
                    "unregistered unit",
                )
            )
    return names


def _with_roles(names: list[str], role: str, first_leads: bool) -> list[tuple[str, str]]:
    """Each name of one cell with its role (and without a "（牵头）" mark)."""
    marked = [bool(_LEAD_MARK.search(name)) for name in names]
    bare = [_LEAD_MARK.sub("", name) for name in names]
    if role in (UNITS, RESPONSIBLE) and any(marked):
        return [(name, LEAD if lead else PARTICIPATING) for name, lead in zip(bare, marked, strict=True)]
    if role == UNITS or (role == RESPONSIBLE and first_leads):
        return [(name, LEAD if i == 0 else PARTICIPATING) for i, name in enumerate(bare)]
    if role == RESPONSIBLE:
        return [(name, LEAD if len(bare) == 1 else RESPONSIBLE) for name in bare]
    return [(name, role) for name in bare]
