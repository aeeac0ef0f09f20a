"""The parts every response shares: labels, links to items (`Ref`, `TaskRef`), errors and pages of a list.

Every item carries its `iri`, its `id` (the IRI relative to the base IRI, also its path under `/api/...`) and
bilingual `labels`. `with_examples` and `page_of` attach the examples (api/models/examples.py) to a model."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from api.models.examples import FINANCE, TASK_8_REF
from graph.views import records

T = TypeVar("T")


def with_examples(*examples: dict[str, Any]) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": list(examples)})


def page_of(item: dict[str, Any], total: int) -> dict[str, Any]:
    return {"total": total, "limit": 50, "offset": 0, "items": [item]}


class Labels(BaseModel):
    """A name in Chinese and English; either may be missing."""

    model_config = with_examples({"zh": "北京市财政局", "en": "Beijing Municipal Finance Bureau"})
    zh: str | None = None
    en: str | None = None


class Ref(BaseModel):
    """A link to another item: its IRI, its id under the base IRI and its labels."""

    model_config = with_examples(FINANCE)
    iri: str
    id: str = Field(description="The IRI relative to the base IRI; the item's path under `/api/...`.")
    labels: Labels


class TaskRef(Ref):
    """A link to a task, with its number in its table."""

    model_config = with_examples(TASK_8_REF)
    number: int


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


def labels(label: records.Label) -> Labels:
    return Labels(zh=label.zh, en=label.en)


def ref(item: records.Ref) -> Ref:
    return Ref(iri=item.iri, id=item.id, labels=labels(item.label))


def refs(items: list[records.Ref]) -> list[Ref]:
    """Links in id order, so that a response does not depend on the store's order."""
    return [ref(item) for item in sorted(items, key=lambda item: item.id)]


def task_ref(task: records.Task) -> TaskRef:
    return TaskRef(iri=task.iri, id=task.id, labels=labels(task.label), number=task.number)
