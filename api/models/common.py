"""What only the JSON API adds around the records of graph/views/records.py: errors and pages of a list.

Every item carries its `iri`, its `id` (the IRI relative to the base IRI, also its path under `/api/...`) and
bilingual `labels`; the items are the records themselves. `page_of` attaches an example (graph/views/examples.py)
to a page."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

from graph.views.examples import (
    AGENCY_SUMMARY,
    CATEGORY,
    COVERAGE,
    MEASURE_3,
    POLICY_SUMMARY,
    TASK_8_REF,
    TASK_8_SUMMARY,
    TASK_8_TEXT,
    with_examples,
)
from graph.views.records import (
    AgencySummary,
    Category,
    DocumentCoverage,
    PolicySummary,
    ProvisionSummary,
    SearchHit,
    TaskSummary,
)

T = TypeVar("T")


def page_of(item: dict[str, Any], total: int) -> dict[str, Any]:
    return {"total": total, "limit": 50, "offset": 0, "items": [item]}


class ErrorBody(BaseModel):
    """Every error: a stable code and a short message naming the parameter at fault."""

    model_config = with_examples({"error": "not_found", "message": "no task with id 'eli/cn/x/task/99'"})
    error: str = Field(description="not_found, invalid_parameter, ...")
    message: str


class Page(BaseModel, Generic[T]):
    """One page of a list; `Link` (rel first/prev/next/last) and `X-Total-Count` headers come with it."""

    total: int = Field(description="How many items match, over all pages.")
    limit: int
    offset: int
    items: list[T]


class TaskPage(Page[TaskSummary]):
    model_config = with_examples(page_of(TASK_8_SUMMARY, 19))


class CategoryPage(Page[Category]):
    model_config = with_examples(page_of(CATEGORY, 8))


class PolicyPage(Page[PolicySummary]):
    model_config = with_examples(page_of(POLICY_SUMMARY, 6))


class AgencyPage(Page[AgencySummary]):
    model_config = with_examples(page_of(AGENCY_SUMMARY, 23))


class ProvisionPage(Page[ProvisionSummary]):
    model_config = with_examples(page_of(MEASURE_3, 10))


class SearchPage(Page[SearchHit]):
    model_config = with_examples(page_of({**TASK_8_REF, "kind": "task", "text": TASK_8_TEXT}, 4))


class Coverage(BaseModel):
    """Coverage of the measures of one document, or of every document that has measures."""

    model_config = with_examples(COVERAGE)
    documents: list[DocumentCoverage]
