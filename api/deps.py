"""Dependencies the routes receive: settings, store, views, templates (all built by create_app)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates

from api.settings import Settings
from graph.store import Store
from graph.views import Views


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_store(request: Request) -> Store:
    return request.app.state.store


def get_views(request: Request) -> Views:
    return request.app.state.views


def get_templates(request: Request) -> Jinja2Templates:
    return request.app.state.templates


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
ViewsDep = Annotated[Views, Depends(get_views)]
TemplatesDep = Annotated[Jinja2Templates, Depends(get_templates)]
