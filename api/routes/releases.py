"""Releases for other registries: the change feed, each kept release's versioned dumps and change list, the shapes."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, Response
from rdflib import Graph

from api.deps import ServedDep, SettingsDep
from api.errors import APIError
from api.negotiation import Kind, NotAcceptable, negotiate
from api.rdfresponse import rdf_response
from graph import bundled
from graph.release.changes import CHANGES
from graph.release.feed import MEDIA_TYPE, atom_feed
from graph.store.releases import kept_releases
from graph.views.description import DUMP_TYPES, available_dumps

router = APIRouter(tags=["Releases"])
_RELEASE = re.compile(r"^[0-9]{8}t[0-9]{6}z-[0-9a-f]{8}$")


def _releases(served: ServedDep) -> list[Path]:
    return kept_releases(served.release.parent) if served.release is not None else []


def _release(served: ServedDep, version: str) -> Path:
    """A kept release by its version; 404 for anything else (the name is matched, never joined as a path)."""
    if _RELEASE.match(version):
        for folder in _releases(served):
            if folder.name == version:
                return folder
    raise APIError(404, "not_found", f"no release {version[:40]!r} is kept here")


@router.get("/feed.atom", summary="Change feed (Atom)", response_class=Response)
async def feed(served: ServedDep, settings: SettingsDep) -> Response:
    """What each kept release added, changed and withdrew, one Atom entry per resource (RFC 4287).

    Follow it to sync: every entry names the resource IRI, the kind of change and the release; a first release
    is a single entry pointing at its dumps."""
    releases = _releases(served)
    if not releases:
        raise APIError(404, "not_found", "this server serves a store, not releases: it has no change feed")
    body = await run_in_threadpool(atom_feed, settings.base_iri, releases, settings.feed_entries)
    return Response(body, media_type=MEDIA_TYPE + "; charset=utf-8")


@router.get("/releases/{version}/changes.json", summary="The change list of one release")
async def changes(version: str, served: ServedDep) -> FileResponse:
    """Every resource the release added, changed or withdrew against the one before, with its SHA-256 digest."""
    return FileResponse(_release(served, version) / CHANGES, media_type="application/json")


@router.get("/dumps/{version}/{name}", summary="Download a dump of one release")
async def versioned_dump(version: str, name: str, served: ServedDep) -> FileResponse:
    """The dumps of any kept release by its version; the DCAT catalogue gives each one's SHA-256 and size."""
    folder = _release(served, version)
    if name not in DUMP_TYPES or name not in available_dumps(folder):
        available = ", ".join(available_dumps(folder))
        raise APIError(404, "not_found", f"no dump named {name[:40]!r}; available: {available}")
    return FileResponse(folder / name, media_type=DUMP_TYPES[name] + "; charset=utf-8", filename=f"{version}-{name}")


@router.get("/shapes", summary="The SHACL shapes data is validated against")
@router.get("/shapes.{extension}", include_in_schema=False)
async def shapes(request: Request, extension: str | None = None) -> Response:
    """PolicyKG's SHACL shapes (Turtle by default; JSON-LD, RDF/XML or N-Triples by Accept or extension)."""
    try:
        chosen = negotiate(Kind.GRAPH, request.headers.get("accept"), [extension] if extension else (), html=False)
    except NotAcceptable as error:
        raise APIError(406, "not_acceptable", str(error)) from None
    if chosen.name == "turtle":  # the file itself, with its comments
        return FileResponse(bundled.shapes_file(), media_type=chosen.content_type, headers={"Vary": "Accept"})
    graph = await run_in_threadpool(lambda: Graph().parse(bundled.shapes_file(), format="turtle"))
    return rdf_response(graph, chosen)
