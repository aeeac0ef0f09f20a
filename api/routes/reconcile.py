"""Reconciliation Service API 0.2 (what OpenRefine 3.x speaks) at /reconcile: match a spreadsheet's names to our IRIs.

GET /reconcile without a request gives the service manifest; `queries` (GET or form POST) a batch of matches,
`query` one match, `extend` the values of properties for matched ids. Suggest, preview, flyout and property
proposals live under /reconcile/. Every JSON answer to a GET is also given as JSONP when a `callback` names a
JavaScript function (OpenRefine 3.x fetches the manifest and suggestions that way). The matching itself is
graph/reconcile/; this module reads requests and writes answers.
"""

from __future__ import annotations

import json
import re
from typing import Annotated
from urllib.parse import parse_qs

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

import graph
from api.deps import SettingsDep, TemplatesDep, ViewsDep
from api.errors import APIError
from api.models.common import ErrorBody
from api.protocol import FORM, media_type, read_body
from graph.rdf.namespaces import PKG
from graph.reconcile import extend as ext
from graph.reconcile import match as rc
from graph.views.records import Views

router = APIRouter(prefix="/reconcile", tags=["Reconciliation"])
ERRORS: dict[int | str, dict[str, object]] = {
    400: {"model": ErrorBody, "description": "Malformed JSON or a query that cannot be answered, named"},
    413: {"model": ErrorBody, "description": f"More than {rc.MAX_BATCH} queries or ids in one request"},
    415: {"model": ErrorBody, "description": "A POST body that is not form-encoded"},
}
_CALLBACK = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]{0,99}(?:\.[A-Za-z_$][A-Za-z0-9_$]{0,99}){0,4}$")
PREVIEW_SIZE = {"width": 400, "height": 220}
SUGGEST_LIMIT = 10
Callback = Annotated[
    str | None, Query(max_length=500, description="JSONP: wrap the JSON answer in a call to this function.")
]


# --- answers ----------------------------------------------------------------------------------------------
def respond(payload: object, callback: str | None) -> Response:
    """JSON, or JSONP (`/**/callback(…);`, application/javascript) when a valid callback is given."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    if callback is None:
        return Response(body, media_type="application/json")
    if not _CALLBACK.fullmatch(callback):
        raise APIError(400, "bad_callback", "callback must be a JavaScript identifier such as jQuery123_456")
    script = body.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")  # line separators end JS strings
    return Response(
        f"/**/{callback}({script});",
        media_type="application/javascript",
        headers={"X-Content-Type-Options": "nosniff"},
    )


def _error(error: rc.ReconcileError) -> APIError:
    return APIError(error.status, "too_large" if error.status == 413 else "bad_request", str(error))


def type_names(views: Views) -> dict[str, str]:
    """Each type's name as the ontology labels it, in Chinese and English."""
    names = {}
    for cls in rc.TYPES:
        label = views.label(cls)
        names[cls] = " / ".join(part for part in (label.zh, label.en) if part) or cls
    return names


def manifest(root: str, base_iri: str, views: Views) -> dict[str, object]:
    """The service manifest; every URL absolute, under the address the request came to."""
    names = type_names(views)
    service = root + "reconcile"
    return {
        "versions": ["0.2"],
        "name": "PolicyKG 政策知识图谱：责任单位、任务和文件 / PolicyKG: agencies, tasks and policy documents",
        "identifierSpace": base_iri,
        "schemaSpace": str(PKG),
        "documentation": root + "docs#/Reconciliation",
        "serviceVersion": graph.__version__,
        "batchSize": rc.MAX_BATCH,
        "defaultTypes": [{"id": cls, "name": names[cls]} for cls in rc.DEFAULT_TYPES],
        "view": {"url": root + "{{id}}"},
        "preview": {"url": service + "/preview?id={{id}}", **PREVIEW_SIZE},
        "suggest": {
            "entity": {
                "service_url": service,
                "service_path": "/suggest/entity",
                "flyout_service_path": "/flyout/entity?id=${id}",
            },
            "type": {"service_url": service, "service_path": "/suggest/type"},
            "property": {"service_url": service, "service_path": "/suggest/property"},
        },
        "extend": {
            "propose_properties": {"service_url": service, "service_path": "/properties"},
            "property_settings": [ext.LIMIT_SETTING],
        },
    }


# --- the endpoint -----------------------------------------------------------------------------------------
async def _parameters(request: Request, limit: int) -> dict[str, str]:
    """The URL's parameters and, for a POST, the form's (which win); 400 for a parameter given twice."""
    found = _single_values(parse_qs(request.url.query, keep_blank_values=True))
    if request.method == "POST":
        kind, params = media_type(request)
        body = await read_body(request, limit)
        if body and kind != FORM:
            raise APIError(415, "unsupported_media_type", f"POST the form fields queries= or extend= as {FORM}")
        if params.get("charset", "utf-8").replace("-", "") != "utf8":
            raise APIError(415, "unsupported_media_type", "the form must be UTF-8")
        try:
            form = parse_qs(body.decode("utf-8"), keep_blank_values=True, errors="strict")
        except UnicodeDecodeError as error:
            raise APIError(400, "bad_encoding", f"the form is not valid UTF-8 (byte {error.start})") from None
        found.update(_single_values(form))
    return found


def _single_values(params: dict[str, list[str]]) -> dict[str, str]:
    for name in ("queries", "query", "extend", "callback"):
        if len(params.get(name, [])) > 1:
            raise APIError(400, "bad_request", f"the parameter {name} is given more than once")
    return {name: values[0] for name, values in params.items()}


def _answer(params: dict[str, str], request: Request, views: Views, base_iri: str) -> object:
    """The answer to whichever request the parameters make: a batch, one query, an extension, or the manifest."""
    try:
        if "queries" in params:
            batch = rc.parse_batch(params["queries"])
            return rc.reconcile_batch(rc.Index.read(views), batch, type_names(views))
        if "query" in params:
            single = rc.parse_single(params["query"])
            return rc.reconcile_batch(rc.Index.read(views), {"q": single}, type_names(views))["q"]
        if "extend" in params:
            query = ext.parse_extend(params["extend"])
            return ext.extend(views, rc.Index.read(views), query, type_names(views))
    except rc.ReconcileError as error:
        raise _error(error) from None
    return manifest(str(request.base_url), base_iri, views)


async def endpoint(request: Request, views: ViewsDep, settings: SettingsDep) -> Response:
    """Reconciliation Service API 0.2. Without parameters: the service manifest. `queries` (a JSON batch
    `{"q0": {"query": "市财政局", "type": "…#Agency", "limit": 3, "properties": [{"pid": "kind", "v": "agency"}]}}`,
    at most 100 queries) by GET or form POST: candidates with `score` (0–100) and `match` (an exact, unique hit on
    a full name, abbreviation, English name, number or id). `query`: one query. `extend` (`{"ids": […],
    "properties": [{"id": "name_en"}]}`): property values. `callback`: JSONP.
    对账服务：把表格中的单位名称、任务编号或文号对应到本图谱的 IRI。"""
    params = await _parameters(request, settings.max_query_bytes)
    payload = await run_in_threadpool(_answer, params, request, views, settings.base_iri)
    return respond(payload, params.get("callback"))


for _method in ("GET", "POST"):
    router.add_api_route(
        "", endpoint, methods=[_method], summary=f"Reconciliation endpoint ({_method})",
        operation_id=f"reconcile_{_method.lower()}", responses=ERRORS,
    )  # fmt: skip


# --- suggest, flyout, properties, preview -----------------------------------------------------------------
Prefix = Annotated[str, Query(max_length=200, description="What the user has typed so far.")]
TypeParam = Annotated[str | None, Query(max_length=500, description="A type id (IRI, `pkg:Agency` or `agency`).")]


def _types(type_id: str | None) -> tuple[str, ...]:
    if not type_id:
        return ()
    cls = rc.resolve_type(type_id)
    if cls is None:
        raise APIError(400, "bad_request", f"unknown type {type_id[:80]!r}; the types are {', '.join(rc.TYPES)}")
    return (cls,)


@router.get("/suggest/entity", summary="Suggest entities by prefix", responses=ERRORS)
def suggest_entity(
    views: ViewsDep,
    prefix: Prefix = "",
    type: TypeParam = None,
    cursor: Annotated[int, Query(ge=0, le=10_000, description="How many suggestions to skip.")] = 0,
    callback: Callback = None,
) -> Response:
    """Units, tasks and policies one of whose names, numbers or ids starts with `prefix` (then those containing
    it), ten at a time."""
    found = rc.suggest_entities(rc.Index.read(views), prefix, _types(type), cursor, SUGGEST_LIMIT)
    names = type_names(views)
    result = [
        {
            "id": entity.id,
            "name": entity.name,
            "description": rc.describe(entity),
            "notable": [{"id": cls, "name": names.get(cls, cls)} for cls in sorted(entity.classes)],
        }
        for entity in found
    ]
    return respond({"result": result}, callback)


@router.get("/suggest/type", summary="Suggest types by prefix", responses=ERRORS)
def suggest_type(views: ViewsDep, prefix: Prefix = "", callback: Callback = None) -> Response:
    """The types (agency, agency group, responsible unit, task, policy) whose Chinese or English name or id starts
    with `prefix`."""
    names = type_names(views)
    found = rc.suggest(((cls, (*names[cls].split(" / "), cls.rsplit("#", 1)[-1])) for cls in rc.TYPES), prefix)
    return respond({"result": [{"id": cls, "name": names[cls]} for cls in found]}, callback)


@router.get("/suggest/property", summary="Suggest properties by prefix", responses=ERRORS)
def suggest_property(prefix: Prefix = "", type: TypeParam = None, callback: Callback = None) -> Response:
    """Properties (of a type, when given) whose id or name starts with `prefix`; each says whether it can refine a
    match (as a query's `properties`) or only be fetched by `extend`."""
    props = _properties(type)
    found = set(rc.suggest(((p.id, (p.id, p.zh, p.en)) for p in props), prefix))
    result = [{"id": p.id, "name": p.name, "description": _purpose(p.id)} for p in props if p.id in found]
    return respond({"result": result}, callback)


def _purpose(pid: str) -> str:
    if pid in rc.MATCHERS:
        return "可用于对账和扩展 / for matching and extension"
    return "可用于扩展 / for extension"


def _properties(type_id: str | None) -> list[ext.Property]:
    try:
        return ext.properties_for(type_id)
    except rc.ReconcileError as error:
        raise _error(error) from None


@router.get("/properties", summary="Propose properties for data extension", responses=ERRORS)
def propose_properties(
    type: TypeParam = None,
    limit: Annotated[int | None, Query(ge=1, le=100, description="Most properties to propose.")] = None,
    callback: Callback = None,
) -> Response:
    """The properties `extend` can fetch for entities of `type`."""
    props = _properties(type)[:limit]
    payload: dict[str, object] = {"type": type or "", "properties": [{"id": p.id, "name": p.name} for p in props]}
    if limit is not None:
        payload["limit"] = limit
    return respond(payload, callback)


Identifier = Annotated[
    str, Query(min_length=1, max_length=500, description="An entity id (`agency/bj-finance`) or IRI.")
]


@router.get("/flyout/entity", summary="A small HTML card for a suggested entity", responses=ERRORS)
def flyout(
    request: Request, views: ViewsDep, templates: TemplatesDep, id: Identifier, callback: Callback = None
) -> Response:
    """`{"id", "html"}`: the preview's card as an HTML string."""
    html = bytes(_preview(request, views, templates, id, full_page=False).body).decode("utf-8")
    return respond({"id": id, "html": html}, callback)


@router.get("/preview", summary="An HTML preview of an entity", response_class=HTMLResponse)
def preview(request: Request, views: ViewsDep, templates: TemplatesDep, id: Identifier) -> HTMLResponse:
    """A small bilingual page about one entity, for OpenRefine's preview frame (400×220)."""
    return _preview(request, views, templates, id, full_page=True)


def _preview(
    request: Request, views: Views, templates: Jinja2Templates, identifier: str, full_page: bool
) -> HTMLResponse:
    index = rc.Index.read(views)
    entity = index.get(identifier)
    if entity is None:
        raise APIError(404, "not_found", f"no unit, task or policy with id {identifier[:200]!r}")
    facts = ext.Facts(views, index, entity)
    page = str(request.base_url) + entity.id  # absolute: a flyout is shown inside the client's own page
    context = {"entity": entity, "facts": facts, "full_page": full_page, "types": type_names(views), "page": page}
    return templates.TemplateResponse(request, "reconcile-preview.html", context)
