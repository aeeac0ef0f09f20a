"""The PolicyKG web service: `create_app(settings)` builds it; `policykg serve` hands it to uvicorn."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

import graph
from api import errors
from api.pages import render
from api.routes import (
    agencies,
    categories,
    coverage,
    curation,
    graph_store,
    matrix,
    meta,
    pictures,
    policies,
    provisions,
    reconcile,
    releases,
    resources,
    search,
    sparql,
    stored,
    tasks,
    validate,
)
from api.service import Service
from api.settings import Settings
from graph.store.base import Store

_HERE = Path(__file__).resolve().parent
ROUTERS = (
    sparql, graph_store, policies, categories, tasks, provisions, coverage, agencies, stored, search, meta,
    matrix, reconcile, pictures, releases, validate, curation,
)  # fmt: skip

DESCRIPTION = """
PolicyKG serves Chinese government policy documents as linked data: a SPARQL 1.1 endpoint (`/sparql`),
this JSON API, and an HTML page for every IRI of the graph.
PolicyKG 以关联数据形式提供政策文件：SPARQL 端点、JSON 接口和网页。
"""


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """The service over `store`, or over the store the settings name (the current release by default)."""
    settings = settings or Settings()
    service = Service(settings, store)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        service.warm_up()
        yield
        service.close()

    app = FastAPI(
        title="PolicyKG",
        version=graph.__version__,
        description=DESCRIPTION,
        docs_url="/docs",
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.service = service
    app.state.templates = Jinja2Templates(directory=str(_HERE / "templates"))  # autoescapes .html
    render.configure(app.state.templates, settings)
    errors.install(app)
    validate.install(app)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
        allow_headers=["Accept", "Content-Type"],
        expose_headers=["Link", "X-Total-Count", "Content-Location", "X-PolicyKG-Truncated", "Retry-After"],
        allow_credentials=False,
    )
    app.mount("/static", StaticFiles(directory=str(_HERE / "static")), name="static")
    for module in ROUTERS:
        app.include_router(module.router)
    app.include_router(resources.router)  # last: it answers every other path under the base IRI
    return app
