"""Response models of `/api/agencies`: responsible units, their tasks and who they work with."""

from __future__ import annotations

from typing import Any, Literal, cast

from pydantic import BaseModel, Field

from api.models.common import Page, Ref, TaskRef, labels, page_of, ref, task_ref, with_examples
from api.models.examples import AGENCY, AGENCY_SUMMARY
from graph.views import records

AgencyKind = Literal["agency", "group", "unregistered"]


class AgencySummary(Ref):
    """A responsible unit as lists show it; `labels` is its full name."""

    model_config = with_examples(AGENCY_SUMMARY)
    kind: AgencyKind = Field(description="agency, group (e.g. 各区政府) or unregistered (not in the registry).")
    leads: int = Field(description="How many tasks it leads.")
    joins: int = Field(description="How many tasks it participates in.")


class Collaborator(BaseModel):
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
    lead_tasks: list[TaskRef]
    participating_tasks: list[TaskRef]
    collaborators: list[Collaborator] = Field(description="Units sharing its tasks, most shared tasks first.")


class AgencyPage(Page[AgencySummary]):
    model_config = with_examples(page_of(AGENCY_SUMMARY, 23))


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
