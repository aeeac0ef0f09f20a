"""How pages are rendered: the Jinja set-up (helpers every template uses), the page language, and `Renderer`.

Chinese is the default; `?lang=en` shows English labels and interface text, and every internal link on an English
page keeps `lang=en`. Templates (api/templates) autoescape. No page needs JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context

import graph
from api.negotiation import Kind, formats_for
from api.pages import pictures
from api.settings import Settings
from graph import bundled
from graph.rdf.namespaces import PREFIXES
from graph.store.queries import StoredQuery, load_queries
from graph.views.records import Labels, Views

LANGUAGES = {"zh": "zh-Hans", "en": "en"}  # page language -> HTML lang attribute; the first is the default
ROWS = 1000  # most rows a SPARQL result or a resource description shows
SEARCH_TASKS = 100  # most tasks a search lists


@dataclass(frozen=True)
class Shown:
    """A label chosen for the page's language, with the HTML language code of the text actually shown."""

    text: str
    lang: str


@dataclass(frozen=True)
class Example:
    """A stored query (queries/*.rq) offered on the SPARQL page."""

    name: str
    title: Labels
    description: str
    parameters: list[str]
    text: str
    href: str


# --- configuration and template helpers -----------------------------------------------------------------
def configure(templates: Jinja2Templates, settings: Settings) -> None:
    """Register the helpers every template uses; called once by create_app."""
    env = templates.env
    env.globals.update(
        base_iri=settings.base_iri,
        version=graph.__version__,
        data_formats=formats_for(Kind.GRAPH, html=False),
        examples=examples(load_queries(bundled.folder("queries"))),
        limits={"rows": ROWS, "search_tasks": SEARCH_TASKS},
        t=_t,
        pick=_pick,
        alternate=_alternate,
        label=_label,
    )
    env.globals.update(pictures.GLOBALS)
    env.filters.update(local=_local, link=_link, curie=curie)


def local(base: str, iri: str) -> str:
    """The path an IRI under the base is served at (`/agency/bj-finance`); any other IRI unchanged."""
    return "/" + iri[len(base) :] if iri.startswith(base) else iri


def with_language(target: str, lang: str) -> str:
    """An internal path that keeps a non-default page language (`?lang=en`), before any fragment."""
    if lang == "zh" or not target.startswith("/"):
        return target
    path, hash_mark, fragment = target.partition("#")
    separator = "&" if "?" in path else "?"
    return f"{path}{separator}lang={lang}{hash_mark}{fragment}"


def pick(label: Labels | None, lang: str) -> Shown | None:
    """The label in the page's language, else in the other one; None when there is none."""
    if label is None:
        return None
    for code in ("en", "zh") if lang == "en" else ("zh", "en"):
        text = getattr(label, code)
        if text:
            return Shown(text, LANGUAGES[code])
    return None


def alternate(label: Labels | None, lang: str) -> Shown | None:
    """The label in the other language, when there is one besides what `pick` shows."""
    shown, other = pick(label, lang), pick(label, "zh" if lang == "en" else "en")
    return other if shown and other and other != shown else None


def curie(iri: str) -> str:
    """`pkg:Task` for a term of a known namespace; the IRI itself otherwise."""
    for prefix, namespace in PREFIXES.items():
        rest = iri[len(namespace) :]
        if iri.startswith(namespace) and rest and all(c.isalnum() or c in "_-." for c in rest):
            return f"{prefix}:{rest}"
    return iri


@pass_context
def _local(context: Context, iri: str) -> str:
    return local(context["base_iri"], iri)


@pass_context
def _link(context: Context, target: str) -> str:
    return with_language(local(context["base_iri"], target), context["lang"])


@pass_context
def _t(context: Context, zh: str, en: str) -> str:
    return en if context["lang"] == "en" else zh


@pass_context
def _pick(context: Context, label: Labels | None) -> Shown | None:
    return pick(label, context["lang"])


@pass_context
def _alternate(context: Context, label: Labels | None) -> Shown | None:
    return alternate(label, context["lang"])


@pass_context
def _label(context: Context, iri: str) -> Labels:
    views: Views = context["views"]
    return views.label(iri)


def language(request: Request) -> str:
    chosen = request.query_params.get("lang", "")
    return chosen if chosen in LANGUAGES else next(iter(LANGUAGES))


def _switch(request: Request, lang: str) -> dict[str, str]:
    """The same page in the other language."""
    url = request.url.remove_query_params("lang")
    other = "zh" if lang == "en" else "en"
    if other != "zh":
        url = url.include_query_params(lang=other)
    href = url.path + (f"?{url.query}" if url.query else "")
    return {"href": href, "lang": LANGUAGES[other], "text": "中文" if other == "zh" else "English"}


@dataclass(frozen=True)
class Renderer:
    """What a request's page is rendered with: the request (its language), the templates and the request's views."""

    request: Request
    templates: Jinja2Templates
    views: Views

    def __call__(self, template: str, **context: Any) -> HTMLResponse:
        lang = language(self.request)
        page = {"views": self.views, "lang": lang, "html_lang": LANGUAGES[lang], "switch": _switch(self.request, lang)}
        return self.templates.TemplateResponse(self.request, template, {**page, **context})


def examples(stored: dict[str, StoredQuery]) -> list[Example]:
    """The stored queries as the SPARQL page lists them, each with a link that runs it there."""
    found = []
    for query in stored.values():
        zh, _, en = query.title.partition(" / ")
        parameters = [f"?{p.name} ({p.type})" for p in query.parameters]
        href = "/sparql?" + urlencode({"query": query.text, "format": "html"})
        found.append(Example(query.name, Labels(zh=zh, en=en or None), query.description, parameters, query.text, href))
    return found
