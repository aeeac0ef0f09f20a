"""Response models of `/api/provisions` and of links: provisions, and the tasks linked to them and back."""

from __future__ import annotations

from typing import Any, Literal, cast

from pydantic import BaseModel, Field

from api.models.common import Labels, Page, Ref, TaskRef, labels, page_of, ref, with_examples
from api.models.examples import LINK_8_3, LINKED_TASK_8, MEASURE_3, PROVISION, RELATED_8, TASK_RELATED
from api.models.tasks import TaskSummary, task_summary
from graph.views import records

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


class ProvisionPage(Page[ProvisionSummary]):
    model_config = with_examples(page_of(MEASURE_3, 10))


class LinkFacts(BaseModel):
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
    target: ProvisionSummary


class TaskRelated(BaseModel):
    """A task's links to national measures and law articles: curated first; implements, cites, similar; by rank."""

    model_config = with_examples(TASK_RELATED)
    task: TaskRef
    items: list[RelatedProvision]


class LinkedTask(LinkFacts):
    """A task linked to a provision, with its table, category and units (lead and participating)."""

    model_config = with_examples(LINKED_TASK_8)
    task: TaskSummary


class Provision(ProvisionSummary):
    """A provision with its text, where it sits, what it holds, and the local tasks linked to it."""

    model_config = with_examples(PROVISION)
    text: str | None = Field(description="Its wording; an article's paragraphs and items one to a line.")
    ancestors: list[Ref] = Field(description="The provisions above it, from the top of the document down.")
    children: list[ProvisionSummary]
    implemented_by: list[LinkedTask] = Field(description="Tasks that implement it (curated links), in task order.")
    cited_by: list[LinkedTask] = Field(description="Tasks that rest on it (curated links), in task order.")
    candidates: list[LinkedTask] = Field(description="Tasks automatically proposed as related; not checked.")


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
