"""Which column of a task table is what: header words, in any order, on one or two header rows, mapped to roles.

A table's header names its columns in words (序号, 重点任务, 牵头单位, 完成时限 …); `HEADER_WORDS` says which role
each word means. A header word PolicyKG does not know is mapped by the person who reads the table
(`--column 责任主体=lead`, or `columns = { "责任主体" = "lead" }` in a manifest entry); a header that cannot be
mapped is an InputError naming the file, the header's columns and that option.

The task-division form PolicyKG has always read (the four columns 分类 / 任务编号 / 任务内容 / 责任单位, under the
spellings it accepted before) keeps its layout and its meaning: the first unit of the 责任单位 cell leads
(`Layout.legacy`). Every other header is read by roles (`Layout.columns`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from graph.errors import InputError, Location
from graph.text import name_key

# Column roles, with how a person and the error messages name them (zh, en).
CATEGORY, NUMBER, TEXT = "category", "number", "text"
UNITS, RESPONSIBLE, LEAD, PARTICIPATING, GUIDING = "units", "responsible", "lead", "participating", "guiding"
DEADLINE, NOTE, IGNORE = "deadline", "note", "ignore"
ROLES: dict[str, tuple[str, str]] = {
    CATEGORY: ("分类", "category (several: category within category, left to right)"),
    NUMBER: ("任务编号", "task number"),
    TEXT: ("任务内容", "task text (two: the first is the task's heading)"),
    UNITS: ("责任单位（第一个为牵头单位）", "units, the first leading and the others participating"),
    RESPONSIBLE: ("责任单位", "responsible units (one unit leads; several are all responsible)"),
    LEAD: ("牵头单位", "lead units"),
    PARTICIPATING: ("配合单位", "participating units"),
    GUIDING: ("指导部门", "guiding units"),
    DEADLINE: ("完成时限", "deadline"),
    NOTE: ("备注", "note, kept verbatim"),
    IGNORE: ("忽略", "ignored"),
}
UNIT_ROLES = (UNITS, RESPONSIBLE, LEAD, PARTICIPATING, GUIDING)
_ONCE = (NUMBER, UNITS, RESPONSIBLE, LEAD, PARTICIPATING, GUIDING, DEADLINE)  # roles a header may give one column

# Header words for each role, compared after NFKC, without whitespace, case-folded.
HEADER_WORDS: dict[str, tuple[str, ...]] = {
    CATEGORY: ("分类", "类别", "板块", "领域", "子项", "任务分类", "任务类别", "category"),
    NUMBER: ("序号", "编号", "任务编号", "任务序号", "tasknumber", "number", "no."),
    TEXT: (
        "任务内容", "内容", "任务", "重点任务", "工作任务", "主要任务", "具体任务", "改革举措", "改革事项",
        "主要内容", "具体措施", "工作措施", "主要措施", "工作内容", "tasktext", "text", "task",
    ),
    UNITS: ("牵头和配合单位", "responsibleunits", "units"),
    RESPONSIBLE: ("责任单位", "责任部门", "负责单位", "负责部门"),
    LEAD: ("牵头单位", "牵头部门", "牵头", "牵头责任单位", "主责单位", "主责部门"),
    PARTICIPATING: ("配合单位", "配合部门", "协办单位", "协办部门", "参与单位", "参与部门", "配合"),
    GUIDING: ("指导部门", "指导单位"),
    DEADLINE: ("完成时限", "时间节点", "完成时间", "时限", "完成期限", "时限要求", "deadline"),
    NOTE: ("推广范围",),
}  # fmt: skip
# The spellings the four-column form was read under before any other header was (a header of exactly these keeps
# its old meaning: the first unit of the 责任单位 cell leads).
_LEGACY_WORDS: dict[str, tuple[str, ...]] = {
    CATEGORY: ("分类", "类别", "category"),
    NUMBER: ("任务编号", "编号", "序号", "tasknumber", "number", "no."),
    TEXT: ("任务内容", "内容", "tasktext", "text", "task"),
    UNITS: ("责任单位", "牵头和配合单位", "responsibleunits", "units"),
}
# Words of an upper header row that spans the columns below it (责任单位 over 牵头单位 / 配合单位).
_GROUP_WORDS = ("责任单位", "责任部门", "责任分工", "分工", "责任主体", "单位", "部门")
_LEVEL = re.compile(r"^(?P<n>[一二三四五六七八九1-9])级(?:分类|类别|板块|领域|指标|任务|目录|标题)?$")
_LEVEL_DIGITS = "一二三四五六七八九"
_PARENTHESES = re.compile(r"[（(][^）)]*[）)]")
_MAX_TEXT_COLUMNS = 2


def _key(text: str) -> str:
    return name_key(text).casefold()


_WORDS = {_key(word): role for role, words in HEADER_WORDS.items() for word in words}
_LEGACY = {_key(word): role for role, words in _LEGACY_WORDS.items() for word in words}


@dataclass(frozen=True)
class Column:
    """One column of a table: where it is (from 1), its header as written, and what it holds."""

    position: int
    header: str
    role: str
    level: int = 0  # for a category column: 1 for the outermost
    given: bool = False  # mapped by the reader's option, not by its header word

    def describe(self) -> str:
        level = f" (level {self.level})" if self.role == CATEGORY else ""
        how = " (as given)" if self.given else ""
        return f"列 {self.position} 「{self.header}」 → {self.role}{level}{how}"


@dataclass(frozen=True)
class Layout:
    """What each column of a table holds. A legacy layout is the four-column form, in canonical order."""

    columns: tuple[Column, ...]
    legacy: bool = False
    header_rows: int = 1

    def of(self, role: str) -> list[int]:
        """Indexes (into a row's cells) of the columns with `role`, left to right (category columns by level)."""
        found = [i for i, column in enumerate(self.columns) if column.role == role]
        if role == CATEGORY:
            found.sort(key=lambda i: self.columns[i].level)
        return found

    def describe(self) -> list[str]:
        return [column.describe() for column in sorted(self.columns, key=lambda c: c.position)]


def normal_columns(given: Mapping[str, str] | None) -> dict[str, str]:
    """A reader's column option (header → role) keyed as headers are compared; ValueError naming a role unknown."""
    found = {}
    for header, role in (given or {}).items():
        if role not in ROLES:
            raise ValueError(f"column {header!r}: no role {role!r}; roles are {', '.join(ROLES)}")
        found[_key(header)] = role
    return found


def role_of(header: str, given: Mapping[str, str] | None = None) -> tuple[str | None, bool]:
    """The role a header cell names, and whether the reader's option gave it; (None, False) when none."""
    key = _key(header)
    if not key:
        return None, False
    options = given or {}
    if key in options:
        return options[key], True
    bare = _key(_PARENTHESES.sub("", header))
    for candidate in (key, bare):
        if candidate in _WORDS:
            return _WORDS[candidate], False
        if _LEVEL.match(candidate):
            return CATEGORY, False
    return None, False


def is_header(cells: Sequence[str], given: Mapping[str, str] | None = None) -> bool:
    """Whether a row is a table's header: two or more cells name roles, one of them the task's text."""
    roles = [role_of(cell, given)[0] for cell in cells]
    return sum(role is not None for role in roles) >= 2 and TEXT in roles


def _is_continuation(upper: Sequence[str], lower: Sequence[str], given: Mapping[str, str]) -> bool:
    """Whether `lower` is the second row of a two-row header under `upper`: each of its cells names a role, and it
    fills a column the upper row leaves empty or names as a group (责任单位 over 牵头单位 / 配合单位)."""
    filled = [(i, cell) for i, cell in enumerate(lower) if cell.strip()]
    if filled and filled[-1][0] >= len(upper):  # a row wider than the header is not its second row
        return False
    if not filled or any(role_of(cell, given)[0] is None for _, cell in filled):
        return False
    for i, _ in filled:
        above = upper[i] if i < len(upper) else ""
        if not above.strip() or _key(above) in {_key(word) for word in _GROUP_WORDS} or _key(above) == _key(lower[i]):
            return True
    return False


def header_rows(records: Sequence[Sequence[str]], given: Mapping[str, str] | None = None) -> int:
    """How many rows a header starting at records[0] spans: 2 when the next row continues it, else 1."""
    options = normal_columns(given)
    if len(records) > 1 and _is_continuation(records[0], records[1], options):
        return 2
    return 1


def layout(
    source: str, records: Sequence[Sequence[str]], where: Location, given: Mapping[str, str] | None = None
) -> Layout:
    """The layout of a header of one or two rows (`records`); InputError naming what cannot be mapped."""
    options = normal_columns(given)
    headers = _combined(records)
    if len(records) == 1 and not options:
        legacy = _legacy(headers)
        if legacy is not None:
            return legacy
    columns: list[Column] = []
    unknown: list[tuple[int, str]] = []
    for position, (header, words) in enumerate(headers, start=1):
        role, was_given = next(
            ((r, g) for r, g in (role_of(word, options) for word in words) if r is not None), (None, False)
        )
        if role is None:
            if header.strip():
                unknown.append((position, header.strip()))
            role = IGNORE if not header.strip() else None
        if role is not None:
            columns.append(Column(position, header.strip(), role, given=was_given))
    columns = _levels(columns, headers)
    problems = _problems(columns, unknown)
    if problems:
        raise InputError(where, _message(problems, columns, unknown, headers))
    return Layout(tuple(columns), legacy=False, header_rows=len(records))


def _combined(records: Sequence[Sequence[str]]) -> list[tuple[str, list[str]]]:
    """Each column's header as written (two rows joined by "/") and the words to read it by, lower row first."""
    width = max(len(record) for record in records)
    found = []
    for i in range(width):
        cells = [record[i].strip() if i < len(record) else "" for record in records]
        filled = [cell for cell in cells if cell]
        header = "/".join(dict.fromkeys(filled))
        words = [*reversed(filled), header] if len(filled) > 1 else filled
        found.append((header, words))
    return found


def _legacy(headers: list[tuple[str, list[str]]]) -> Layout | None:
    """The four-column form, in canonical order, when every header cell is one of its old spellings."""
    roles = [_LEGACY.get(_key(header)) for header, _ in headers]
    canonical = (CATEGORY, NUMBER, TEXT, UNITS)
    if len(roles) != len(canonical) or sorted(r or "" for r in roles) != sorted(canonical):
        return None
    columns = [Column(roles.index(role) + 1, headers[roles.index(role)][0], role, level=int(role == CATEGORY))
               for role in canonical]  # fmt: skip
    return Layout(tuple(columns), legacy=True)


def _levels(columns: list[Column], headers: list[tuple[str, list[str]]]) -> list[Column]:
    """Category columns numbered from 1 (outermost): by their stated level (一级, 二级) where all state one, else
    left to right."""
    categories = [column for column in columns if column.role == CATEGORY]
    stated = {}
    for column in categories:
        match = next((m for m in (_LEVEL.match(_key(w)) for w in headers[column.position - 1][1]) if m), None)
        if match:
            digit = match["n"]
            stated[column.position] = int(digit) if digit.isdigit() else _LEVEL_DIGITS.index(digit) + 1
    order = sorted(categories, key=lambda c: (stated.get(c.position, 0), c.position) if len(stated) == len(categories)
                   else (0, c.position))  # fmt: skip
    level = {column.position: index for index, column in enumerate(order, start=1)}
    return [
        Column(c.position, c.header, c.role, level.get(c.position, 0), c.given) if c.role == CATEGORY else c
        for c in columns
    ]


def _problems(columns: list[Column], unknown: list[tuple[int, str]]) -> list[str]:
    roles = [column.role for column in columns]
    problems = []
    if NUMBER not in roles:
        problems.append("the header has no 任务编号 column (序号, 编号)")
    if TEXT not in roles:
        problems.append("the header has no 任务内容 column (任务内容, 重点任务, 改革举措, 主要内容 …)")
    if not any(role in UNIT_ROLES for role in roles):
        problems.append("the header has no 责任单位 column (责任单位, 牵头单位, 配合单位, 指导部门 …)")
    for role in _ONCE:
        if roles.count(role) > 1:
            problems.append(f"the header names the {ROLES[role][0]} column {roles.count(role)} times")
    if roles.count(TEXT) > _MAX_TEXT_COLUMNS:
        problems.append(f"the header names the 任务内容 column {roles.count(TEXT)} times (at most two: heading, text)")
    if unknown:
        named = ", ".join(f"列 {position} 「{header}」" for position, header in unknown)
        problems.append(f"the header has column(s) {named} that PolicyKG does not know")
    return problems


def _likely_role(header: str) -> str:
    """A role to suggest for a header PolicyKG does not know (the person decides)."""
    for words, role in ((("牵头",), LEAD), (("配合", "协同", "参与"), PARTICIPATING), (("指导",), GUIDING),
                        (("单位", "部门", "主体", "负责"), RESPONSIBLE), (("时间", "时限", "期限", "进度"), DEADLINE),
                        (("措施", "内容", "任务", "事项"), TEXT)):  # fmt: skip
        if any(word in header for word in words):
            return role
    return NOTE


def _message(
    problems: list[str], columns: list[Column], unknown: list[tuple[int, str]], headers: list[tuple[str, list[str]]]
) -> str:
    read = "; ".join(column.describe() for column in columns) or "nothing"
    written = " | ".join(header or "(empty)" for header, _ in headers)
    example = unknown[0][1] if unknown else "责任主体"
    example_role = _likely_role(example) if unknown else LEAD
    return (
        f"{'; '.join(problems)}. The header row reads: {written}. Recognised: {read}. "
        f"Map a column with --column {example}={example_role} (in a manifest entry: "
        f'columns = {{ "{example}" = "{example_role}" }}); roles: {", ".join(ROLES)}'
    )
