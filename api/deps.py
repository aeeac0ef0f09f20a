"""Dependencies the routes receive: settings, one snapshot of what is served (store, views) per request, and the
templates with a page renderer over that snapshot.

They are `async def` because they never block: FastAPI runs a plain `def` dependency in its thread pool, and three
thread hand-offs per request were a fifth of the cost of a small SPARQL query (py-spy, bench/RESULTS.md)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates

from api.pages.render import Renderer
from api.service import Served, Service
from api.settings import Settings
from graph.store.base import Store
from graph.views.records import Views


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


async def get_served(service: Annotated[Service, Depends(get_service)]) -> Served:
    """One snapshot per request (FastAPI caches it), so a reload never mixes two graphs in one answer."""
    return service.current()


async def get_store(served: Annotated[Served, Depends(get_served)]) -> Store:
    return served.store


async def get_views(served: Annotated[Served, Depends(get_served)]) -> Views:
    return served.views


async def get_templates(request: Request) -> Jinja2Templates:
    templates: Jinja2Templates = request.app.state.templates
    return templates


async def get_renderer(
    request: Request,
    templates: Annotated[Jinja2Templates, Depends(get_templates)],
    views: Annotated[Views, Depends(get_views)],
) -> Renderer:
    return Renderer(request, templates, views)


SettingsDep = Annotated[Settings, Depends(get_settings)]
ServiceDep = Annotated[Service, Depends(get_service)]
ServedDep = Annotated[Served, Depends(get_served)]
StoreDep = Annotated[Store, Depends(get_store)]
ViewsDep = Annotated[Views, Depends(get_views)]
TemplatesDep = Annotated[Jinja2Templates, Depends(get_templates)]
RendererDep = Annotated[Renderer, Depends(get_renderer)]
