"""The PolicyKG web service: `create_app(settings)` builds it; uvicorn calls `create_app_from_env`."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

import graph
from api import errors, pages
from api.routes import (
    agencies,
    categories,
    coverage,
    graph_store,
    meta,
    policies,
    provisions,
    resources,
    search,
    sparql,
    stored,
    tasks,
)
from api.settings import Settings
from graph.release import current_release
from graph.store import Store, open_current
from graph.views import Views

_HERE = Path(__file__).resolve().parent

DESCRIPTION = """
PolicyKG serves Chinese government policy documents as linked data: a SPARQL 1.1 endpoint (`/sparql`),
this JSON API, and an HTML page for every IRI of the graph.
PolicyKG 以关联数据形式提供政策文件：SPARQL 端点、JSON 接口和网页。
"""


def open_store(settings: Settings) -> Store:
    writable = settings.admin_token is not None
    if settings.store is not None:
        return Store.open(settings.store, writable)
    return open_current(settings.out_dir.resolve(), writable)


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    settings = settings or Settings()
    store = store if store is not None else open_store(settings)
    app = FastAPI(
        title="PolicyKG",
        version=graph.__version__,
        description=DESCRIPTION,
        docs_url="/docs",
        openapi_url="/openapi.json",
    )
    app.state.settings = settings
    app.state.store = store
    app.state.views = Views(store, settings.base_iri)
    app.state.release = current_release(settings.out_dir.resolve()) if settings.store is None else None
    app.state.templates = Jinja2Templates(directory=str(_HERE / "templates"))  # autoescapes .html
    pages.configure(app.state.templates, settings)
    errors.install(app)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
        allow_headers=["Accept", "Content-Type"],
        expose_headers=["Link", "X-Total-Count", "Content-Location"],
        allow_credentials=False,
    )
    app.mount("/static", StaticFiles(directory=str(_HERE / "static")), name="static")
    routers = (sparql, graph_store, policies, categories, tasks, provisions, coverage, agencies, stored, search, meta)
    for module in (*routers, pages):
        app.include_router(module.router)
    app.include_router(resources.router)  # last: it answers every other path under the base IRI
    return app


def create_app_from_env() -> FastAPI:
    return create_app(Settings())
