"""The dataset's self-description (VoID, DCAT), its downloadable dumps, and a health check."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse, Response
from rdflib import Graph

from api.deps import ServedDep, SettingsDep, StoreDep
from api.errors import APIError
from api.negotiation import Format, Kind, NotAcceptable, negotiate
from api.rdfresponse import rdf_response
from graph.views.description import DUMP_TYPES, available_dumps, dcat_catalogue, void_description
from graph.views.records import TaskFilter

router = APIRouter(tags=["Dataset"])


def _graph_format(request: Request) -> Format:
    try:
        return negotiate(Kind.GRAPH, request.headers.get("accept"), html=False)
    except NotAcceptable as error:
        raise APIError(406, "not_acceptable", str(error)) from None


@router.get("/.well-known/void", summary="VoID description of the dataset")
@router.get("/dataset", include_in_schema=False)
async def void(request: Request, served: ServedDep, settings: SettingsDep) -> Response:
    """The VoID description: size, class partitions, named graphs, SPARQL endpoint and dumps."""
    chosen = _graph_format(request)
    release, store, views = served.release, served.store, served.views

    def describe() -> Graph:
        example = next(iter(views.task_iris(TaskFilter())), None)
        return void_description(settings.base_iri, store, available_dumps(release), example)

    return rdf_response(await run_in_threadpool(describe), chosen)


@router.get("/catalog", summary="DCAT catalogue")
@router.get("/sparql-service", include_in_schema=False)
async def catalog(request: Request, served: ServedDep, settings: SettingsDep) -> Response:
    """A DCAT catalogue: the dataset, its distributions (the dumps) and the SPARQL endpoint as a data service."""
    chosen = _graph_format(request)
    return rdf_response(dcat_catalogue(settings.base_iri, served.release), chosen)


@router.get("/dumps/{name}", summary="Download a dump of the whole graph")
async def dump(name: str, served: ServedDep) -> Response:
    """The dumps of the release being served: policykg.ttl, .nt, .trig, .nq, .jsonld."""
    release = served.release
    if release is None or name not in DUMP_TYPES or name not in available_dumps(release):
        raise APIError(404, "not_found", f"no dump named {name!r}; available: {', '.join(available_dumps(release))}")
    return FileResponse(release / name, media_type=DUMP_TYPES[name] + "; charset=utf-8", filename=name)


@router.get("/health", summary="Health check")
async def health(store: StoreDep) -> JSONResponse:
    """`{"status": "ok", "triples": N}` when the store answers."""
    return JSONResponse({"status": "ok", "triples": len(store)})
