"""Response models of `/api/search`."""

from __future__ import annotations

from typing import Literal, cast

from pydantic import Field

from api.models.common import Page, Ref, labels, page_of, with_examples
from api.models.examples import TASK_8_REF, TASK_8_TEXT
from graph.views import records


class SearchHit(Ref):
    """A policy, unit or task whose title, name or text contains the search words."""

    model_config = with_examples({**TASK_8_REF, "kind": "task", "text": TASK_8_TEXT})
    kind: Literal["policy", "agency", "task"]
    text: str | None = Field(description="The task's text (tasks only).")


class SearchPage(Page[SearchHit]):
    model_config = with_examples(page_of({**TASK_8_REF, "kind": "task", "text": TASK_8_TEXT}, 4))


def search_hit(hit: records.SearchHit) -> SearchHit:
    kind = cast(Literal["policy", "agency", "task"], hit.kind)
    return SearchHit(iri=hit.item.iri, id=hit.item.id, labels=labels(hit.item.label), kind=kind, text=hit.text)
