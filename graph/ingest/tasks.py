"""What a task table is read into: category headings, tasks with their units and roles, deadlines and notes."""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.errors import InputError, Location, Notice
from graph.ingest.deadlines import Deadline
from graph.readers.base import NUMBER, RawRow
from graph.readers.header import DEADLINE, GUIDING, LEAD, PARTICIPATING, RESPONSIBLE, Layout
from graph.text import parse_integer


@dataclass(frozen=True)
class Heading:
    """A category heading: its ordinal, the numeral as written ("五") and its label without the numbering; a
    heading of a lower level (子项, 二级) is inside its `parent`, and numbered among the parent's."""

    number: int
    notation: str
    label: str
    row: int
    parent: Heading | None = None

    @property
    def path(self) -> tuple[int, ...]:
        return (*self.parent.path, self.number) if self.parent else (self.number,)


@dataclass(frozen=True)
class Task:
    number: int
    row: RawRow
    category: Heading | None  # None only in a table without a category column
    text: str
    units: tuple[str, ...]
    category_from: int | None = None
    units_from: int | None = None
    roles: tuple[str, ...] = ()  # each unit's role (lead, participating, responsible, guiding); () = positional
    heading: str | None = None  # a table with two text columns (改革举措 / 主要内容): the first
    deadline: Deadline | None = None
    notes: tuple[tuple[str, str], ...] = ()  # (header, cell) of note columns such as 推广范围

    def unit_roles(self) -> list[tuple[str, str]]:
        """(name, role) of each unit in order; a positional list's first unit leads."""
        if self.roles:
            return list(zip(self.units, self.roles, strict=True))
        return [(name, LEAD if i == 0 else PARTICIPATING) for i, name in enumerate(self.units)]


@dataclass
class TaskTable:
    source: str
    tasks: list[Task]
    categories: list[Heading]
    encoding: str | None = None
    notices: list[Notice] = field(default_factory=list)
    layout: Layout | None = None

    def counts(self) -> dict[str, int]:
        """What a person checks first: categories, tasks, the unit names written, and lead (the first unit named
        for a task) and participating assignments; responsible and guiding ones, and deadlines, where there are."""
        roles = [role for task in self.tasks for _, role in task.unit_roles()]
        found = {
            "categories": len(self.categories),
            "tasks": len(self.tasks),
            "unit names": len({unit for task in self.tasks for unit in task.units}),
            "lead assignments": roles.count(LEAD),
            "participating assignments": roles.count(PARTICIPATING),
        }
        for role in (RESPONSIBLE, GUIDING):
            if roles.count(role):
                found[f"{role} assignments"] = roles.count(role)
        if self.layout is not None and self.layout.of(DEADLINE):
            found["deadlines"] = sum(1 for task in self.tasks if task.deadline)
            found["deadlines read as dates"] = sum(1 for task in self.tasks if task.deadline and task.deadline.value)
        return found


def task_number(source: str, row: RawRow, seen: dict[int, RawRow], index: int | None = None) -> int:
    """The task number of a row (its cell in column `index` of a headed table); InputError if it is not one."""
    where = Location(source, row=row.number, column=NUMBER, line=row.line)
    raw = row.cell(NUMBER) if index is None else row.cells[index]
    if not raw.strip():
        raise InputError(where, "the task number is empty")
    number = parse_integer(raw)
    if number is None or number < 1:
        raise InputError(where, f"the task number {raw.strip()!r} is not a whole number of 1 or more")
    if number in seen:
        raise InputError(where, f"task number {number} is used twice, in rows {seen[number].number} and {row.number}")
    seen[number] = row
    return number
