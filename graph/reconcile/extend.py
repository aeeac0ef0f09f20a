"""Data extension for reconciled cells (the `extend` part of the Reconciliation Service API) and entity previews.

Once a column is reconciled, OpenRefine asks which properties it can fetch for a type (`propose_properties`) and
then their values for a list of ids (`extend`). The properties are a table (PROPERTIES), each with a function
reading its values from the graph, through graph.views and the reconciliation index: nothing is typed in here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from graph.reconcile.match import (
    MAX_EXTEND_IDS,
    POLICY,
    TASK,
    UNIT,
    Entity,
    Index,
    ReconcileError,
    parse_json,
    resolve_type,
)
from graph.views.records import Agency, Policy, Task, Views

ALL = (UNIT, TASK, POLICY)
Value = dict[str, object]


@dataclass(frozen=True)
class Property:
    id: str
    zh: str
    en: str
    types: tuple[str, ...]  # the types it applies to
    entities: str | None = None  # the type of its values when they are our entities

    @property
    def name(self) -> str:
        return f"{self.zh} / {self.en}"


PROPERTIES = (
    Property("iri", "国际化资源标识符", "IRI", ALL),
    Property("name_zh", "中文名称", "Chinese name", ALL),
    Property("name_en", "英文名称", "English name", ALL),
    Property("kind", "类别", "Kind", ALL),
    Property("names", "其他名称（简称）", "Other names (abbreviations)", (UNIT,)),
    Property("parent", "上级单位", "Parent body", (UNIT,), UNIT),
    Property("same_as", "其他名录中的同一单位", "Same unit in other registries", (UNIT,)),
    Property("leads_count", "牵头任务数", "Tasks led (count)", (UNIT,)),
    Property("joins_count", "配合任务数", "Tasks joined (count)", (UNIT,)),
    Property("leads", "牵头任务", "Tasks led", (UNIT,), TASK),
    Property("joins", "配合任务", "Tasks joined", (UNIT,), TASK),
    Property("policies", "任务所属文件", "Documents of its tasks", (UNIT,), POLICY),
    Property("number", "编号或文号", "Task number or document number", (TASK, POLICY)),
    Property("text", "任务内容", "Task text", (TASK,)),
    Property("document", "所属文件", "Document", (TASK,), POLICY),
    Property("category", "任务分类", "Category", (TASK,)),
    Property("lead", "牵头单位", "Lead unit", (TASK,), UNIT),
    Property("participating", "配合单位", "Participating units", (TASK,), UNIT),
    Property("date", "日期", "Date", (POLICY,)),
    Property("tasks_count", "任务数", "Tasks (count)", (POLICY,)),
)
BY_ID = {prop.id: prop for prop in PROPERTIES}
LIMIT_SETTING = {
    "name": "limit",
    "label": "最多取值个数（0 为全部）/ Most values (0 for all)",
    "type": "number",
    "default": 0,
    "help_text": "列表型属性（如牵头任务）最多取几个值 / How many values a list property (such as tasks led) gives",
}


def properties_for(type_id: str | None) -> list[Property]:
    """The properties of a type (all of them for no type); ReconcileError for a type we do not have."""
    if not type_id:
        return list(PROPERTIES)
    cls = resolve_type(type_id)
    if cls is None:
        raise ReconcileError(f"unknown type {type_id[:80]!r}; the types are agency, group, unit, task and policy")
    wanted = {cls, UNIT} if cls.endswith(("#Agency", "#AgencyGroup")) else {cls}
    return [prop for prop in PROPERTIES if wanted & set(prop.types)]


@dataclass(frozen=True)
class ExtendQuery:
    ids: tuple[str, ...]
    properties: tuple[str, ...]
    limits: dict[str, int]  # the `limit` setting of a property, when given and not 0


def parse_extend(text: str) -> ExtendQuery:
    """`{"ids": [...], "properties": [{"id": "name_en"}, ...]}` from its JSON text; ReconcileError naming the fault."""
    data = parse_json(text, "extend")
    if not isinstance(data, dict):
        raise ReconcileError('extend must be a JSON object {"ids": [...], "properties": [{"id": ...}]}')
    ids, props = data.get("ids"), data.get("properties")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise ReconcileError("extend: ids must be a list of entity ids (strings)")
    if len(ids) > MAX_EXTEND_IDS:
        raise ReconcileError(f"extend takes at most {MAX_EXTEND_IDS} ids at once; this one has {len(ids)}", status=413)
    if not isinstance(props, list) or not all(isinstance(p, dict) and isinstance(p.get("id"), str) for p in props):
        raise ReconcileError('extend: properties must be a list of {"id": ...} objects')
    unknown = sorted({p["id"] for p in props} - set(BY_ID))
    if unknown:
        raise ReconcileError(f"extend: unknown properties {', '.join(unknown)[:200]}; see propose_properties")
    limits = {p["id"]: _limit_setting(p) for p in props if _limit_setting(p)}
    return ExtendQuery(tuple(ids), tuple(dict.fromkeys(p["id"] for p in props)), limits)


def _limit_setting(prop: dict[str, object]) -> int:
    settings = prop.get("settings") or {}
    value = settings.get("limit", 0) if isinstance(settings, dict) else None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ReconcileError(f"extend: the limit setting of {prop['id']} must be a whole number, 0 for all")
    return value


class Facts:
    """What the graph says about one entity, each part read when first asked for."""

    def __init__(self, views: Views, index: Index, entity: Entity) -> None:
        self.views, self.index, self.entity = views, index, entity

    @cached_property
    def agency(self) -> Agency | None:
        return self.views.agency_detail(self.entity.iri) if self.entity.is_unit else None

    @cached_property
    def roles(self) -> dict[str, list[str]]:
        return self.views.agency_tasks(self.entity.iri) if self.entity.is_unit else {}

    @cached_property
    def task(self) -> Task | None:
        return self.views.task(self.entity.iri) if TASK in self.entity.classes else None

    @cached_property
    def policy(self) -> Policy | None:
        return self.views.policy(self.entity.iri) if POLICY in self.entity.classes else None

    def ref(self, iri: str) -> Value:
        entity = self.index.entities.get(iri)
        return {"id": entity.id, "name": entity.name} if entity else {"id": self.views.id_of(iri), "name": iri}

    def tasks(self, role: str) -> list[Value]:
        return [self.ref(iri) for iri in self.roles.get(role, [])]

    def documents(self) -> list[Value]:
        """The documents of the tasks a unit leads or joins, in IRI order."""
        tasks = [self.index.entities.get(iri) for iris in self.roles.values() for iri in iris]
        documents = {doc for task in tasks if task is not None for doc in task.links.get("document", [])}
        return [self.ref(iri) for iri in sorted(documents)]


def _strings(values: list[str]) -> list[Value]:
    return [{"str": value} for value in values]


def _one(value: str | None) -> list[Value]:
    return [{"str": value}] if value else []


def _number(facts: Facts) -> list[Value]:
    if facts.task is not None:
        return [{"int": facts.task.number}]
    return _one(facts.policy.number if facts.policy else None)


def _tasks_count(facts: Facts) -> list[Value]:
    own = [e for e in facts.index.entities.values() if facts.entity.iri in e.links.get("document", [])]
    return [{"int": len(own)}]


VALUES: dict[str, Callable[[Facts], list[Value]]] = {
    "iri": lambda f: [{"str": f.entity.iri}],
    "name_zh": lambda f: _one(f.entity.first("name")),
    "name_en": lambda f: _one(f.entity.first("en")),
    "kind": lambda f: [{"str": f.entity.kind}],
    "names": lambda f: _strings(f.entity.all("alt")),
    "parent": lambda f: [f.ref(iri) for iri in f.entity.links.get("parent", [])],
    "same_as": lambda f: _strings(sorted([*f.agency.same_as, *f.agency.exact_match]) if f.agency else []),
    "leads_count": lambda f: [{"int": len(f.roles.get("lead", []))}],
    "joins_count": lambda f: [{"int": len(f.roles.get("participating", []))}],
    "leads": lambda f: f.tasks("lead"),
    "joins": lambda f: f.tasks("participating"),
    "policies": lambda f: f.documents(),
    "number": _number,
    "text": lambda f: _one(f.task.text if f.task else None),
    "document": lambda f: [f.ref(iri) for iri in f.entity.links.get("document", [])],
    "category": lambda f: _one(f.task.category.labels.zh if f.task and f.task.category else None),
    "lead": lambda f: [f.ref(f.task.lead.iri)] if f.task and f.task.lead else [],
    "participating": lambda f: [f.ref(ref.iri) for ref in f.task.participating] if f.task else [],
    "date": lambda f: _one(f.policy.date if f.policy else None),
    "tasks_count": _tasks_count,
}


def extend(views: Views, index: Index, query: ExtendQuery, type_names: dict[str, str]) -> dict[str, object]:
    """The `meta` (each property's id, name and, for entity values, type) and the `rows` of values by id."""
    meta: list[dict[str, object]] = []
    for pid in query.properties:
        prop = BY_ID[pid]
        entry: dict[str, object] = {"id": prop.id, "name": prop.name}
        if prop.entities:
            entry["type"] = {"id": prop.entities, "name": type_names.get(prop.entities, prop.entities)}
        meta.append(entry)
    rows: dict[str, dict[str, list[Value]]] = {}
    for identifier in query.ids:
        entity = index.get(identifier)
        facts = Facts(views, index, entity) if entity else None
        rows[identifier] = {pid: _values(facts, pid, query.limits.get(pid)) for pid in query.properties}
    return {"meta": meta, "rows": rows}


def _values(facts: Facts | None, pid: str, limit: int | None) -> list[Value]:
    if facts is None or not set(BY_ID[pid].types) & facts.entity.types:
        return []
    return VALUES[pid](facts)[:limit]
