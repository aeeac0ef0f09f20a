"""Response models of the JSON API (`/api/...`), with examples taken from the bundled data.

Every item carries its `iri`, its `id` (the IRI relative to the base IRI, also its path under `/api/...`) and
bilingual `labels`. The functions at the end turn the read models of graph/records.py into these.
"""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar, cast

from pydantic import BaseModel, ConfigDict, Field

from graph.views import records

T = TypeVar("T")

# --- examples (real values of the bundled table 京科转发〔2022〕226号 附件1) -----------------------------------
_BASE = "https://w3id.org/policykg/"
_TABLE = "eli/cn-bj/jingkezhuanfa/2022/226/attachment/1"
_OPINIONS = "eli/cn-bj/jingkezhuanfa/2022/226"
_TASK_8 = f"{_TABLE}/task/8"


def _ref(identifier: str, zh: str | None, en: str | None) -> dict[str, Any]:
    return {"iri": _BASE + identifier, "id": identifier, "labels": {"zh": zh, "en": en}}


FINANCE = _ref("agency/bj-finance", "北京市财政局", "Beijing Municipal Finance Bureau")
STI_ZGC = _ref(
    "agency/bj-sti-zgc",
    "北京市科学技术委员会、中关村科技园区管理委员会",
    "Beijing Municipal Science and Technology Commission / Administrative Commission of Zhongguancun Science Park",
)
HEALTH = _ref("agency/bj-health", "北京市卫生健康委员会", "Beijing Municipal Health Commission")
SASAC = _ref(
    "agency/bj-sasac",
    "北京市人民政府国有资产监督管理委员会",
    "State-owned Assets Supervision and Administration Commission of the Beijing Municipal Government",
)
TABLE = _ref(_TABLE, "落实《实施意见》任务分工表", "Task-division table for implementing the Implementation Opinions")
OPINIONS = _ref(
    _OPINIONS,
    "北京市关于落实完善科技成果评价机制的实施意见",
    "Beijing Implementation Opinions on Improving the Mechanism for Evaluating Scientific and Technological "
    "Achievements",
)
NATIONAL = _ref(
    "eli/cn/guobanfa/2021/26",
    "国务院办公厅关于完善科技成果评价机制的指导意见",
    "Guiding Opinions of the General Office of the State Council on Improving the Mechanism for Evaluating "
    "Scientific and Technological Achievements",
)
CATEGORY_5 = _ref(
    f"{_TABLE}/category/5", "持续推进科研管理改革试点", "Continue the pilot reform of research management"
)
TASK_7_REF = {**_ref(f"{_TABLE}/task/7", "任务7", "Task 7"), "number": 7}
TASK_8_REF = {**_ref(_TASK_8, "任务8", "Task 8"), "number": 8}
TASK_18_REF = {**_ref(f"{_TABLE}/task/18", "任务18", "Task 18"), "number": 18}
TASK_8_TEXT = "深入推进科研管理改革试点，加快建立科技计划成果后评估制度。"
TASK_8_SUMMARY = {
    **TASK_8_REF,
    "text": TASK_8_TEXT,
    "category": CATEGORY_5,
    "policy": TABLE,
    "lead": STI_ZGC,
    "participating": [FINANCE],
}
TASK_8 = {
    **TASK_8_SUMMARY,
    "assignments": [
        {"agency": STI_ZGC, "role": "lead", "position": 1, "verbatim_name": "市科委、中关村管委会"},
        {"agency": FINANCE, "role": "participating", "position": 2, "verbatim_name": "市财政局"},
    ],
    "source_row": {
        "iri": f"{_BASE}{_TABLE}/row/9",
        "id": f"{_TABLE}/row/9",
        "row": 9,
        "cells": {"分类": "", "任务编号": "8", "任务内容": TASK_8_TEXT, "责任单位": "市科委、中关村管委会，市财政局"},
        "category_continues_row": 8,
        "units_continue_row": None,
    },
}
CATEGORY = {**CATEGORY_5, "number": 5, "notation": "五", "policy": TABLE, "task_count": 2}
CATEGORY_DETAIL = {**CATEGORY, "tasks": [TASK_7_REF, TASK_8_REF]}
POLICY_SUMMARY = {
    **OPINIONS,
    "number": "京科转发〔2022〕226号",
    "kind": _ref("ontology#implementationOpinions", "实施意见", "implementation opinions"),
    "date": "2022-09-23",
    "attachment_of": None,
}
POLICY = {
    **POLICY_SUMMARY,
    "issuers": [FINANCE, STI_ZGC],  # two of its eleven issuers
    "implements": [NATIONAL],
    "implemented_by": [],
    "attachments": [TABLE],
    "sources": [_ref("source/sha256/b5542528c90a86e77bec9018798abf8807b570449d96a06971a7f0a844a8d611", None, None)],
    "description": {
        "zh": "仅有通知和意见开头部分；任务分工表为其附件。",
        "en": "Only the notice and the opening of the opinions are available; the task-division table is its "
        "attachment.",
    },
    "published": None,
    "in_force": None,
}
AGENCY_SUMMARY = {**FINANCE, "kind": "agency", "leads": 0, "joins": 2}
AGENCY = {
    **AGENCY_SUMMARY,
    "names": ["市财政局"],
    "parent": None,
    "same_as": [],
    "exact_match": [],
    "lead_tasks": [],
    "participating_tasks": [TASK_8_REF, TASK_18_REF],
    "collaborators": [
        {"agency": STI_ZGC, "shared_tasks": 2},
        {"agency": HEALTH, "shared_tasks": 1},
        {"agency": SASAC, "shared_tasks": 1},
    ],
}


# provisions and links: 国办发〔2021〕26号 二（三）, which task 8 implements (curated), and 二（八）, which no task does
_PART_2 = "eli/cn/guobanfa/2021/26/part/2"
MEASURE_3 = {
    **_ref(f"{_PART_2}/item/3", "二（三）加快推进国家科技项目成果评价改革", "Measure 2.3"),
    "kind": "item",
    "measure": True,
    "number": 3,
    "notation": "（三）",
    "heading": "加快推进国家科技项目成果评价改革",
    "document": NATIONAL,
    "parent": _ref(_PART_2, "二、主要工作措施", "Part 2"),
}
MEASURE_8 = {
    **MEASURE_3,
    **_ref(f"{_PART_2}/item/8", "二（八）坚决破解科技成果评价中的“唯论文、唯职称、唯学历、唯奖项”问题", "Measure 2.8"),
    "number": 8,
    "notation": "（八）",
    "heading": "坚决破解科技成果评价中的“唯论文、唯职称、唯学历、唯奖项”问题",
}
_LINK_8_3 = {
    "link": _ref("link/f912486fb323461b", "落实（人工）", "implements (curated)"),
    "kind": "implements",
    "method": "curated",
    "rank": 1,
    "primary": True,
    "reason": {
        "zh": "沿用二（三）原文：深入推进科研管理改革试点，建立科技计划成果后评估制度",
        "en": "Reuses 2.3: deepen the research-management pilot and set up post-evaluation of programme results",
    },
    "score": None,
}
RELATED_8 = {**_LINK_8_3, "target": MEASURE_3}
LINKED_TASK_8 = {**_LINK_8_3, "task": TASK_8_SUMMARY}
PROVISION = {
    **MEASURE_3,
    "text": "按照“四个面向”要求深入推进科研管理改革试点，抓紧建立科技计划成果后评估制度。……",
    "ancestors": [MEASURE_3["parent"]],
    "children": [],
    "implemented_by": [LINKED_TASK_8],  # one of the four tasks that implement 二（三）
    "cited_by": [],
    "candidates": [],
}
TASK_RELATED = {"task": TASK_8_REF, "items": [RELATED_8]}
MEASURE_3_COVERAGE = {"measure": MEASURE_3, "tasks": [LINKED_TASK_8]}
NATIONAL_COVERAGE = {
    "document": NATIONAL,
    "measure_count": 10,
    "covered_count": 9,
    "measures": [MEASURE_3_COVERAGE, {"measure": MEASURE_8, "tasks": []}],  # two of the ten
    "uncovered": [MEASURE_8],
}
COVERAGE = {"documents": [NATIONAL_COVERAGE]}


def _examples(*examples: dict[str, Any]) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": list(examples)})


def _page(item: dict[str, Any], total: int) -> dict[str, Any]:
    return {"total": total, "limit": 50, "offset": 0, "items": [item]}


# --- shared parts --------------------------------------------------------------------------------------------
class Labels(BaseModel):
    """A name in Chinese and English; either may be missing."""

    model_config = _examples({"zh": "北京市财政局", "en": "Beijing Municipal Finance Bureau"})
    zh: str | None = None
    en: str | None = None


class Ref(BaseModel):
    """A link to another item: its IRI, its id under the base IRI and its labels."""

    model_config = _examples(FINANCE)
    iri: str
    id: str = Field(description="The IRI relative to the base IRI; the item's path under `/api/...`.")
    labels: Labels


class TaskRef(Ref):
    """A link to a task, with its number in its table."""

    model_config = _examples(TASK_8_REF)
    number: int


class ErrorBody(BaseModel):
    """Every error: a stable code and a short message naming the parameter at fault."""

    model_config = _examples({"error": "not_found", "message": "no task with id 'eli/cn/x/task/99'"})
    error: str = Field(description="not_found, invalid_parameter, ...")
    message: str


class Page(BaseModel, Generic[T]):
    """One page of a list; `Link` (rel first/prev/next/last) and `X-Total-Count` headers come with it."""

    total: int = Field(description="How many items match, over all pages.")
    limit: int
    offset: int
    items: list[T]


# --- tasks ---------------------------------------------------------------------------------------------------
class Assignment(BaseModel):
    """A unit's responsibility for a task: its role and its place in the 责任单位 cell."""

    model_config = _examples(TASK_8["assignments"][1])
    agency: Ref
    role: Literal["lead", "participating"]
    position: int = Field(description="1 for the first unit named in the 责任单位 cell.")
    verbatim_name: str | None = Field(description="The name as the table writes it.")


class SourceRow(BaseModel):
    """The table row a task was read from, its four cells verbatim, and which row a merged cell continues."""

    model_config = _examples(TASK_8["source_row"])
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

    model_config = _examples(TASK_8_SUMMARY)
    text: str
    category: Ref
    policy: Ref = Field(description="The task-division table the task belongs to.")
    lead: Ref | None = Field(description="The lead unit (牵头单位).")
    participating: list[Ref] = Field(description="The participating units (配合单位), in table order.")


class Task(TaskSummary):
    """A task with every assignment and its source row."""

    model_config = _examples(TASK_8)
    assignments: list[Assignment]
    source_row: SourceRow | None


class TaskPage(Page[TaskSummary]):
    model_config = _examples(_page(TASK_8_SUMMARY, 19))


# --- categories ----------------------------------------------------------------------------------------------
class Category(Ref):
    """A category (分类) of a task-division table."""

    model_config = _examples(CATEGORY)
    number: int
    notation: str | None = Field(description="The numeral the table writes, e.g. 五.")
    policy: Ref
    task_count: int


class CategoryDetail(Category):
    """A category with its tasks."""

    model_config = _examples(CATEGORY_DETAIL)
    tasks: list[TaskRef]


class CategoryPage(Page[Category]):
    model_config = _examples(_page(CATEGORY, 8))


# --- policies ------------------------------------------------------------------------------------------------
class PolicySummary(Ref):
    """A policy document as lists show it; `labels` is its title."""

    model_config = _examples(POLICY_SUMMARY)
    number: str | None = Field(description="The document number (文号), e.g. 国办发〔2021〕26号.")
    kind: Ref | None = Field(description="The kind of document (ELI resource type).")
    date: str | None = Field(description="Date of the document (ISO 8601).")
    attachment_of: Ref | None = Field(description="The document this one is an attachment of.")


class Policy(PolicySummary):
    """A policy document with its issuers, the documents it implements and is implemented by, and its files."""

    model_config = _examples(POLICY)
    issuers: list[Ref]
    implements: list[Ref]
    implemented_by: list[Ref]
    attachments: list[Ref]
    sources: list[Ref] = Field(description="The source files it was read from (by SHA-256).")
    description: Labels | None
    published: str | None = Field(description="Date of publication (ISO 8601).")
    in_force: str | None = Field(description="Date of entry into force (ISO 8601).")


class PolicyPage(Page[PolicySummary]):
    model_config = _examples(_page(POLICY_SUMMARY, 6))


# --- agencies ------------------------------------------------------------------------------------------------
AgencyKind = Literal["agency", "group", "unregistered"]


class AgencySummary(Ref):
    """A responsible unit as lists show it; `labels` is its full name."""

    model_config = _examples(AGENCY_SUMMARY)
    kind: AgencyKind = Field(description="agency, group (e.g. 各区政府) or unregistered (not in the registry).")
    leads: int = Field(description="How many tasks it leads.")
    joins: int = Field(description="How many tasks it participates in.")


class Collaborator(BaseModel):
    """Another unit responsible for some of the same tasks."""

    model_config = _examples(AGENCY["collaborators"][0])
    agency: Ref
    shared_tasks: int


class Agency(AgencySummary):
    """A responsible unit with its other names, its tasks and the units it shares tasks with."""

    model_config = _examples(AGENCY)
    names: list[str] = Field(description="Short and other names (e.g. 市财政局).")
    parent: Ref | None = Field(description="The body it belongs to.")
    same_as: list[str] = Field(description="The same unit in other registries (owl:sameAs), e.g. Wikidata items.")
    exact_match: list[str] = Field(description="Records about the unit in other registries (skos:exactMatch).")
    lead_tasks: list[TaskRef]
    participating_tasks: list[TaskRef]
    collaborators: list[Collaborator] = Field(description="Units sharing its tasks, most shared tasks first.")


class AgencyPage(Page[AgencySummary]):
    model_config = _examples(_page(AGENCY_SUMMARY, 23))


# --- search --------------------------------------------------------------------------------------------------
class SearchHit(Ref):
    """A policy, unit or task whose title, name or text contains the search words."""

    model_config = _examples({**TASK_8_REF, "kind": "task", "text": TASK_8_TEXT})
    kind: Literal["policy", "agency", "task"]
    text: str | None = Field(description="The task's text (tasks only).")


class SearchPage(Page[SearchHit]):
    model_config = _examples(_page({**TASK_8_REF, "kind": "task", "text": TASK_8_TEXT}, 4))


# --- provisions and links ------------------------------------------------------------------------------------
ProvisionKind = Literal["part", "item", "chapter", "section", "article", "paragraph"]
LinkKind = Literal["implements", "cites", "similar"]
LinkMethod = Literal["curated", "automatic"]


class ProvisionSummary(Ref):
    """A provision of a prose document (a part, item, chapter, section, article or paragraph); `labels` is how
    documents cite it (二（三）…, 第六十八条)."""

    model_config = _examples(MEASURE_3)
    kind: ProvisionKind
    measure: bool = Field(description="Whether it is a measure: an item of a part that sets out measures.")
    number: int = Field(description="Its number among its siblings (articles: through the law).")
    notation: str | None = Field(description="The numbering as written, e.g. （三） or 第六十八条.")
    heading: str | None = Field(description="Its heading: a part's or chapter's title, a measure's first sentence.")
    document: Ref
    parent: Ref = Field(description="The provision it belongs to, or the document for a top-level one.")


class ProvisionPage(Page[ProvisionSummary]):
    model_config = _examples(_page(MEASURE_3, 10))


class LinkFacts(BaseModel):
    """How two things are linked: kind, method, rank among the source's links of that kind, reason, score."""

    model_config = _examples(_LINK_8_3)
    link: Ref = Field(description="The link itself (a pkg:Link node), with its own page.")
    kind: LinkKind = Field(description="implements a measure, cites (rests on) an article, or similar text.")
    method: LinkMethod = Field(description="curated by reading, or proposed automatically (with a score).")
    rank: int = Field(description="1 for the primary link of its kind, then secondary ones.")
    primary: bool = Field(description="A curated link of rank 1.")
    reason: Labels | None
    score: float | None = Field(description="The similarity score of an automatic link, 0 to 1.")


class RelatedProvision(LinkFacts):
    """A provision a task is linked to."""

    model_config = _examples(RELATED_8)
    target: ProvisionSummary


class TaskRelated(BaseModel):
    """A task's links to national measures and law articles: curated first; implements, cites, similar; by rank."""

    model_config = _examples(TASK_RELATED)
    task: TaskRef
    items: list[RelatedProvision]


class LinkedTask(LinkFacts):
    """A task linked to a provision, with its table, category and units (lead and participating)."""

    model_config = _examples(LINKED_TASK_8)
    task: TaskSummary


class Provision(ProvisionSummary):
    """A provision with its text, where it sits, what it holds, and the local tasks linked to it."""

    model_config = _examples(PROVISION)
    text: str | None = Field(description="Its wording; an article's paragraphs and items one to a line.")
    ancestors: list[Ref] = Field(description="The provisions above it, from the top of the document down.")
    children: list[ProvisionSummary]
    implemented_by: list[LinkedTask] = Field(description="Tasks that implement it (curated links), in task order.")
    cited_by: list[LinkedTask] = Field(description="Tasks that rest on it (curated links), in task order.")
    candidates: list[LinkedTask] = Field(description="Tasks automatically proposed as related; not checked.")


class MeasureCoverage(BaseModel):
    """A measure and the tasks that implement it (curated links; `primary` marks a task's main measure)."""

    model_config = _examples(MEASURE_3_COVERAGE)
    measure: ProvisionSummary
    tasks: list[LinkedTask]


class DocumentCoverage(BaseModel):
    """How far the measures of one document are taken up by local tasks."""

    model_config = _examples(NATIONAL_COVERAGE)
    document: Ref
    measure_count: int
    covered_count: int = Field(description="Measures at least one task implements.")
    measures: list[MeasureCoverage] = Field(description="Every measure in document order.")
    uncovered: list[ProvisionSummary] = Field(description="The measures no task implements.")


class Coverage(BaseModel):
    """Coverage of the measures of one document, or of every document that has measures."""

    model_config = _examples(COVERAGE)
    documents: list[DocumentCoverage]


# --- stored queries ------------------------------------------------------------------------------------------
ParameterType = Literal["iri", "string", "integer", "date"]


class QueryParameter(BaseModel):
    model_config = _examples({"name": "agency", "type": "iri", "default": f"<{_BASE}agency/bj-finance>"})
    name: str
    type: ParameterType
    default: str | None


class StoredQueryInfo(BaseModel):
    """A stored query (queries/*.rq): run it at `/api/queries/{name}` with its parameters in the query string."""

    model_config = _examples(
        {
            "name": "agency-tasks",
            "title": "单位牵头或配合的任务 / Tasks an agency leads or joins",
            "description": "Every task the agency is responsible for, with its role, in task order.",
            "parameters": [{"name": "agency", "type": "iri", "default": f"<{_BASE}agency/bj-finance>"}],
            "url": "/api/queries/agency-tasks",
        }
    )
    name: str
    title: str
    description: str
    parameters: list[QueryParameter]
    url: str


class Term(BaseModel):
    """An RDF term, as in SPARQL 1.1 JSON results: `lang` for language-tagged literals, `datatype` for typed ones."""

    model_config = _examples({"type": "literal", "value": "配合", "lang": "zh"})
    type: Literal["uri", "literal", "bnode", "triple"]
    value: str
    lang: str | None = None
    datatype: str | None = None


_ANSWER = {
    "name": "agency-tasks",
    "variables": ["agency", "task", "role", "text"],
    "rows": [
        {
            "agency": {"type": "uri", "value": f"{_BASE}agency/bj-finance"},
            "task": {"type": "literal", "value": "8", "datatype": "http://www.w3.org/2001/XMLSchema#integer"},
            "role": {"type": "literal", "value": "配合", "lang": "zh"},
            "text": {"type": "literal", "value": TASK_8_TEXT, "lang": "zh"},
        }
    ],
    "count": 1,
}


class QueryAnswer(BaseModel):
    """The rows of a stored query; a variable a row leaves unbound is absent from that row."""

    model_config = _examples(_ANSWER)
    name: str
    variables: list[str]
    rows: list[dict[str, Term]]
    count: int
    truncated: bool = Field(
        default=False,
        description="True when the answer was cut at POLICYKG_MAX_RESULT_ROWS rows; `count` is what is shown.",
    )


# --- from the read models of graph/records.py ------------------------------------------------------------------
def labels(label: records.Label) -> Labels:
    return Labels(zh=label.zh, en=label.en)


def ref(item: records.Ref) -> Ref:
    return Ref(iri=item.iri, id=item.id, labels=labels(item.label))


def refs(items: list[records.Ref]) -> list[Ref]:
    """Links in id order, so that a response does not depend on the store's order."""
    return [ref(item) for item in sorted(items, key=lambda item: item.id)]


def task_ref(task: records.Task) -> TaskRef:
    return TaskRef(iri=task.iri, id=task.id, labels=labels(task.label), number=task.number)


def _task_fields(task: records.Task) -> dict[str, Any]:
    return {
        "iri": task.iri,
        "id": task.id,
        "labels": labels(task.label),
        "number": task.number,
        "text": task.text,
        "category": ref(task.category),
        "policy": ref(task.policy),
        "lead": ref(task.lead) if task.lead else None,
        "participating": [ref(agency) for agency in task.participating],
    }


def task_summary(task: records.Task) -> TaskSummary:
    return TaskSummary(**_task_fields(task))


def assignment(item: records.Assignment) -> Assignment:
    role = cast(Literal["lead", "participating"], item.role)
    return Assignment(agency=ref(item.agency), role=role, position=item.position, verbatim_name=item.verbatim_name)


def source_row(row: records.SourceRow, base: str) -> SourceRow:
    return SourceRow(
        iri=row.iri,
        id=row.iri.removeprefix(base),
        row=row.row,
        cells=row.cells,
        category_continues_row=row.category_continues_row,
        units_continue_row=row.units_continue_row,
    )


def task(item: records.Task, base: str) -> Task:
    return Task(
        **_task_fields(item),
        assignments=[assignment(each) for each in item.assignments],
        source_row=source_row(item.source_row, base) if item.source_row else None,
    )


def _category_fields(item: records.Category) -> dict[str, Any]:
    return {
        "iri": item.iri,
        "id": item.id,
        "labels": labels(item.label),
        "number": item.number,
        "notation": item.notation,
        "policy": ref(item.policy),
        "task_count": item.task_count,
    }


def category(item: records.Category) -> Category:
    return Category(**_category_fields(item))


def category_detail(item: records.Category, tasks: list[records.Task]) -> CategoryDetail:
    return CategoryDetail(**_category_fields(item), tasks=[task_ref(each) for each in tasks])


def _policy_fields(item: records.Policy) -> dict[str, Any]:
    return {
        "iri": item.iri,
        "id": item.id,
        "labels": labels(item.title),
        "number": item.number,
        "kind": ref(item.kind) if item.kind else None,
        "date": item.date,
        "attachment_of": ref(item.attachment_of) if item.attachment_of else None,
    }


def policy_summary(item: records.Policy) -> PolicySummary:
    return PolicySummary(**_policy_fields(item))


def policy(item: records.Policy) -> Policy:
    links, facts = item.links, item.facts
    zh, en = facts.get("description_zh") or facts.get("description"), facts.get("description_en")
    return Policy(
        **_policy_fields(item),
        issuers=refs(links.get("issuer", [])),
        implements=refs(links.get("implements", [])),
        implemented_by=refs(links.get("implemented_by", [])),
        attachments=refs(links.get("attachment", [])),
        sources=refs(links.get("source", [])),
        description=Labels(zh=zh, en=en) if zh or en else None,
        published=facts.get("published"),
        in_force=facts.get("in_force"),
    )


def _agency_fields(item: records.Agency) -> dict[str, Any]:
    kind = cast(AgencyKind, item.kind)
    return {"iri": item.iri, "id": item.id, "labels": labels(item.label), "kind": kind, "leads": item.leads,
            "joins": item.joins}  # fmt: skip


def agency_summary(item: records.Agency) -> AgencySummary:
    return AgencySummary(**_agency_fields(item))


def agency(item: records.Agency, tasks: dict[str, list[records.Task]], shared: list[records.Collaborator]) -> Agency:
    return Agency(
        **_agency_fields(item),
        names=item.names,
        parent=ref(item.parent) if item.parent else None,
        same_as=item.same_as,
        exact_match=item.exact_match,
        lead_tasks=[task_ref(each) for each in tasks.get("lead", [])],
        participating_tasks=[task_ref(each) for each in tasks.get("participating", [])],
        collaborators=[Collaborator(agency=ref(each.agency), shared_tasks=each.shared_tasks) for each in shared],
    )


def search_hit(hit: records.SearchHit) -> SearchHit:
    kind = cast(Literal["policy", "agency", "task"], hit.kind)
    return SearchHit(iri=hit.item.iri, id=hit.item.id, labels=labels(hit.item.label), kind=kind, text=hit.text)


def provision_summary(item: records.Provision) -> ProvisionSummary:
    return ProvisionSummary(**_provision_fields(item))


def _provision_fields(item: records.Provision) -> dict[str, Any]:
    kind = cast(ProvisionKind, item.kind)
    return {"iri": item.iri, "id": item.id, "labels": labels(item.label), "kind": kind, "measure": item.measure,
            "number": item.number, "notation": item.notation, "heading": item.heading,
            "document": ref(item.document), "parent": ref(item.parent)}  # fmt: skip


def _link_fields(link: records.Link) -> dict[str, Any]:
    reason = labels(link.reason) if link.reason.zh or link.reason.en else None
    return {"link": Ref(iri=link.iri, id=link.id, labels=labels(link.label)),
            "kind": cast(LinkKind, link.kind), "method": cast(LinkMethod, link.method), "rank": link.rank,
            "primary": link.primary, "reason": reason, "score": link.score}  # fmt: skip


def related_provision(item: records.Related) -> RelatedProvision:
    return RelatedProvision(**_link_fields(item.link), target=provision_summary(item.provision))


def linked_task(item: records.LinkedTask) -> LinkedTask:
    return LinkedTask(**_link_fields(item.link), task=task_summary(item.task))


def provision(
    item: records.Provision,
    ancestors: list[records.Provision],
    children: list[records.Provision],
    linked: dict[str, list[records.LinkedTask]],
) -> Provision:
    """`ancestors` from the top of the document down; `linked` by implements, cites and candidates."""
    return Provision(
        **_provision_fields(item),
        text=item.text,
        ancestors=[ref(each.ref) for each in ancestors],
        children=[provision_summary(child) for child in children],
        implemented_by=[linked_task(each) for each in linked.get("implements", [])],
        cited_by=[linked_task(each) for each in linked.get("cites", [])],
        candidates=[linked_task(each) for each in linked.get("candidates", [])],
    )


def document_coverage(item: records.Coverage) -> DocumentCoverage:
    measures = [
        MeasureCoverage(
            measure=provision_summary(entry.measure),
            tasks=[linked_task(each) for each in entry.tasks],
        )
        for entry in item.measures
    ]
    return DocumentCoverage(
        document=ref(item.document),
        measure_count=len(item.measures),
        covered_count=item.covered,
        measures=measures,
        uncovered=[each.measure for each in measures if not each.tasks],
    )
