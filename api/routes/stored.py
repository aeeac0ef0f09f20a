"""JSON API: the stored queries of queries/*.rq, listed and run with their parameters bound as typed RDF terms.

A parameter's value comes from the query string and becomes an IRI, string, integer or date term before the query
runs (pyoxigraph substitutions); it is never pasted into the SPARQL text, so a quote or '>' in a value cannot change
the query. A value that is not a term of the parameter's type is a 422 naming the parameter.
"""

from __future__ import annotations

import itertools
from typing import Annotated, cast

import pyoxigraph
from fastapi import APIRouter, Depends, Path, Request

from api.deps import SettingsDep, StoreDep
from api.errors import APIError
from api.models import stored as models
from api.models.common import ErrorBody
from graph import bundled
from graph.store.base import QueryResult
from graph.store.queries import XSD, StoredQuery, load_queries

router = APIRouter(prefix="/api/queries", tags=["Stored queries"])
ERRORS: dict[int | str, dict[str, object]] = {
    404: {"model": ErrorBody, "description": "No stored query of that name"},
    422: {"model": ErrorBody, "description": "A parameter is unknown, repeated or not of its type"},
}
PLAIN = {XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}


def get_stored_queries() -> dict[str, StoredQuery]:
    """The stored queries, read from queries/*.rq on each request (three small files), so edits show at once."""
    return load_queries(bundled.folder("queries"))


StoredQueriesDep = Annotated[dict[str, StoredQuery], Depends(get_stored_queries)]


def _info(query: StoredQuery) -> models.StoredQueryInfo:
    parameters = [
        models.QueryParameter(name=p.name, type=cast(models.ParameterType, p.type), default=p.default)
        for p in query.parameters
    ]
    return models.StoredQueryInfo(
        name=query.name,
        title=query.title,
        description=query.description,
        parameters=parameters,
        url=f"{router.prefix}/{query.name}",
    )


@router.get("", summary="List the stored queries")
def list_queries(queries: StoredQueriesDep) -> list[models.StoredQueryInfo]:
    """Every stored query with its title, description and typed parameters (with their defaults)."""
    return [_info(query) for query in queries.values()]


@router.get("/{name}", summary="Run a stored query", responses=ERRORS, response_model_exclude_none=True)
def run_query(
    name: Annotated[str, Path(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=100, examples=["agency-tasks"])],
    request: Request,
    queries: StoredQueriesDep,
    store: StoreDep,
    settings: SettingsDep,
) -> models.QueryAnswer:
    """Run the stored query `name`. Each parameter is taken from the query string (e.g.
    `?agency=https://w3id.org/policykg/agency/bj-finance`) or its default, and bound as a typed term. The answer
    lists the variables and one object per row mapping each bound variable to its term, as in SPARQL 1.1 JSON
    results (`type` uri, literal or bnode; `lang` or `datatype` when the literal has one)."""
    query = queries.get(name)
    if query is None:
        raise APIError(404, "not_found", f"no stored query named {name!r}; see /api/queries")
    values: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        if key in values:
            raise APIError(422, "invalid_parameter", f"parameter {key} is given more than once")
        values[key] = value
    try:
        bindings = query.bindings(values)
    except ValueError as error:
        raise APIError(422, "invalid_parameter", str(error)) from None
    variables, rows = table(store.query(query.text, bindings), settings.max_result_rows + 1)
    truncated = len(rows) > settings.max_result_rows
    rows = rows[: settings.max_result_rows]
    return models.QueryAnswer(name=name, variables=variables, rows=rows, count=len(rows), truncated=truncated)


def table(result: QueryResult, most: int) -> tuple[list[str], list[dict[str, models.Term]]]:
    """Variables and at most `most` rows of a result; a CONSTRUCT gives subject, predicate, object, an ASK
    one `boolean`."""
    if isinstance(result, pyoxigraph.QueryBoolean):
        return ["boolean"], [{"boolean": models.Term(type="literal", value=str(bool(result)).lower(),
                                                     datatype=XSD + "boolean")}]  # fmt: skip
    if isinstance(result, pyoxigraph.QueryTriples | list):
        names = ["subject", "predicate", "object"]
        triples = itertools.islice(result, most)
        return names, [dict(zip(names, map(term, (t.subject, t.predicate, t.object)), strict=True)) for t in triples]
    names = [variable.value for variable in result.variables]
    solutions = itertools.islice(result, most)
    return names, [
        {name: term(solution[name]) for name in names if solution[name] is not None} for solution in solutions
    ]


def term(node: object) -> models.Term:
    if isinstance(node, pyoxigraph.NamedNode):
        return models.Term(type="uri", value=node.value)
    if isinstance(node, pyoxigraph.BlankNode):
        return models.Term(type="bnode", value=node.value)
    if isinstance(node, pyoxigraph.Literal):
        datatype = node.datatype.value
        return models.Term(type="literal", value=node.value, lang=node.language,
                           datatype=None if datatype in PLAIN else datatype)  # fmt: skip
    return models.Term(type="triple", value=str(node))
