"""HTML pages (placeholder until the pages work lands)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from api.settings import Settings
from graph.views import Views

router = APIRouter()


def configure(templates: Jinja2Templates, settings: Settings) -> None:
    pass


def home(request: Request, views: Views) -> HTMLResponse:
    return HTMLResponse("<!doctype html><title>PolicyKG</title><h1>PolicyKG</h1>")


def resource_page(request: Request, views: Views, iri: str) -> HTMLResponse:
    return HTMLResponse(f"<!doctype html><title>{iri}</title>")


def graph_page(request: Request, views: Views, iri: str, quads: list) -> HTMLResponse:  # type: ignore[type-arg]
    return HTMLResponse("<!doctype html><title>graph</title>")


def sparql_page(request: Request, views: Views, query: str | None, result: object) -> HTMLResponse:
    return HTMLResponse("<!doctype html><title>SPARQL</title>")
