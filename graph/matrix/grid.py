"""The responsibility matrix of a task table: tasks down, grouped by category, units across, each cell the role.

One plain record (`Matrix`) read from the graph through `Views` (the SPARQL is queries/views/matrix.rq, so it works
on the embedded store and on a remote one alike); the HTML page, the SVG, CSV and XLSX exports
(graph/matrix/export.py, graph/matrix/svg.py) and `policykg export matrix` all render the same record.

Units are ordered by the number of tasks they lead, then the number they join, then where the table first names
them. A unit's short name is the name the table's cells give it (市教委), its full name the registry's label.
`WORDS` are the interface words every rendering of a matrix shares, in Chinese and English.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import pyoxigraph

from graph.errors import ConfigError
from graph.views.records import ROLES, Labels, Ref, Views

LEAD, PARTICIPATING = "lead", "participating"
MARKS = {LEAD: "●", PARTICIPATING: "○"}
# The words the files and pictures of a matrix use, in Chinese and English.
WORDS = {
    "number": ("编号", "No."),
    "task": ("任务内容", "Task"),
    "units": ("单位数", "Units"),
    "lead": ("牵头", "lead"),
    "participating": ("配合", "participating"),
    "leads": ("牵头 ●", "Lead ●"),
    "joins": ("配合 ○", "Participating ○"),
    "total": ("合计", "Total"),
    "matrix": ("责任矩阵", "Responsibility matrix"),
    "short": ("简称", "Short name"),
    "name_zh": ("全称", "Name (Chinese)"),
    "name_en": ("英文名称", "Name (English)"),
    "iri": ("IRI", "IRI"),
    "sheet_units": ("单位", "Units"),
}


def word(key: str, lang: str) -> str:
    zh, en = WORDS[key]
    return en if lang == "en" else zh


@dataclass(frozen=True)
class Unit:
    """A column: a responsible unit, with how many of the table's tasks it leads and joins."""

    iri: str
    id: str
    short: str
    label: Labels
    leads: int
    joins: int

    @property
    def total(self) -> int:
        return self.leads + self.joins


@dataclass(frozen=True)
class Row:
    """A task, with its role for each unit column (None: not responsible)."""

    iri: str
    id: str
    number: int
    text: str
    roles: tuple[str | None, ...]

    @property
    def units(self) -> int:
        return sum(1 for role in self.roles if role is not None)


@dataclass(frozen=True)
class Group:
    """A category (分类) and its tasks, in number order."""

    iri: str
    id: str
    number: int
    notation: str | None
    label: Labels
    rows: tuple[Row, ...]

    def heading(self, lang: str = "zh") -> str:
        """`一、科学确定…` as the table heads it; the English label after the notation for `en`, when there is one."""
        text = (self.label.en if lang == "en" else None) or self.label.zh or self.label.en or ""
        return f"{self.notation}、{text}" if self.notation else text


@dataclass(frozen=True)
class Matrix:
    policy: Ref
    units: tuple[Unit, ...]
    groups: tuple[Group, ...]
    document_number: str | None = None  # of the policy, or of the document it is attached to
    others: tuple[Ref, ...] = field(default_factory=tuple)  # the other task tables of the graph

    @property
    def rows(self) -> list[Row]:
        return [row for group in self.groups for row in group.rows]

    def totals(self) -> list[tuple[str, list[int]]]:
        """Per unit, in column order: the tasks it leads, those it joins, and both ("leads", "joins", "total")."""
        units = self.units
        return [
            ("leads", [unit.leads for unit in units]),
            ("joins", [unit.joins for unit in units]),
            ("total", [unit.total for unit in units]),
        ]

    def count(self, role: str) -> int:
        """How many cells hold `role` (lead or participating)."""
        return sum(row.roles.count(role) for row in self.rows)


@dataclass
class _Task:
    iri: str
    number: int
    text: str
    category: str
    roles: dict[str, str] = field(default_factory=dict)  # unit -> role, in position order


def tables(views: Views) -> list[Ref]:
    """The documents that have tasks (with or without categories), by document IRI."""
    return [views.ref(_text(row["policy"])) for row in views.rows("task-documents")]


def resolve(views: Views, identifier: str | None) -> str:
    """The IRI of the task table `identifier` names (its id or manifest id); without one, the first table.

    ConfigError, naming the tables there are, when it names none or a document without tasks.
    """
    known = tables(views)
    try:
        iri = views.document(identifier) if identifier else (known[0].iri if known else None)
    except ValueError:  # not even an IRI once the base is put before it
        iri = None
    if iri is None or iri not in {ref.iri for ref in known}:
        names = ", ".join(ref.id for ref in known) or "none"
        what = f"{identifier!r} is not a document with tasks" if identifier else "the graph has no document with tasks"
        raise ConfigError(f"{what}; the task tables are: {names}")
    return iri


def matrix(views: Views, policy: str) -> Matrix:
    """The matrix of the policy document `policy` (an IRI); empty groups for a document without tasks."""
    tasks, names = _tasks(views, policy)
    units = _units(views, tasks, names)
    columns = [unit.iri for unit in units]
    by_category: dict[str, list[Row]] = defaultdict(list)
    for task in tasks:
        roles = tuple(task.roles.get(column) for column in columns)
        by_category[task.category].append(Row(task.iri, views.id_of(task.iri), task.number, task.text, roles))
    groups = tuple(
        Group(c.iri, c.id, c.number, c.notation, c.labels, tuple(by_category.get(c.iri, [])))
        for c in views.categories(policy=policy)
    )
    if by_category.get(""):  # a table without a 分类 column: its tasks in one group of no category
        groups += (
            Group("", "", 0, None, Labels(zh="任务（表格未分类）", en="Tasks (no categories)"), tuple(by_category[""])),
        )
    others = tuple(ref for ref in tables(views) if ref.iri != policy)
    return Matrix(views.ref(policy), units, groups, _document_number(views, policy), others)


def _document_number(views: Views, policy: str) -> str | None:
    """The policy's document number, or that of the document it is an attachment of."""
    found = views.policy(policy)
    if found is not None and not found.number and found.attachment_of is not None:
        found = views.policy(found.attachment_of.iri)
    return found.number if found is not None else None


def _tasks(views: Views, policy: str) -> tuple[list[_Task], dict[str, Counter[str]]]:
    """The document's tasks in number order, each with its units' roles (a unit's first assignment counts), and
    the names the table's cells give each unit, with how often."""
    tasks: dict[str, _Task] = {}
    names: dict[str, Counter[str]] = defaultdict(Counter)
    for row in views.rows("matrix", policy=policy):
        iri = _text(row["task"])
        task = tasks.get(iri)
        if task is None:
            task = tasks[iri] = _Task(iri, int(_text(row["number"])), _text(row["text"]), _text(row["category"]))
        unit, verbatim = _text(row["unit"]), _text(row["verbatim"])
        if unit:
            task.roles.setdefault(unit, ROLES.get(_text(row["role"]), PARTICIPATING))
        if unit and verbatim:
            names[unit][verbatim] += 1
    return sorted(tasks.values(), key=lambda task: (task.number, task.iri)), names


def _text(term: object) -> str:
    return term.value if isinstance(term, pyoxigraph.NamedNode | pyoxigraph.Literal) else ""


def _units(views: Views, tasks: list[_Task], names: dict[str, Counter[str]]) -> tuple[Unit, ...]:
    """The units of the tasks: most tasks led first, then most joined, then first named in the table."""
    first_seen: dict[str, int] = {}
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for task in tasks:
        for unit, role in task.roles.items():
            first_seen.setdefault(unit, len(first_seen))
            counts[unit][role] += 1
    ordered = sorted(first_seen, key=lambda u: (-counts[u][LEAD], -counts[u][PARTICIPATING], first_seen[u]))
    found = []
    for iri in ordered:
        label = views.label(iri)
        short = names[iri].most_common(1)[0][0] if names.get(iri) else label.zh or label.en or views.id_of(iri)
        found.append(Unit(iri, views.id_of(iri), short, label, counts[iri][LEAD], counts[iri][PARTICIPATING]))
    return tuple(found)
