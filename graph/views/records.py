"""What people and programs read: policies, categories, tasks, agencies, provisions and links, as records.

Each kind has one record type, a pydantic model whose fields are what the JSON API answers (names, types and
descriptions; examples from graph/views/examples.py), and one data function here that makes it: the JSON route
returns the record as it is, the HTML page renders the same object (with page context around it). The
SPARQL behind each record is in queries/views/*.rq, run with its parameters bound (never spliced). Identifiers
(`id`) are IRIs relative to the base (`eli/cn-bj/jingkezhuanfa/2022/226/attachment/1/task/8`, `agency/bj-finance`),
so each maps to exactly one IRI and to the path it is served at.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import pyoxigraph
from pydantic import BaseModel, ConfigDict, Field

from graph import bundled
from graph.rdf.namespaces import PKG
from graph.store.base import Store
from graph.store.queries import StoredQuery, load_queries
from graph.views.examples import (
    AGENCY,
    AGENCY_SUMMARY,
    CATEGORY,
    CATEGORY_DETAIL,
    CITATION_LINK,
    FINANCE,
    LINK_8_3,
    LINKED_TASK_8,
    MEASURE_3,
    MEASURE_3_COVERAGE,
    NATIONAL_COVERAGE,
    POLICY,
    POLICY_SUMMARY,
    PROVISION,
    RELATED_8,
    TASK_8,
    TASK_8_REF,
    TASK_8_SUMMARY,
    TASK_8_TEXT,
    TASK_RELATED,
    UNRESOLVED_CITATION,
    with_examples,
)

LABEL_CACHE = 20_000
ROLES = {
    str(PKG.lead): "lead",
    str(PKG.participating): "participating",
    str(PKG.responsible): "responsible",  # one of several units a 责任单位 cell names, none said to lead
    str(PKG.guiding): "guiding",  # a 指导部门
}
Role = Literal["lead", "participating", "responsible", "guiding"]
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


class Record(BaseModel):
    """Every record is immutable once made."""

    model_config = ConfigDict(frozen=True)


class Labels(Record):
    """A name in Chinese and English; either may be missing."""

    model_config = with_examples({"zh": "北京市财政局", "en": "Beijing Municipal Finance Bureau"})
    zh: str | None = None
    en: str | None = None

    @property
    def any(self) -> str:
        """The Chinese name, else the English one, else empty."""
        return self.zh or self.en or ""

    @property
    def given(self) -> Labels | None:
        """These labels, or None when both are missing."""
        return self if self.zh or self.en else None


class Ref(Record):
    """A link to another item: its IRI, its id under the base IRI and its labels."""

    model_config = with_examples(FINANCE)
    iri: str
    id: str = Field(description="The IRI relative to the base IRI; the item's path under `/api/...`.")
    labels: Labels


class TaskRef(Ref):
    """A link to a task, with its number in its table."""

    model_config = with_examples(TASK_8_REF)
    number: int


# --- tasks -----------------------------------------------------------------------------------------------
class Assignment(Record):
    """A unit's responsibility for a task: its role and its place in the 责任单位 cell."""

    model_config = with_examples(TASK_8["assignments"][1])
    agency: Ref
    role: Role
    position: int = Field(description="1 for the first unit named in the 责任单位 cell.")
    verbatim_name: str | None = Field(description="The name as the table writes it.")


class SourceRow(Record):
    """The table row a task was read from, its four cells verbatim, and which row a merged cell continues."""

    model_config = with_examples(TASK_8["source_row"])
    iri: str
    id: str
    row: int = Field(description="Row number in the source table (the header is row 1).")
    cells: dict[str, str] = Field(
        description="The verbatim cells, keyed by column: 分类, 任务编号, 任务内容, 责任单位."
    )
    category_continues_row: int | None = Field(description="The row whose merged 分类 cell this row continues.")
    units_continue_row: int | None = Field(description="The row whose merged 责任单位 cell this row continues.")


class TaskSummary(TaskRef):
    """A task as lists show it."""

    model_config = with_examples(TASK_8_SUMMARY)
    text: str
    category: Ref | None = Field(description="Its category (分类); none when its table has no category column.")
    policy: Ref = Field(description="The task-division table the task belongs to.")
    lead: Ref | None = Field(description="The lead unit (牵头单位); the first, when the document names two.")
    leads: list[Ref] = Field(default_factory=list, description="Every lead unit (a 牵头单位 cell may name two).")
    participating: list[Ref] = Field(description="The participating units (配合单位), in table order.")
    responsible: list[Ref] = Field(
        default_factory=list, description="Units responsible together, none said to lead (a 责任单位 cell of several)."
    )
    guiding: list[Ref] = Field(default_factory=list, description="Guiding units (指导部门).")


class Task(TaskSummary):
    """A task with every assignment and its source row."""

    model_config = with_examples(TASK_8)
    assignments: list[Assignment]
    source_row: SourceRow | None


# --- categories ------------------------------------------------------------------------------------------
class Category(Ref):
    """A category (分类) of a task-division table."""

    model_config = with_examples(CATEGORY)
    number: int
    notation: str | None = Field(description="The numeral the table writes, e.g. 五.")
    policy: Ref
    task_count: int


class CategoryDetail(Category):
    """A category with its tasks."""

    model_config = with_examples(CATEGORY_DETAIL)
    tasks: list[TaskRef]  # Views.category_detail gives whole tasks; the JSON shows their refs


# --- policies --------------------------------------------------------------------------------------------
class PolicySummary(Ref):
    """A policy document as lists show it; `labels` is its title."""

    model_config = with_examples(POLICY_SUMMARY)
    number: str | None = Field(description="The document number (文号), e.g. 国办发〔2021〕26号.")
    kind: Ref | None = Field(description="The kind of document (ELI resource type).")
    date: str | None = Field(description="Date of the document (ISO 8601).")
    attachment_of: Ref | None = Field(description="The document this one is an attachment of.")


class Policy(PolicySummary):
    """A policy document with its issuers, the documents it implements and is implemented by, and its files."""

    model_config = with_examples(POLICY)
    issuers: list[Ref]
    implements: list[Ref]
    implemented_by: list[Ref]
    attachments: list[Ref]
    sources: list[Ref] = Field(description="The source files it was read from (by SHA-256).")
    description: Labels | None
    published: str | None = Field(description="Date of publication (ISO 8601).")
    in_force: str | None = Field(description="Date of entry into force (ISO 8601).")
    cites: list[CitationLink] = Field(
        default_factory=list,
        description="What its texts cite, read from their citations: from the document and from its provisions and "
        "tasks, by rank (where the citation first occurs).",
    )
    cited_in: list[CitationLink] = Field(
        default_factory=list, description="Citations of it or of its provisions in other documents' texts."
    )
    unresolved_citations: list[UnresolvedCitation] = Field(
        default_factory=list, description="What its texts cite that is not in the graph (引用但不在图中), in order."
    )


# --- agencies --------------------------------------------------------------------------------------------
AgencyKind = Literal["agency", "group", "unregistered"]


class AgencySummary(Ref):
    """A responsible unit as lists show it; `labels` is its full name."""

    model_config = with_examples(AGENCY_SUMMARY)
    kind: AgencyKind = Field(description="agency, group (e.g. 各区政府) or unregistered (not in the registry).")
    leads: int = Field(description="How many tasks it leads.")
    joins: int = Field(description="How many tasks it participates in.")


class Collaborator(Record):
    """Another unit responsible for some of the same tasks."""

    model_config = with_examples(AGENCY["collaborators"][0])
    agency: Ref
    shared_tasks: int


class Agency(AgencySummary):
    """A responsible unit with its other names, its tasks and the units it shares tasks with."""

    model_config = with_examples(AGENCY)
    names: list[str] = Field(description="Short and other names (e.g. 市财政局).")
    parent: Ref | None = Field(description="The body it belongs to.")
    same_as: list[str] = Field(description="The same unit in other registries (owl:sameAs), e.g. Wikidata items.")
    exact_match: list[str] = Field(description="Records about the unit in other registries (skos:exactMatch).")
    lead_tasks: list[TaskRef]  # Views.agency_detail gives whole tasks; the JSON shows their refs
    participating_tasks: list[TaskRef]
    collaborators: list[Collaborator] = Field(description="Units sharing its tasks, most shared tasks first.")


# --- provisions and links --------------------------------------------------------------------------------
ProvisionKind = Literal["part", "item", "chapter", "section", "article", "paragraph"]
LinkKind = Literal["implements", "cites", "similar"]
LinkMethod = Literal["curated", "automatic"]


class ProvisionSummary(Ref):
    """A provision of a prose document (a part, item, chapter, section, article or paragraph); `labels` is how
    documents cite it (二（三）…, 第六十八条)."""

    model_config = with_examples(MEASURE_3)
    kind: ProvisionKind
    measure: bool = Field(description="Whether it is a measure: an item of a part that sets out measures.")
    number: int = Field(description="Its number among its siblings (articles: through the law).")
    notation: str | None = Field(description="The numbering as written, e.g. （三） or 第六十八条.")
    heading: str | None = Field(description="Its heading: a part's or chapter's title, a measure's first sentence.")
    document: Ref
    parent: Ref = Field(description="The provision it belongs to, or the document for a top-level one.")


class ProvisionText(ProvisionSummary):
    """A provision with its wording: what lists, outlines and links of the graph hold (the JSON lists show the
    summary)."""

    text: str | None = Field(description="Its wording; an article's paragraphs and items one to a line.")

    @property
    def paragraphs(self) -> list[str]:
        """The text as the document sets it out: an article's paragraphs (款) and items (项) one to a line."""
        return [line for line in (self.text or "").split("\n") if line.strip()]


class LinkFacts(Record):
    """How two things are linked: kind, method, rank among the source's links of that kind, reason, score."""

    model_config = with_examples(LINK_8_3)
    link: Ref = Field(description="The link itself (a pkg:Link node), with its own page.")
    kind: LinkKind = Field(description="implements a measure, cites (rests on) an article, or similar text.")
    method: LinkMethod = Field(description="curated by reading, or proposed automatically (with a score).")
    rank: int = Field(description="1 for the primary link of its kind, then secondary ones.")
    primary: bool = Field(description="A curated link of rank 1.")
    reason: Labels | None
    score: float | None = Field(description="The similarity score of an automatic link, 0 to 1.")


class RelatedProvision(LinkFacts):
    """A provision a task is linked to."""

    model_config = with_examples(RELATED_8)
    target: ProvisionSummary  # Views.related gives the provision with its text


class TaskRelated(Record):
    """A task's links to national measures and law articles: curated first; implements, cites, similar; by rank."""

    model_config = with_examples(TASK_RELATED)
    task: TaskRef
    items: list[RelatedProvision]


class LinkedTask(LinkFacts):
    """A task linked to a provision, with its table, category and units (lead and participating)."""

    model_config = with_examples(LINKED_TASK_8)
    task: TaskSummary


class CitationLink(LinkFacts):
    """A link read from a citation in a text: from the citing document, provision or task to the document or
    provision it names; the sentence the citation occurs in is its reason."""

    model_config = with_examples(CITATION_LINK)
    source: Ref = Field(description="Where the citation occurs: a document (its opening), a provision or a task.")
    target: Ref = Field(description="What it names: a document, or the article (paragraph) cited.")
    document: Ref = Field(description="The target's document (the target itself when it is a document).")


class UnresolvedCitation(Ref):
    """A citation in a text of a document the graph does not hold; it becomes a link when that document is added."""

    model_config = with_examples(UNRESOLVED_CITATION)
    text: str = Field(description="The citation as written, e.g. 《…》（国办发〔2021〕26号）第十条.")
    title: str | None = Field(description="The cited title as written, without 《》.")
    number: str | None = Field(description="The cited document number as written.")
    sentence: str = Field(description="The sentence the citation occurs in.")
    kind: LinkKind = Field(description="implements where the sentence says so, else cites.")
    cited_in: Ref = Field(description="Where it occurs: the document (its opening), a provision or a task.")
    order: int = Field(description="Its place among the document's citations, from 1.")


class Provision(ProvisionText):
    """A provision with its text, where it sits, what it holds, and the local tasks linked to it."""

    model_config = with_examples(PROVISION)
    # Views.provision_detail gives the provisions above and under it with their text; the JSON shows less
    ancestors: list[Ref] = Field(description="The provisions above it, from the top of the document down.")
    children: list[ProvisionSummary]
    implemented_by: list[LinkedTask] = Field(
        description="Tasks that implement it (curated links, and links read from the task's own citations), in task "
        "order."
    )
    cited_by: list[LinkedTask] = Field(
        description="Tasks that rest on it (curated links, and links read from the task's own citations), in task "
        "order."
    )
    candidates: list[LinkedTask] = Field(description="Tasks proposed as related by text similarity; not checked.")
    cites: list[CitationLink] = Field(
        default_factory=list, description="What its text cites (links read from its citations), by rank."
    )
    cited_in: list[CitationLink] = Field(
        default_factory=list, description="The documents and provisions whose text cites it, by document and rank."
    )


class Link(Record):
    """A link from a task (or provision) to a provision: implements a measure, rests on an article, or similar."""

    iri: str
    id: str
    labels: Labels
    source: Ref
    target: Ref
    document: Ref  # the target's document
    kind: LinkKind
    method: LinkMethod
    rank: int
    primary: bool  # the first curated link of its kind from its source
    score: float | None
    reason: Labels

    @property
    def ref(self) -> Ref:
        return Ref(iri=self.iri, id=self.id, labels=self.labels)

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

    def facts(self) -> dict[str, Any]:
        """The fields of LinkFacts: the link as the JSON shows it beside what it links."""
        return {"link": self.ref, "kind": self.kind, "method": self.method, "rank": self.rank,
                "primary": self.primary, "reason": self.reason.given, "score": self.score}  # fmt: skip


class MeasureCoverage(Record):
    """A measure and the tasks that implement it (curated links; `primary` marks a task's main measure)."""

    model_config = with_examples(MEASURE_3_COVERAGE)
    measure: ProvisionSummary
    tasks: list[LinkedTask]


class DocumentCoverage(Record):
    """How far the measures of one document are taken up by local tasks."""

    model_config = with_examples(NATIONAL_COVERAGE)
    document: Ref
    measure_count: int
    covered_count: int = Field(description="Measures at least one task implements.")
    measures: list[MeasureCoverage] = Field(description="Every measure in document order.")
    uncovered: list[ProvisionSummary] = Field(description="The measures no task implements.")


# --- search ----------------------------------------------------------------------------------------------
class SearchHit(Ref):
    """A policy, unit or task whose title, name or text contains the search words."""

    model_config = with_examples({**TASK_8_REF, "kind": "task", "text": TASK_8_TEXT})
    kind: Literal["policy", "agency", "task"]
    text: str | None = Field(description="The task's text (tasks only).")


# --- what the graph keeps beside the records -------------------------------------------------------------
@dataclass(frozen=True)
class Contents:
    """One entry of a table of contents, with the entries under it."""

    provision: ProvisionText
    children: list[Contents]


@dataclass(frozen=True)
class Outline:
    """A document's provisions as a tree, in document order (siblings by number)."""

    document: str
    provisions: dict[str, ProvisionText]
    child_iris: dict[str, list[str]]

    def children(self, iri: str) -> list[ProvisionText]:
        return [self.provisions[child] for child in self.child_iris.get(iri, [])]

    def walk(self, iri: str | None = None) -> Iterator[ProvisionText]:
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
class LinkFilter:
    """IRIs a list of links must match; None matches anything."""

    link: str | None = None
    source: str | None = None
    target: str | None = None
    kind: str | None = None
    method: str | None = None
    document: str | None = None  # the target's document


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

    def _label(self, iri: str) -> Labels:
        """The zh and en labels of a resource (`label` is this, caching the LABEL_CACHE most recently used)."""
        return labels_of(self.rows("labels", this=iri))

    def ref(self, iri: str) -> Ref:
        return Ref(iri=iri, id=self.id_of(iri), labels=self.label(iri))

    def refs(self, iris: Iterable[str]) -> list[Ref]:
        """Links in id order, so that a record does not depend on the store's order."""
        return sorted(map(self.ref, iris), key=lambda item: item.id)

    def types(self, iri: str) -> set[str]:
        return {_value(row["type"]) for row in self.rows("types", this=iri)}

    # --- tasks ---------------------------------------------------------------------------------------
    def task_iris(self, where: TaskFilter) -> list[str]:
        role = {name: iri for iri, name in ROLES.items()}.get(where.role or "", where.role)
        rows = self.rows(
            "tasks", agency=where.agency, role=role, category=where.category, policy=where.policy, q=where.q
        )
        return list(dict.fromkeys(_value(row["task"]) for row in rows))

    def task(self, iri: str, with_row: bool = False) -> Task | None:
        """A task with its assignments (its lead and participating units among them); its source row `with_row`."""
        rows = self.rows("task", task=iri)
        if not rows:
            return None
        first = rows[0]
        assignments = [
            Assignment(
                agency=self.ref(_value(row["unit"])),
                role=ROLES.get(_value(row["role"]), _value(row["role"])),  # type: ignore[arg-type]
                position=int(_value(row["position"])),
                verbatim_name=_value(row["verbatim"]) or None,
            )
            for row in rows
            if row["a"] is not None
        ]
        row_iri = _value(first["row"])
        return Task(
            iri=iri,
            id=self.id_of(iri),
            labels=self.label(iri),
            number=int(_value(first["number"])),
            text=_value(first["text"]),
            category=self.ref(_value(first["category"])) if first["category"] is not None else None,
            policy=self.ref(_value(first["policy"])),
            lead=next((a.agency for a in assignments if a.role == "lead"), None),
            leads=[a.agency for a in assignments if a.role == "lead"],
            participating=[a.agency for a in assignments if a.role == "participating"],
            responsible=[a.agency for a in assignments if a.role == "responsible"],
            guiding=[a.agency for a in assignments if a.role == "guiding"],
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
            id=self.id_of(iri),
            row=int(_value(row["number"])),
            cells={column: _value(row[name]) for column, name in cells.items()},
            category_continues_row=number(row["categoryFrom"]),
            units_continue_row=number(row["unitsFrom"]),
        )

    def task_related(self, iri: str, kind: str | None = None, method: str | None = None) -> TaskRelated | None:
        """A task and the provisions it is linked to (see `related`)."""
        task = self.task(iri)
        return TaskRelated(task=task, items=self.related(iri, kind, method)) if task is not None else None

    # --- categories ----------------------------------------------------------------------------------
    def categories(self, policy: str | None = None) -> list[Category]:
        return [
            Category(
                iri=_value(row["category"]),
                id=self.id_of(_value(row["category"])),
                labels=self.label(_value(row["category"])),
                number=int(_value(row["number"])),
                notation=_value(row["notation"]) or None,
                policy=self.ref(_value(row["policy"])),
                task_count=int(_value(row["tasks"])),
            )
            for row in self.rows("categories", policy=policy)
        ]

    def category(self, iri: str) -> Category | None:
        return next((c for c in self.categories() if c.iri == iri), None)

    def category_detail(self, iri: str) -> CategoryDetail | None:
        """A category with its tasks in number order (whole tasks: the JSON shows their refs, the page a table)."""
        category = self.category(iri)
        if category is None:
            return None
        return CategoryDetail(
            **dict(category), tasks=list[TaskRef](self.tasks(self.task_iris(TaskFilter(category=iri))))
        )

    # --- policies ------------------------------------------------------------------------------------
    def policies(self) -> list[PolicySummary]:
        return [self._policy(row) for row in self.rows("policies")]

    def policy(self, iri: str) -> Policy | None:
        """A policy document with what it links to (each list in id order), its description and dates."""
        summary = next((p for p in self.policies() if p.iri == iri), None)
        if summary is None:
            return None
        links: dict[str, list[str]] = defaultdict(list)
        facts: dict[str, str] = {}
        for row in self.rows("policy-links", policy=iri):
            relation, target = _value(row["relation"]), row["target"]
            if isinstance(target, pyoxigraph.NamedNode):
                links[relation].append(target.value)
            elif isinstance(target, pyoxigraph.Literal):
                key = f"{relation}_{target.language}" if target.language else relation
                facts[key] = target.value
        description = Labels(zh=facts.get("description_zh") or facts.get("description"), en=facts.get("description_en"))
        return Policy(
            **dict(summary),
            issuers=self.refs(dict.fromkeys(links["issuer"])),
            implements=self.refs(dict.fromkeys(links["implements"])),
            implemented_by=self.refs(dict.fromkeys(links["implemented_by"])),
            attachments=self.refs(dict.fromkeys(links["attachment"])),
            sources=self.refs(dict.fromkeys(links["source"])),
            description=description.given,
            published=facts.get("published"),
            in_force=facts.get("in_force"),
            cites=self.citation_links(citing=iri),
            cited_in=[link for link in self.citation_links(document=iri) if link.source.iri != iri],
            unresolved_citations=self.unresolved_citations(iri),
        )

    def _policy(self, row: dict[str, object]) -> PolicySummary:
        iri = _value(row["policy"])
        parent = _value(row["parent"])
        kind = _value(row["kind"])
        return PolicySummary(
            iri=iri,
            id=self.id_of(iri),
            labels=self.label(iri),
            number=_value(row["number"]) or None,
            kind=self.ref(kind) if kind else None,
            date=_value(row["date"]) or None,
            attachment_of=self.ref(parent) if parent else None,
        )

    # --- agencies ------------------------------------------------------------------------------------
    def agencies(self) -> list[AgencySummary]:
        return [
            AgencySummary(
                iri=_value(row["agency"]),
                id=self.id_of(_value(row["agency"])),
                labels=self.label(_value(row["agency"])),
                kind=KINDS.get(_value(row["kind"]), "unregistered"),  # type: ignore[arg-type]
                leads=int(_value(row["leads"])),
                joins=int(_value(row["joins"])),
            )
            for row in self.rows("agencies")
        ]

    def agency_detail(self, iri: str) -> Agency | None:
        """A unit with its other names, parent and matches; the tasks it leads and joins (whole tasks, in number
        order: the JSON shows their refs, the page a table); and the units it shares tasks with."""
        summary = next((a for a in self.agencies() if a.iri == iri), None)
        if summary is None:
            return None
        facts: dict[str, list[str]] = {"name": [], "same_as": [], "exact_match": [], "parent": []}
        for row in self.rows("unit-facts", agency=iri):
            facts.setdefault(_value(row["relation"]), []).append(_value(row["value"]))
        roles = self.agency_tasks(iri)
        return Agency(
            **dict(summary),
            names=sorted(facts["name"]),
            parent=self.ref(facts["parent"][0]) if facts["parent"] else None,
            same_as=sorted(facts["same_as"]),
            exact_match=sorted(facts["exact_match"]),
            lead_tasks=list[TaskRef](self.tasks(roles.get("lead", []))),
            participating_tasks=list[TaskRef](self.tasks(roles.get("participating", []))),
            collaborators=self.collaborators(iri),
        )

    def agency_tasks(self, iri: str) -> dict[str, list[str]]:
        """Task IRIs the agency leads and joins, in task order."""
        roles: dict[str, list[str]] = {"lead": [], "participating": []}
        for row in self.rows("agency", agency=iri):
            roles.setdefault(ROLES.get(_value(row["role"]), "participating"), []).append(_value(row["task"]))
        return {role: sorted(set(tasks), key=_task_order) for role, tasks in roles.items()}

    def collaborators(self, iri: str) -> list[Collaborator]:
        return [
            Collaborator(agency=self.ref(_value(row["other"])), shared_tasks=int(_value(row["shared"])))
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

    def provision(self, iri: str) -> ProvisionText | None:
        rows = self.rows("provisions", provision=iri)
        return self._provision(rows[0]) if rows else None

    def provision_detail(self, iri: str) -> Provision | None:
        """A provision with the provisions above and under it and the tasks linked to it (see `tasks_linked_to`)."""
        provision = self.provision(iri)
        if provision is None:
            return None
        linked = self.tasks_linked_to(iri)
        return Provision(
            **dict(provision),
            ancestors=list[Ref](self.ancestors(provision)),
            children=list[ProvisionSummary](self.children(iri)),
            implemented_by=linked.get("implements", []),
            cited_by=linked.get("cites", []),
            candidates=linked.get("candidates", []),
            cites=[link for link in self.citation_links(citing=provision.document.iri) if link.source.iri == iri],
            cited_in=[
                link
                for link in self.citation_links(document=provision.document.iri)
                if link.target.iri == iri and self.task(link.source.iri) is None
            ],
        )

    def outline(self, document: str) -> Outline:
        """The provisions of one document as a tree."""
        return _outline(document, [self._provision(row) for row in self.rows("provisions", document=document)])

    def provisions(self, document: str | None = None, kind: str | None = None) -> list[ProvisionText]:
        """Provisions in document order (documents by IRI), optionally of one document and of one kind: part, item,
        chapter, section, article, paragraph, or measure (items are measures too when their part lists measures)."""
        by_document: dict[str, list[ProvisionText]] = defaultdict(list)
        for row in self.rows("provisions", document=document):
            provision = self._provision(row)
            by_document[provision.document.iri].append(provision)
        ordered = [p for iri in sorted(by_document) for p in _outline(iri, by_document[iri]).walk()]
        return [p for p in ordered if kind is None or p.kind == kind or (kind == "measure" and p.measure)]

    def children(self, iri: str) -> list[ProvisionText]:
        """The provisions directly under a provision (or a document), in document order."""
        return _outline(iri, [self._provision(row) for row in self.rows("provisions", parent=iri)]).children(iri)

    def ancestors(self, provision: ProvisionText) -> list[ProvisionText]:
        """The provisions above `provision`, from the top of its document down to its parent."""
        found: list[ProvisionText] = []
        node: ProvisionText | None = provision
        while node is not None and node.parent.iri != node.document.iri and len(found) < MAX_DEPTH:
            node = self.provision(node.parent.iri)
            found += [node] if node is not None else []
        return found[::-1]

    def tasks_linked_to(self, provision: str) -> dict[str, list[LinkedTask]]:
        """Tasks linked to a provision: `implements` and `cites` by curated links and by the tasks' own citations,
        `candidates` by text similarity."""
        found: dict[str, list[LinkedTask]] = {"implements": [], "cites": [], "candidates": []}
        for link, task in self._linked_tasks(LinkFilter(target=provision)):
            found.setdefault("candidates" if link.kind == "similar" else link.kind, []).append(
                LinkedTask(**link.facts(), task=task)
            )
        return found

    def measure_documents(self) -> list[str]:
        """The documents that have measures, by IRI."""
        return [_value(row["document"]) for row in self.rows("measure-documents")]

    def _provision(self, row: dict[str, object]) -> ProvisionText:
        iri = _value(row["provision"])
        return ProvisionText(
            iri=iri,
            id=self.id_of(iri),
            labels=Labels(zh=_value(row["labelZh"]) or None, en=_value(row["labelEn"]) or None),
            kind=PROVISION_KINDS.get(_value(row["kind"]), "item"),  # type: ignore[arg-type]
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

    def related(self, task: str, kind: str | None = None, method: str | None = None) -> list[RelatedProvision]:
        """A task's links with the provisions they point to (with their text), in link order (see `links`)."""
        found = []
        for link in self.links(LinkFilter(source=task, kind=kind, method=method)):
            provision = self.provision(link.target.iri)
            if provision is not None:
                found.append(RelatedProvision(**link.facts(), target=provision))
        return found

    def _linked_tasks(self, where: LinkFilter) -> list[tuple[Link, Task]]:
        """The tasks among the sources of the matching links, each with its link, in task order."""
        found = []
        for link in sorted(self.links(where), key=lambda link: (_task_order(link.source.iri), link.order)):
            task = self.task(link.source.iri)
            if task is not None:
                found.append((link, task))
        return found

    def citation_links(self, citing: str | None = None, document: str | None = None) -> list[CitationLink]:
        """Links read from citations: from the document `citing` (itself, its provisions and tasks), to the
        document `document` (itself or its provisions); by rank, then source and target."""
        found: dict[str, CitationLink] = {}
        for row in self.rows("citation-links", citing=citing, document=document):
            iri = _value(row["link"])
            if iri not in found:
                link = self._link(iri, row)
                found[iri] = CitationLink(
                    **link.facts(), source=link.source, target=link.target, document=link.document
                )
        return sorted(found.values(), key=lambda c: (c.rank, c.kind, _task_order(c.source.iri), c.target.iri))

    def unresolved_citations(self, document: str) -> list[UnresolvedCitation]:
        """What the texts of `document` cite that is not in the graph, in the order it is cited."""
        return [
            UnresolvedCitation(
                iri=_value(row["citation"]),
                id=self.id_of(_value(row["citation"])),
                labels=self.label(_value(row["citation"])),
                text=_value(row["text"]),
                title=_value(row["title"]) or None,
                number=_value(row["number"]) or None,
                sentence=_value(row["sentence"]),
                kind=_KIND_OF_LINK.get(_value(row["kind"]), "cites"),  # type: ignore[arg-type]
                cited_in=self.ref(_value(row["place"])),
                order=int(_value(row["order"])),
            )
            for row in self.rows("unresolved-citations", document=document)
        ]

    def coverage(self, document: str) -> DocumentCoverage:
        """Each measure of `document` with the tasks that implement it by a curated link, in document order."""
        tasks: dict[str, list[LinkedTask]] = defaultdict(list)
        for link, task in self._linked_tasks(LinkFilter(kind="implements", method="curated", document=document)):
            tasks[link.target.iri].append(LinkedTask(**link.facts(), task=task))
        measures = [
            MeasureCoverage(measure=m, tasks=tasks.get(m.iri, [])) for m in self.provisions(document, "measure")
        ]
        uncovered = [entry.measure for entry in measures if not entry.tasks]
        return DocumentCoverage(
            document=self.ref(document),
            measure_count=len(measures),
            covered_count=len(measures) - len(uncovered),
            measures=measures,
            uncovered=uncovered,
        )

    def _link(self, iri: str, row: dict[str, object]) -> Link:
        kind, method, score = _value(row["kind"]), _value(row["method"]), _value(row["score"])
        method = _METHOD_OF_LINK.get(method, method)
        rank = int(_value(row["rank"]) or 0)
        return Link(
            iri=iri,
            id=self.id_of(iri),
            labels=self.label(iri),
            source=self.ref(_value(row["source"])),
            target=self.ref(_value(row["target"])),
            document=self.ref(_value(row["document"])),
            kind=_KIND_OF_LINK.get(kind, kind),  # type: ignore[arg-type]
            method=method,  # type: ignore[arg-type]
            rank=rank,
            primary=method == "curated" and rank == 1,
            score=float(score) if score else None,
            reason=Labels(zh=_value(row["reasonZh"]) or None, en=_value(row["reasonEn"]) or None),
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
            if iri not in hits:
                kind, text = _value(row["kind"]), _value(row["text"]) or None
                hits[iri] = SearchHit(iri=iri, id=self.id_of(iri), labels=self.label(iri), kind=kind, text=text)  # type: ignore[arg-type]
        rank = {"policy": 1, "agency": 2, "task": 3}
        return sorted(hits.values(), key=lambda hit: (rank.get(hit.kind, 4), _task_order(hit.iri)))


def labels_of(rows: Iterable[dict[str, object]]) -> Labels:
    """Labels from rows of the `labels` query: the first of each language; an untagged one counts as Chinese."""
    found: dict[str, str] = {}
    for row in rows:
        literal = row["label"]
        if isinstance(literal, pyoxigraph.Literal):
            found.setdefault((literal.language or "").split("-")[0], literal.value)
    return Labels(zh=found.get("zh") or found.get(""), en=found.get("en"))


def _task_order(iri: str) -> tuple[str, int]:
    head, _, number = iri.rpartition("/")
    return (head, int(number) if number.isdigit() else 0)


def _outline(document: str, provisions: Iterable[ProvisionText]) -> Outline:
    """A document's provisions as a tree; siblings by number (articles are numbered through a law)."""
    kinds = list(PROVISION_KINDS.values())
    ordered = sorted(provisions, key=lambda p: (kinds.index(p.kind) if p.kind in kinds else 0, p.number, p.iri))
    child_iris: dict[str, list[str]] = defaultdict(list)
    for provision in ordered:
        child_iris[provision.parent.iri].append(provision.iri)
    return Outline(document, {p.iri: p for p in ordered}, dict(child_iris))
