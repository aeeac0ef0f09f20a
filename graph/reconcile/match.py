"""Reconciliation (the W3C Reconciliation Service API that OpenRefine speaks): matching names to our entities.

A registry team has a spreadsheet column of agency names (or task numbers, or document numbers) and wants our
IRIs for them. Everything here is plain Python over data read through the stored query
`queries/views/reconcile-entities.rq` (so it works on the embedded and the remote store alike); api/routes/reconcile.py
turns HTTP into these calls.

Names are compared by a key that ignores width (NFKC), case, whitespace and punctuation, so 北京市 财政局, "beijing
municipal finance bureau" and ＢＥＩＪＩＮＧ… all meet their entity. A document number is compared by its parts
(issuer, year, serial), so 国办发[2021]26号, 国办发（2021）26号 and 国办发〔2021〕26号 are one number. A candidate
is a `match` only when the query equals one of its names (full name, abbreviation, English name), its number, its
identifier or (for a task) its whole text, and no other candidate's: an exact, unique hit. Everything else is a
scored guess for a person to confirm.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cached_property

import pyoxigraph

from graph.rdf.namespaces import PKG
from graph.text import match_key
from graph.views.records import KINDS, Views

MAX_BATCH = 100  # queries in one batch (the manifest's batchSize); more is refused
MAX_LIMIT = 50  # candidates per query; a larger `limit` is lowered to this
DEFAULT_LIMIT = 10
MAX_QUERY_CHARS = 1000  # a longer query string is refused: it names nothing, and costs time
MAX_PROPERTIES = 20  # property constraints per query
MAX_VALUES = 20  # values per property constraint, and types per query
MIN_SCORE = 50  # weaker candidates are not proposed
MAX_EXTEND_IDS = 100
SHORT = 64  # names up to this length are also compared by edit similarity (slower, better for typos)

AGENCY, GROUP, UNIT = str(PKG.Agency), str(PKG.AgencyGroup), str(PKG.ResponsibleUnit)
TASK, POLICY = str(PKG.Task), str(PKG.Policy)
TYPES = (AGENCY, GROUP, UNIT, TASK, POLICY)  # the types a query may name
DEFAULT_TYPES = (AGENCY, UNIT, TASK, POLICY)
SUPERTYPES = {AGENCY: (UNIT,), GROUP: (UNIT,)}  # as the ontology declares (a test checks)
EXACT_KINDS = frozenset({"name", "en", "alt", "text", "id"})  # label kinds an exact hit on makes a match
FUZZY_KINDS = frozenset({"name", "en", "alt", "text"})
TYPE_STRICT = ("any", "should", "all")
_NUMBER = re.compile(r"^(?:任务|task|no\.?|第)?\s*(\d{1,6})\s*(?:项|号)?$", re.I)
_DOCUMENT_NUMBER = re.compile(
    r"^(?P<issuer>[^\d\s\[\]()〔〕【】]+?)\s*[\[(〔【]?\s*(?P<year>\d{4})\s*[\])〕】]?\s*年?\s*第?\s*(?P<serial>\d{1,6})\s*号?$"
)


class ReconcileError(ValueError):
    """A request that cannot be answered, with the HTTP status it deserves and a message naming the problem."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


# --- normalising ------------------------------------------------------------------------------------------
def number_key(text: str) -> str | None:
    """A task number (`3`, `任务3`, `Task 3`, `第３项`) or a document number (国办发[2021]26号) in one form."""
    plain = unicodedata.normalize("NFKC", text).strip()
    task = _NUMBER.match(plain)
    if task:
        return str(int(task.group(1)))
    document = _DOCUMENT_NUMBER.match(plain)
    if document:
        issuer = match_key(document["issuer"])
        return f"{issuer}〔{document['year']}〕{int(document['serial'])}号" if issuer else None
    return None


def _grams(text: str) -> frozenset[str]:
    return frozenset(text[i : i + 2] for i in range(len(text) - 1)) if len(text) > 1 else frozenset({text})


def similarity(query: str, name: str, grams: tuple[frozenset[str], frozenset[str]] | None = None) -> float:
    """How alike two keys are, 0 to 1: containment, shared character pairs, and edit similarity for short ones.
    `grams` are the two keys' character pairs, when already known."""
    if not query or not name:
        return 0.0
    shorter, longer = sorted((len(query), len(name)))
    if shorter > 1 and (query in name or name in query):
        return 0.6 + 0.35 * shorter / longer
    a, b = grams or (_grams(query), _grams(name))
    score = 2 * len(a & b) / (len(a) + len(b))
    if len(query) <= SHORT and len(name) <= SHORT:
        score = max(score, SequenceMatcher(None, query, name, autojunk=False).ratio())
    return score * 0.95


# --- the entities -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Label:
    kind: str  # name (Chinese), en, alt, text, number, id
    text: str
    key: str

    @cached_property
    def grams(self) -> frozenset[str]:
        return _grams(self.key)


@dataclass
class Entity:
    iri: str
    id: str
    classes: set[str] = field(default_factory=set)
    labels: list[Label] = field(default_factory=list)
    links: dict[str, list[str]] = field(default_factory=dict)  # parent, document, lead: IRIs
    document: str | None = None  # a task's: its table's title, which tells 任务5 of two tables apart

    @property
    def types(self) -> set[str]:
        """Its classes and their superclasses."""
        return self.classes | {sup for cls in self.classes for sup in SUPERTYPES.get(cls, ())}

    def first(self, kind: str) -> str | None:
        return next((label.text for label in self.labels if label.kind == kind), None)

    def all(self, kind: str) -> list[str]:
        return sorted({label.text for label in self.labels if label.kind == kind})

    @property
    def name(self) -> str:
        return self.first("name") or self.first("en") or self.id

    @property
    def kind(self) -> str:
        """agency, group or unregistered for a responsible unit; task or policy otherwise."""
        for cls in (AGENCY, GROUP, UNIT):
            if cls in self.classes:
                return KINDS[cls]
        return "task" if TASK in self.classes else "policy"

    @property
    def is_unit(self) -> bool:
        return UNIT in self.types

    def add(self, kind: str, text: str) -> None:
        label_key = number_key(text) if kind == "number" else match_key(text)
        if label_key and Label(kind, text, label_key) not in self.labels:
            self.labels.append(Label(kind, text, label_key))


def _row_label(row: Mapping[str, object]) -> tuple[str, str] | None:
    """(kind, text) for a name row; None for a link row."""
    relation, value = _text(row["key"]), row["value"]
    if relation == "same_as":  # another registry's identifier for the unit: a query may name it by that
        return "id", _text(value)
    if not isinstance(value, pyoxigraph.Literal):
        return None
    if relation == "name":
        return ("en" if (value.language or "").startswith("en") else "name"), value.value
    return relation, value.value


def _text(term: object) -> str:
    return term.value if isinstance(term, pyoxigraph.NamedNode | pyoxigraph.Literal) else ""


class Index:
    """Every unit, task and policy with its names, read once per request through the stored query."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        self.entities = {entity.iri: entity for entity in entities}
        self.by_id = {entity.id: entity for entity in self.entities.values()}

    @classmethod
    def read(cls, views: Views) -> Index:
        return cls.from_rows(views.rows("reconcile-entities"), views.id_of)

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, object]], id_of: Callable[[str], str]) -> Index:
        entities: dict[str, Entity] = {}
        for row in rows:
            iri = _text(row["entity"])
            entity = entities.get(iri)
            if entity is None:
                entity = entities[iri] = Entity(iri, id_of(iri))
                entity.add("id", iri)
                entity.add("id", entity.id)
            entity.classes.add(_text(row["class"]))
            label = _row_label(row)
            if label is not None:
                entity.add(*label)
            elif isinstance(row["value"], pyoxigraph.NamedNode):
                entity.links.setdefault(_text(row["key"]), []).append(_text(row["value"]))
        for entity in entities.values():
            documents = [entities[iri] for iri in entity.links.get("document", []) if iri in entities]
            if TASK in entity.classes and documents:
                entity.document = documents[0].name
        return cls(sorted(entities.values(), key=lambda e: e.iri))

    def get(self, identifier: str) -> Entity | None:
        """An entity by its id (`agency/bj-finance`) or IRI."""
        return self.by_id.get(identifier) or self.entities.get(identifier)

    def refers_to(self, value: str, iri: str) -> bool:
        """Whether `value` (an id, IRI, name or number) names the entity `iri`."""
        entity = self.entities.get(iri)
        if entity is None:
            return False
        value_key, value_number = match_key(value), number_key(value)
        return any(label.key == (value_number if label.kind == "number" else value_key) for label in entity.labels)


# --- queries ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Constraint:
    pid: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Query:
    text: str | None
    types: tuple[str, ...] = ()
    type_strict: str = "any"
    limit: int = DEFAULT_LIMIT
    properties: tuple[Constraint, ...] = ()


@dataclass(frozen=True)
class Candidate:
    entity: Entity
    score: int
    match: bool

    def json(self, type_names: Mapping[str, str]) -> dict[str, object]:
        found: dict[str, object] = {
            "id": self.entity.id,
            "name": self.entity.name,
            "type": [{"id": cls, "name": type_names.get(cls, cls)} for cls in sorted(self.entity.classes)],
            "score": self.score,
            "match": self.match,
        }
        description = describe(self.entity)
        if description:
            found["description"] = description
        return found


def describe(entity: Entity) -> str:
    """A line telling namesakes apart: the English name or title, a document's number, a task's table and text."""
    if TASK in entity.classes:
        text = entity.first("text") or ""
        text = text if len(text) <= 80 else text[:79] + "…"
        return f"{entity.document}：{text}" if entity.document else text
    parts = [entity.first("number"), entity.first("en")] if POLICY in entity.classes else [entity.first("en")]
    return " · ".join(part for part in parts if part)


def parse_batch(text: str) -> dict[str, Query]:
    """A reconciliation query batch (`{"q0": {"query": …}, …}`) from its JSON text; ReconcileError naming the fault."""
    batch = parse_json(text, "queries")
    if not isinstance(batch, dict):
        raise ReconcileError('queries must be a JSON object of queries by id, such as {"q0": {"query": "市财政局"}}')
    if len(batch) > MAX_BATCH:
        raise ReconcileError(f"a batch holds at most {MAX_BATCH} queries; this one has {len(batch)}", status=413)
    return {str(name): parse_query(name, value) for name, value in batch.items()}


def parse_single(text: str) -> Query:
    """The single-query form: `query=市财政局`, or `query={"query": "市财政局", "type": …}`."""
    if text.lstrip().startswith("{"):
        return parse_query("query", parse_json(text, "query"))
    return parse_query("query", {"query": text})


def parse_json(text: str, parameter: str) -> object:
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise ReconcileError(
            f"{parameter} is not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"
        ) from None
    except RecursionError:
        raise ReconcileError(f"{parameter} is nested too deeply") from None


def _no_constant(name: str) -> object:
    raise ReconcileError(f"{name} is not JSON (numbers are finite)")


def _short(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:39] + "…"


def parse_query(name: str, value: object) -> Query:
    where = f"query {_short(name)}"
    if not isinstance(value, dict):
        raise ReconcileError(f"{where} must be a JSON object with a query string, not {_short(value)}")
    text = _query_text(where, value.get("query"))
    properties = _constraints(where, value.get("properties"))
    if text is None and not properties:
        raise ReconcileError(f"{where} needs a non-empty query string or properties")
    strict = value.get("type_strict", "any")
    if strict not in TYPE_STRICT:
        raise ReconcileError(f"{where}: type_strict must be one of {', '.join(TYPE_STRICT)}, not {_short(strict)}")
    return Query(text, _types(where, value.get("type")), str(strict), _limit(where, value.get("limit")), properties)


def _query_text(where: str, value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ReconcileError(f"{where}: query must be a string, not {_short(value)}")
    text = str(value).strip()
    if len(text) > MAX_QUERY_CHARS:
        raise ReconcileError(f"{where}: the query string is longer than {MAX_QUERY_CHARS} characters")
    return text or None


def _types(where: str, value: object) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items) or len(items) > MAX_VALUES:
        raise ReconcileError(f"{where}: type must be a type id or a list of at most {MAX_VALUES}, not {_short(value)}")
    return tuple(resolve_type(item) or item for item in items)


def resolve_type(text: str) -> str | None:
    """A type's IRI from its IRI, `pkg:Agency` or its local name (any case); None for a type we do not have."""
    wanted = text.strip().removeprefix("pkg:").rsplit("#", 1)[-1].casefold()
    return next((cls for cls in TYPES if cls == text or cls.rsplit("#", 1)[-1].casefold() == wanted), None)


def _limit(where: str, value: object) -> int:
    if value is None:
        return DEFAULT_LIMIT
    if isinstance(value, bool) or not isinstance(value, int | float) or not _whole(value) or value < 1:
        raise ReconcileError(f"{where}: limit must be a positive integer, not {_short(value)}")
    return min(int(value), MAX_LIMIT)


def _whole(value: float) -> bool:
    return math.isfinite(value) and value == int(value)


def _constraints(where: str, value: object) -> tuple[Constraint, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or len(value) > MAX_PROPERTIES:
        raise ReconcileError(f"{where}: properties must be a list of at most {MAX_PROPERTIES} {{pid, v}} objects")
    return tuple(_constraint(where, item) for item in value)


def _constraint(where: str, item: object) -> Constraint:
    if not isinstance(item, dict) or not isinstance(item.get("pid"), str) or "v" not in item:
        raise ReconcileError(f'{where}: each property is an object {{"pid": …, "v": …}}, not {_short(item)}')
    pid = item["pid"]
    if pid not in MATCHERS:
        raise ReconcileError(
            f"{where}: property {_short(pid)} cannot be matched; these can: {', '.join(sorted(MATCHERS))}"
        )
    raw = item["v"] if isinstance(item["v"], list) else [item["v"]]
    if len(raw) > MAX_VALUES:
        raise ReconcileError(f"{where}: property {pid} has more than {MAX_VALUES} values")
    return Constraint(pid, tuple(_value(where, pid, v) for v in raw))


def _value(where: str, pid: str, value: object) -> str:
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return value["id"]
    if isinstance(value, str | int | float) and not isinstance(value, bool) and len(str(value)) <= MAX_QUERY_CHARS:
        return str(value)
    raise ReconcileError(f'{where}: a value of property {pid} must be a string, a number or {{"id": …}}')


# --- matching ---------------------------------------------------------------------------------------------
Matcher = Callable[[Index, Entity, str], bool | None]  # None: the property does not apply to this entity


def _kind(_index: Index, entity: Entity, value: str) -> bool:
    wanted = resolve_type(value)
    if wanted is not None:
        return wanted in entity.types
    unit_kind = UNIT_KIND_NAMES.get(value.strip().casefold())
    if unit_kind is not None:  # a kind of national body: 国务院组成部门, national-administration, or its IRI
        return unit_kind in entity.links.get("unit_kind", [])
    return KIND_NAMES.get(value.strip().casefold()) == entity.kind


def _linked(relation: str) -> Matcher:
    def matcher(index: Index, entity: Entity, value: str) -> bool | None:
        targets = entity.links.get(relation)
        if targets is None:
            return None if relation != "parent" or not entity.is_unit else False
        return any(index.refers_to(value, target) for target in targets)

    return matcher


def _labelled(kind: str) -> Matcher:
    def matcher(_index: Index, entity: Entity, value: str) -> bool | None:
        labels = [label for label in entity.labels if label.kind == kind]
        if not labels:
            return None
        wanted = number_key(value) if kind == "number" else match_key(value)
        return any(label.key == wanted for label in labels)

    return matcher


MATCHERS: dict[str, Matcher] = {
    "kind": _kind,
    "parent": _linked("parent"),
    "document": _linked("document"),
    "lead": _linked("lead"),
    "name_en": _labelled("en"),
    "names": _labelled("alt"),
    "number": _labelled("number"),
}
KIND_NAMES = {
    "agency": "agency",
    "机构": "agency",
    "group": "group",
    "机构群体": "group",
    "unregistered": "unregistered",
    "未登记": "unregistered",
}
# The kinds of national body (pkg:UnitKind) by notation, Chinese label and IRI.
UNIT_KIND_NAMES = {
    name.casefold(): str(term)
    for term, names in {
        PKG.generalOffice: ("general-office", "国务院办公厅"),
        PKG.constituentDepartment: ("constituent-department", "国务院组成部门", "组成部门"),
        PKG.specialOrganization: ("special-organization", "国务院直属特设机构", "直属特设机构"),
        PKG.directlyAffiliatedAgency: ("directly-affiliated-agency", "国务院直属机构", "直属机构"),
        PKG.administrativeOffice: ("administrative-office", "国务院办事机构", "办事机构"),
        PKG.directlyAffiliatedInstitution: ("directly-affiliated-institution", "国务院直属事业单位", "直属事业单位"),
        PKG.nationalAdministration: ("national-administration", "部委管理的国家局", "国家局"),
        PKG.massOrganization: ("mass-organization", "群团组织"),
    }.items()
    for name in (*names, str(term))
}
FILTERS = frozenset({"kind"})  # a mismatch drops the candidate; other properties raise or lower its score


def _type_ok(entity: Entity, query: Query) -> bool:
    if not query.types:
        return True
    found = [cls in entity.types for cls in query.types]
    return all(found) if query.type_strict == "all" else any(found)


@dataclass(frozen=True)
class Probe:
    """A query's text as it is compared: its key, its number (if it reads as one) and its character pairs."""

    key: str
    number: str | None
    grams: frozenset[str]

    @classmethod
    def of(cls, text: str) -> Probe:
        text_key = match_key(text)
        return cls(text_key, number_key(text), _grams(text_key))


def _name_score(entity: Entity, probe: Probe | None) -> tuple[int, bool]:
    """(score, exact) of the entity's best name for the query text."""
    if probe is None:
        return 0, False
    for label in entity.labels:
        exact_name = label.kind in EXACT_KINDS and label.key == probe.key
        if exact_name or (label.kind == "number" and label.key == probe.number):
            return 100, True
    fuzzy = [label for label in entity.labels if label.kind in FUZZY_KINDS]
    best = max((similarity(probe.key, label.key, (probe.grams, label.grams)) for label in fuzzy), default=0.0)
    return min(99, round(100 * best)), False


def _property_score(index: Index, entity: Entity, query: Query) -> tuple[int, bool] | None:
    """(adjustment, all satisfied) from the query's properties; None when a filter rules the entity out."""
    adjustment, satisfied = 0, True
    for constraint in query.properties:
        results = [MATCHERS[constraint.pid](index, entity, value) for value in constraint.values]
        if constraint.pid in FILTERS:
            if not any(results):
                return None
        elif any(results):
            adjustment += 10
        else:
            adjustment -= 30
            satisfied = False
    return adjustment, satisfied


def reconcile(index: Index, query: Query) -> list[Candidate]:
    """The candidates for one query, best first; `match` for the one exact, unique, unobjected hit."""
    scored: list[tuple[Entity, int, bool]] = []
    probe = Probe.of(query.text) if query.text is not None else None
    for entity in index.entities.values():
        if not _type_ok(entity, query):
            continue
        properties = _property_score(index, entity, query)
        if properties is None:
            continue
        score, exact = _name_score(entity, probe)
        adjustment, satisfied = properties
        if query.text is None:
            score, exact = (100 if satisfied else 0), False
        final = max(0, min(100, score + adjustment))
        if final >= MIN_SCORE or (exact and satisfied):
            scored.append((entity, final, exact and satisfied))
    exact_hits = [entity for entity, _, exact in scored if exact]
    scored.sort(key=lambda item: (-item[1], -item[2], item[0].name, item[0].iri))
    return [Candidate(entity, score, exact and len(exact_hits) == 1) for entity, score, exact in scored[: query.limit]]


def reconcile_batch(index: Index, batch: Mapping[str, Query], type_names: Mapping[str, str]) -> dict[str, object]:
    return {
        name: {"result": [candidate.json(type_names) for candidate in reconcile(index, query)]}
        for name, query in batch.items()
    }


# --- suggest ----------------------------------------------------------------------------------------------
def suggest_entities(index: Index, prefix: str, types: tuple[str, ...], cursor: int, limit: int) -> list[Entity]:
    """Entities with a name, number or id starting with `prefix`, then those containing it; shortest names first."""
    wanted, number = match_key(prefix), number_key(prefix)
    ranked: list[tuple[int, int, str, Entity]] = []
    for entity in index.entities.values():
        if types and not any(cls in entity.types for cls in types):
            continue
        rank = _prefix_rank(entity, wanted, number)
        if rank is not None:
            ranked.append((rank, len(entity.name), entity.iri, entity))
    ranked.sort(key=lambda item: item[:3])
    return [entity for *_, entity in ranked[cursor : cursor + limit]]


def _prefix_rank(entity: Entity, wanted: str, number: str | None) -> int | None:
    if not wanted:
        return 2
    ranks = [
        0 if label.key.startswith(wanted) or label.key == number else 1
        for label in entity.labels
        if label.kind != "text" and (wanted in label.key or label.key == number)
    ]
    return min(ranks, default=None)


def suggest(items: Iterable[tuple[str, Iterable[str]]], prefix: str) -> list[str]:
    """The ids among `items` (id, its names) with a name starting with `prefix` (all when it is empty)."""
    wanted = match_key(prefix)
    return [item for item, names in items if not wanted or any(match_key(name).startswith(wanted) for name in names)]
