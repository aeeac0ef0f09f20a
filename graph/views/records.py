"""What people and programs read: policies, categories, tasks, agencies, provisions and links, as plain records.

The JSON API and the HTML pages both read through this module; the SPARQL behind each record is in
queries/views/*.rq, run with its parameters bound (never spliced). Identifiers (`id`) are IRIs relative to
the base (`eli/cn-bj/jingkezhuanfa/2022/226/attachment/1/task/8`, `agency/bj-finance`), so each maps to
exactly one IRI and to the path it is served at.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph

from graph import bundled
from graph.rdf.namespaces import PKG
from graph.store.base import Store
from graph.store.queries import StoredQuery, load_queries

LABEL_CACHE = 20_000
ROLES = {str(PKG.lead): "lead", str(PKG.participating): "participating"}
KINDS = {str(PKG.Agency): "agency", str(PKG.AgencyGroup): "group", str(PKG.ResponsibleUnit): "unregistered"}
PROVISION_KINDS = {
    str(PKG.Part): "part",
    str(PKG.Item): "item",
    str(PKG.Chapter): "chapter",
    str(PKG.Section): "section",
    str(PKG.Article): "article",
    str(PKG.Paragraph): "paragraph",
}
MAX_DEPTH = 10  # provisions nest at most part > item or chapter > section > article > paragraph > item
LINK_KINDS = {"implements": str(PKG.implementation), "cites": str(PKG.legalBasis), "similar": str(PKG.similarity)}
LINK_METHODS = {"curated": str(PKG.curated), "automatic": str(PKG.automatic)}
_KIND_OF_LINK = {iri: name for name, iri in LINK_KINDS.items()}
_METHOD_OF_LINK = {iri: name for name, iri in LINK_METHODS.items()}


@dataclass(frozen=True)
class Label:
    zh: str | None = None
    en: str | None = None

    @property
    def any(self) -> str:
        return self.zh or self.en or ""


@dataclass(frozen=True)
class Ref:
    """A link to a resource: its IRI, its id under the base, and its labels."""

    iri: str
    id: str
    label: Label


@dataclass(frozen=True)
class Assignment:
    agency: Ref
    role: str
    position: int
    verbatim_name: str | None


@dataclass(frozen=True)
class SourceRow:
    iri: str
    row: int
    cells: dict[str, str]
    category_continues_row: int | None
    units_continue_row: int | None


@dataclass(frozen=True)
class Task:
    iri: str
    id: str
    label: Label
    number: int
    text: str
    category: Ref
    policy: Ref
    assignments: list[Assignment]
    source_row: SourceRow | None = None

    @property
    def lead(self) -> Ref | None:
        return next((a.agency for a in self.assignments if a.role == "lead"), None)

    @property
    def participating(self) -> list[Ref]:
        return [a.agency for a in self.assignments if a.role == "participating"]


@dataclass(frozen=True)
class Category:
    iri: str
    id: str
    label: Label
    number: int
    notation: str | None
    policy: Ref
    task_count: int


@dataclass(frozen=True)
class Policy:
    iri: str
    id: str
    title: Label
    number: str | None
    kind: Ref | None
    date: str | None
    attachment_of: Ref | None
    links: dict[str, list[Ref]] = field(default_factory=dict)
    facts: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Agency:
    iri: str
    id: str
    label: Label
    kind: str
    leads: int
    joins: int
    names: list[str] = field(default_factory=list)
    parent: Ref | None = None
    same_as: list[str] = field(default_factory=list)
    exact_match: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Collaborator:
    agency: Ref
    shared_tasks: int


@dataclass(frozen=True)
class Provision:
    """A part, item (a measure, for the items of a measures part), chapter, section, article or paragraph."""

    iri: str
    id: str
    label: Label
    kind: str  # part, item, chapter, section, article, paragraph
    measure: bool
    number: int
    notation: str | None
    heading: str | None
    text: str | None
    document: Ref
    parent: Ref  # the parent provision, or the document for a top-level one

    @property
    def paragraphs(self) -> list[str]:
        """The text as the document sets it out: an article's paragraphs (款) and items (项) one to a line."""
        return [line for line in (self.text or "").split("\n") if line.strip()]

    @property
    def ref(self) -> Ref:
        return Ref(self.iri, self.id, self.label)


@dataclass(frozen=True)
class Contents:
    """One entry of a table of contents, with the entries under it."""

    provision: Provision
    children: list[Contents]


@dataclass(frozen=True)
class Outline:
    """A document's provisions as a tree, in document order (siblings by number)."""

    document: str
    provisions: dict[str, Provision]
    child_iris: dict[str, list[str]]

    def children(self, iri: str) -> list[Provision]:
        return [self.provisions[child] for child in self.child_iris.get(iri, [])]

    def walk(self, iri: str | None = None) -> Iterator[Provision]:
        """Every provision under `iri` (default: the whole document), depth first, in document order."""
        for child in self.children(iri or self.document):
            yield child
            yield from self.walk(child.iri)

    def contents(self, iri: str | None = None) -> list[Contents]:
        """The table of contents: parts and items, or chapters, sections and articles (not inside an article)."""
        return [
            Contents(child, [] if child.kind == "article" else self.contents(child.iri))
            for child in self.children(iri or self.document)
        ]


@dataclass(frozen=True)
class Link:
    """A link from a task (or provision) to a provision: implements a measure, rests on an article, or similar."""

    iri: str
    id: str
    label: Label
    source: Ref
    target: Ref
    document: Ref  # the target's document
    kind: str  # implements, cites, similar
    method: str  # curated, automatic
    rank: int
    score: float | None
    reason: Label

    @property
    def primary(self) -> bool:
        """The first curated link of its kind from its source."""
        return self.method == "curated" and self.rank == 1

    @property
    def order(self) -> tuple[int, int, int, float]:
        """Curated before automatic; implements, cites, similar; then by rank (automatic: by rank, then score)."""
        kinds = list(LINK_KINDS)
        methods = list(LINK_METHODS)
        return (
            methods.index(self.method) if self.method in methods else len(methods),
            kinds.index(self.kind) if self.kind in kinds else len(kinds),
            self.rank,
            -(self.score or 0.0),
        )


@dataclass(frozen=True)
class LinkFilter:
    """IRIs a list of links must match; None matches anything."""

    link: str | None = None
    source: str | None = None
    target: str | None = None
    kind: str | None = None
    method: str | None = None
    document: str | None = None  # the target's document


@dataclass(frozen=True)
class Related:
    """A task's link and the provision it points to."""

    link: Link
    provision: Provision


@dataclass(frozen=True)
class LinkedTask:
    """A link to a provision and the task it comes from."""

    link: Link
    task: Task


@dataclass(frozen=True)
class MeasureCoverage:
    measure: Provision
    tasks: list[LinkedTask]  # curated implementation links, in task order


@dataclass(frozen=True)
class Coverage:
    """For each measure of a document, the local tasks that implement it (curated links)."""

    document: Ref
    measures: list[MeasureCoverage]

    @property
    def uncovered(self) -> list[Provision]:
        return [entry.measure for entry in self.measures if not entry.tasks]

    @property
    def covered(self) -> int:
        return len(self.measures) - len(self.uncovered)


@dataclass(frozen=True)
class TaskFilter:
    agency: str | None = None
    role: str | None = None
    category: str | None = None
    policy: str | None = None
    q: str | None = None


def _true(term: object) -> bool:
    """A boolean answer: `true`, or `1` as Virtuoso gives for EXISTS."""
    return _value(term) in ("true", "1")


def _value(term: object) -> str:
    return term.value if isinstance(term, pyoxigraph.NamedNode | pyoxigraph.Literal | pyoxigraph.BlankNode) else ""


class Views:
    """Read models over a store. Labels are cached until `forget()` (called after every write)."""

    def __init__(self, store: Store, base: str) -> None:
        self.store = store
        self.base = base
        self.queries: dict[str, StoredQuery] = load_queries(bundled.folder("queries") / "views")
        self.label = lru_cache(maxsize=LABEL_CACHE)(self._label)  # per instance, so each store has its own

    # --- identifiers ---------------------------------------------------------------------------------
    def iri(self, identifier: str) -> str:
        return self.base + identifier

    def id_of(self, iri: str) -> str:
        return iri[len(self.base) :] if iri.startswith(self.base) else iri

    def forget(self) -> None:
        self.label.cache_clear()

    # --- running queries -----------------------------------------------------------------------------
    def rows(self, name: str, **values: str | None) -> list[dict[str, object]]:
        query = self.queries[name]
        given = {key: value for key, value in values.items() if value is not None}
        result = self.store.query(query.text, query.bindings(given, require_all=False))
        assert isinstance(result, pyoxigraph.QuerySolutions)
        names = [variable.value for variable in result.variables]
        return [{name: solution[name] for name in names} for solution in result]

    def _label(self, iri: str) -> Label:
        """The zh and en labels of a resource (`label` is this, caching the LABEL_CACHE most recently used)."""
        found: dict[str, str] = {}
        for row in self.rows("labels", this=iri):
            literal = row["label"]
            if isinstance(literal, pyoxigraph.Literal):
                found.setdefault((literal.language or "").split("-")[0], literal.value)
        return Label(found.get("zh") or found.get(""), found.get("en"))

    def ref(self, iri: str) -> Ref:
        return Ref(iri, self.id_of(iri), self.label(iri))

    def types(self, iri: str) -> set[str]:
        return {_value(row["type"]) for row in self.rows("types", this=iri)}

    # --- tasks ---------------------------------------------------------------------------------------
    def task_iris(self, where: TaskFilter) -> list[str]:
        role = {"lead": str(PKG.lead), "participating": str(PKG.participating)}.get(where.role or "", where.role)
        rows = self.rows(
            "tasks", agency=where.agency, role=role, category=where.category, policy=where.policy, q=where.q
        )
        return list(dict.fromkeys(_value(row["task"]) for row in rows))

    def task(self, iri: str, with_row: bool = False) -> Task | None:
        rows = self.rows("task", task=iri)
        if not rows:
            return None
        first = rows[0]
        assignments = [
            Assignment(
                self.ref(_value(row["unit"])),
                ROLES.get(_value(row["role"]), _value(row["role"])),
                int(_value(row["position"])),
                _value(row["verbatim"]) or None,
            )
            for row in rows
            if row["a"] is not None
        ]
        row_iri = _value(first["row"])
        return Task(
            iri=iri,
            id=self.id_of(iri),
            label=self.label(iri),
            number=int(_value(first["number"])),
            text=_value(first["text"]),
            category=self.ref(_value(first["category"])),
            policy=self.ref(_value(first["policy"])),
            assignments=assignments,
            source_row=self.source_row(row_iri) if with_row and row_iri else None,
        )

    def tasks(self, iris: Iterable[str]) -> list[Task]:
        return [task for task in map(self.task, iris) if task is not None]

    def source_row(self, iri: str) -> SourceRow | None:
        rows = self.rows("source-row", row=iri)
        if not rows:
            return None
        row = rows[0]
        cells = {"分类": "category", "任务编号": "taskNumber", "任务内容": "text", "责任单位": "units"}

        def number(term: object) -> int | None:
            return int(_value(term)) if term is not None else None

        return SourceRow(
            iri=iri,
            row=int(_value(row["number"])),
            cells={column: _value(row[name]) for column, name in cells.items()},
            category_continues_row=number(row["categoryFrom"]),
            units_continue_row=number(row["unitsFrom"]),
        )

    # --- categories ----------------------------------------------------------------------------------
    def categories(self, policy: str | None = None) -> list[Category]:
        return [
            Category(
                iri=_value(row["category"]),
                id=self.id_of(_value(row["category"])),
                label=self.label(_value(row["category"])),
                number=int(_value(row["number"])),
                notation=_value(row["notation"]) or None,
                policy=self.ref(_value(row["policy"])),
                task_count=int(_value(row["tasks"])),
            )
            for row in self.rows("categories", policy=policy)
        ]

    def category(self, iri: str) -> Category | None:
        return next((c for c in self.categories() if c.iri == iri), None)

    # --- policies ------------------------------------------------------------------------------------
    def policies(self) -> list[Policy]:
        return [self._policy(row) for row in self.rows("policies")]

    def policy(self, iri: str) -> Policy | None:
        summary = next((p for p in self.policies() if p.iri == iri), None)
        if summary is None:
            return None
        links: dict[str, list[Ref]] = defaultdict(list)
        facts: dict[str, str] = {}
        for row in self.rows("policy-links", policy=iri):
            relation, target = _value(row["relation"]), row["target"]
            if isinstance(target, pyoxigraph.NamedNode):
                links[relation].append(self.ref(target.value))
            elif isinstance(target, pyoxigraph.Literal):
                key = f"{relation}_{target.language}" if target.language else relation
                facts[key] = target.value
        return Policy(**{**summary.__dict__, "links": dict(links), "facts": facts})

    def _policy(self, row: dict[str, object]) -> Policy:
        iri = _value(row["policy"])
        parent = _value(row["parent"])
        kind = _value(row["kind"])
        return Policy(
            iri=iri,
            id=self.id_of(iri),
            title=self.label(iri),
            number=_value(row["number"]) or None,
            kind=self.ref(kind) if kind else None,
            date=_value(row["date"]) or None,
            attachment_of=self.ref(parent) if parent else None,
        )

    # --- agencies ------------------------------------------------------------------------------------
    def agencies(self) -> list[Agency]:
        return [
            Agency(
                iri=_value(row["agency"]),
                id=self.id_of(_value(row["agency"])),
                label=self.label(_value(row["agency"])),
                kind=KINDS.get(_value(row["kind"]), "unregistered"),
                leads=int(_value(row["leads"])),
                joins=int(_value(row["joins"])),
            )
            for row in self.rows("agencies")
        ]

    def agency(self, iri: str) -> Agency | None:
        summary = next((a for a in self.agencies() if a.iri == iri), None)
        if summary is None:
            return None
        facts: dict[str, list[str]] = {"name": [], "same_as": [], "exact_match": [], "parent": []}
        for row in self.rows("unit-facts", agency=iri):
            facts.setdefault(_value(row["relation"]), []).append(_value(row["value"]))
        parent = self.ref(facts["parent"][0]) if facts["parent"] else None
        links = {name: sorted(facts[name]) for name in ("same_as", "exact_match")}
        return Agency(**{**summary.__dict__, "names": sorted(facts["name"]), "parent": parent, **links})

    def agency_tasks(self, iri: str) -> dict[str, list[str]]:
        """Task IRIs the agency leads and joins, in task order."""
        roles: dict[str, list[str]] = {"lead": [], "participating": []}
        for row in self.rows("agency", agency=iri):
            roles.setdefault(ROLES.get(_value(row["role"]), "participating"), []).append(_value(row["task"]))
        return {role: sorted(set(tasks), key=_task_order) for role, tasks in roles.items()}

    def collaborators(self, iri: str) -> list[Collaborator]:
        return [
            Collaborator(self.ref(_value(row["other"])), int(_value(row["shared"])))
            for row in self.rows("collaborators", agency=iri)
        ]

    # --- documents and provisions --------------------------------------------------------------------
    def document(self, identifier: str) -> str | None:
        """The IRI of the policy document `identifier` names: its id (`eli/cn/guobanfa/2021/26`) or its manifest
        id (`guobanfa-2021-26`, whose content is the named graph `graph/guobanfa-2021-26`); else None."""
        iri = self.iri(identifier)
        if str(PKG.Policy) in self.types(iri):
            return iri
        if "/" in identifier:
            return None
        rows = self.rows("document-graph", graph=self.iri("graph/" + identifier))
        return _value(rows[0]["document"]) if rows else None

    def provision(self, iri: str) -> Provision | None:
        rows = self.rows("provisions", provision=iri)
        return self._provision(rows[0]) if rows else None

    def outline(self, document: str) -> Outline:
        """The provisions of one document as a tree."""
        return _outline(document, [self._provision(row) for row in self.rows("provisions", document=document)])

    def provisions(self, document: str | None = None, kind: str | None = None) -> list[Provision]:
        """Provisions in document order (documents by IRI), optionally of one document and of one kind: part, item,
        chapter, section, article, paragraph, or measure (items are measures too when their part lists measures)."""
        by_document: dict[str, list[Provision]] = defaultdict(list)
        for row in self.rows("provisions", document=document):
            provision = self._provision(row)
            by_document[provision.document.iri].append(provision)
        ordered = [p for iri in sorted(by_document) for p in _outline(iri, by_document[iri]).walk()]
        return [p for p in ordered if kind is None or p.kind == kind or (kind == "measure" and p.measure)]

    def children(self, iri: str) -> list[Provision]:
        """The provisions directly under a provision (or a document), in document order."""
        return _outline(iri, [self._provision(row) for row in self.rows("provisions", parent=iri)]).children(iri)

    def ancestors(self, provision: Provision) -> list[Provision]:
        """The provisions above `provision`, from the top of its document down to its parent."""
        found: list[Provision] = []
        node: Provision | None = provision
        while node is not None and node.parent.iri != node.document.iri and len(found) < MAX_DEPTH:
            node = self.provision(node.parent.iri)
            found += [node] if node is not None else []
        return found[::-1]

    def tasks_linked_to(self, provision: str) -> dict[str, list[LinkedTask]]:
        """Tasks linked to a provision: `implements` and `cites` by curated links, `candidates` by automatic ones."""
        found: dict[str, list[LinkedTask]] = {"implements": [], "cites": [], "candidates": []}
        for linked in self.linked_tasks(LinkFilter(target=provision)):
            found.setdefault("candidates" if linked.link.method == "automatic" else linked.link.kind, []).append(linked)
        return found

    def measure_documents(self) -> list[str]:
        """The documents that have measures, by IRI."""
        return [_value(row["document"]) for row in self.rows("measure-documents")]

    def _provision(self, row: dict[str, object]) -> Provision:
        iri = _value(row["provision"])
        return Provision(
            iri=iri,
            id=self.id_of(iri),
            label=Label(_value(row["labelZh"]) or None, _value(row["labelEn"]) or None),
            kind=PROVISION_KINDS.get(_value(row["kind"]), "item"),
            measure=_true(row["measure"]),
            number=int(_value(row["number"])),
            notation=_value(row["notation"]) or None,
            heading=_value(row["heading"]) or None,
            text=_value(row["text"]) or None,
            document=self.ref(_value(row["document"])),
            parent=self.ref(_value(row["parent"])),
        )

    # --- links ---------------------------------------------------------------------------------------
    def links(self, where: LinkFilter) -> list[Link]:
        """Links matching every given field, curated first, then implements, cites, similar, then by rank."""
        rows = self.rows(
            "links",
            link=where.link,
            source=where.source,
            target=where.target,
            kind=LINK_KINDS[where.kind] if where.kind else None,
            method=LINK_METHODS[where.method] if where.method else None,
            document=where.document,
        )
        found: dict[str, Link] = {}
        for row in rows:
            iri = _value(row["link"])
            if iri not in found:
                found[iri] = self._link(iri, row)
        return sorted(found.values(), key=lambda link: (link.order, _task_order(link.source.iri), link.target.iri))

    def link(self, iri: str) -> Link | None:
        return next(iter(self.links(LinkFilter(link=iri))), None)

    def related(self, task: str, kind: str | None = None, method: str | None = None) -> list[Related]:
        """A task's links with the provisions they point to, in link order (see `links`)."""
        found = []
        for link in self.links(LinkFilter(source=task, kind=kind, method=method)):
            provision = self.provision(link.target.iri)
            if provision is not None:
                found.append(Related(link, provision))
        return found

    def linked_tasks(self, where: LinkFilter) -> list[LinkedTask]:
        """The tasks among the sources of the matching links, each with its link, in task order."""
        found = []
        for link in sorted(self.links(where), key=lambda link: (_task_order(link.source.iri), link.order)):
            task = self.task(link.source.iri)
            if task is not None:
                found.append(LinkedTask(link, task))
        return found

    def coverage(self, document: str) -> Coverage:
        """Each measure of `document` with the tasks that implement it by a curated link, in document order."""
        tasks: dict[str, list[LinkedTask]] = defaultdict(list)
        for linked in self.linked_tasks(LinkFilter(kind="implements", method="curated", document=document)):
            tasks[linked.link.target.iri].append(linked)
        measures = self.provisions(document, "measure")
        return Coverage(self.ref(document), [MeasureCoverage(m, tasks.get(m.iri, [])) for m in measures])

    def _link(self, iri: str, row: dict[str, object]) -> Link:
        kind, method, score = _value(row["kind"]), _value(row["method"]), _value(row["score"])
        return Link(
            iri=iri,
            id=self.id_of(iri),
            label=self.label(iri),
            source=self.ref(_value(row["source"])),
            target=self.ref(_value(row["target"])),
            document=self.ref(_value(row["document"])),
            kind=_KIND_OF_LINK.get(kind, kind),
            method=_METHOD_OF_LINK.get(method, method),
            rank=int(_value(row["rank"]) or 0),
            score=float(score) if score else None,
            reason=Label(_value(row["reasonZh"]) or None, _value(row["reasonEn"]) or None),
        )

    # --- anything ------------------------------------------------------------------------------------
    def describe(self, iri: str) -> list[pyoxigraph.Triple]:
        query = self.queries["describe"]
        result = self.store.query(query.text, query.bindings({"this": iri}))
        assert isinstance(result, pyoxigraph.QueryTriples | list)
        return list(result)

    # --- search --------------------------------------------------------------------------------------
    def search(self, q: str) -> list[SearchHit]:
        """Policies by title, units by any name (zh or en), tasks by text, containing `q`; tasks in number order."""
        hits: dict[str, SearchHit] = {}
        for row in self.rows("search", q=q):
            iri = _value(row["item"])
            hits.setdefault(iri, SearchHit(_value(row["kind"]), self.ref(iri), _value(row["text"]) or None))
        rank = {"policy": 1, "agency": 2, "task": 3}
        return sorted(hits.values(), key=lambda hit: (rank.get(hit.kind, 4), _task_order(hit.item.iri)))


def _task_order(iri: str) -> tuple[str, int]:
    head, _, number = iri.rpartition("/")
    return (head, int(number) if number.isdigit() else 0)


@dataclass(frozen=True)
class SearchHit:
    kind: str
    item: Ref
    text: str | None


def _outline(document: str, provisions: Iterable[Provision]) -> Outline:
    """A document's provisions as a tree; siblings by number (articles are numbered through a law)."""
    kinds = list(PROVISION_KINDS.values())
    ordered = sorted(provisions, key=lambda p: (kinds.index(p.kind) if p.kind in kinds else 0, p.number, p.iri))
    child_iris: dict[str, list[str]] = defaultdict(list)
    for provision in ordered:
        child_iris[provision.parent.iri].append(provision.iri)
    return Outline(document, {p.iri: p for p in ordered}, dict(child_iris))
