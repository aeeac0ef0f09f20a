"""Response models of `/api/queries`: stored queries and their answers."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from graph.views.examples import BASE, TASK_8_TEXT, with_examples

ANSWER = {
    "name": "agency-tasks",
    "variables": ["agency", "task", "role", "text"],
    "rows": [
        {
            "agency": {"type": "uri", "value": f"{BASE}agency/bj-finance"},
            "task": {"type": "literal", "value": "8", "datatype": "http://www.w3.org/2001/XMLSchema#integer"},
            "role": {"type": "literal", "value": "配合", "lang": "zh"},
            "text": {"type": "literal", "value": TASK_8_TEXT, "lang": "zh"},
        }
    ],
    "count": 1,
}

ParameterType = Literal["iri", "string", "integer", "date"]


class QueryParameter(BaseModel):
    model_config = with_examples({"name": "agency", "type": "iri", "default": f"<{BASE}agency/bj-finance>"})
    name: str
    type: ParameterType
    default: str | None


class StoredQueryInfo(BaseModel):
    """A stored query (queries/*.rq): run it at `/api/queries/{name}` with its parameters in the query string."""

    model_config = with_examples(
        {
            "name": "agency-tasks",
            "title": "单位牵头或配合的任务 / Tasks an agency leads or joins",
            "description": "Every task the agency is responsible for, with its role, in task order.",
            "parameters": [{"name": "agency", "type": "iri", "default": f"<{BASE}agency/bj-finance>"}],
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

    model_config = with_examples({"type": "literal", "value": "配合", "lang": "zh"})
    type: Literal["uri", "literal", "bnode", "triple"]
    value: str
    lang: str | None = None
    datatype: str | None = None


class QueryAnswer(BaseModel):
    """The rows of a stored query; a variable a row leaves unbound is absent from that row."""

    model_config = with_examples(ANSWER)
    name: str
    variables: list[str]
    rows: list[dict[str, Term]]
    count: int
    truncated: bool = Field(
        default=False,
        description="True when the answer was cut at POLICYKG_MAX_RESULT_ROWS rows; `count` is what is shown.",
    )
