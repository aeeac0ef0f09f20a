"""The pictures (graph.pictures) as pages show them: inline SVG whose links keep the page's language.

Templates call `network_picture(agency)`, `coverage_picture(coverage)` and `ontology_picture()`; the SVG comes from
graph.pictures, which escapes every text it writes, and is marked safe for Jinja only here.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pyoxigraph
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from graph.pictures.coverage import coverage_svg
from graph.pictures.network import collaboration_network, network_svg
from graph.pictures.ontology import ontology_svg
from graph.views.records import DocumentCoverage, Views

Href = Callable[[str], str]


def linker(base: str, lang: str) -> Href:
    """The address a picture links an IRI to: its local path under the base, keeping a non-default language."""

    def href(iri: str) -> str:
        if not iri.startswith(base):  # another site's page, but never a `javascript:` or `data:` IRI
            return iri if iri.startswith(("https://", "http://")) else ""
        path, hash_mark, fragment = ("/" + iri[len(base) :]).partition("#")
        return f"{path}?lang=en{hash_mark}{fragment}" if lang == "en" else path + hash_mark + fragment

    return href


def network(views: Views, lang: str, agency: str | None = None, standalone: bool = False) -> str | None:
    """The whole collaboration network, or one unit's part of it; None when that unit has no task."""
    found = collaboration_network(views)
    if agency is not None and found.unit(agency) is None:
        return None
    return network_svg(found, linker(views.base, lang), lang, ego=agency, standalone=standalone)


def coverage(
    views: Views, coverages: list[DocumentCoverage], lang: str, standalone: bool = False, ident: str = "coverage"
) -> str:
    return coverage_svg(coverages, linker(views.base, lang), lang, standalone, ident)


def ontology(views: Views, lang: str, standalone: bool = False) -> str | None:
    """The ontology as the store holds it (its named graph); None when the store has no ontology graph."""
    graph = views.base + "graph/ontology"
    if not views.store.has_graph(graph):
        return None
    href = linker(views.base, lang)
    quads = list(views.store.quads(graph))
    classes = {
        q.subject.value: href(q.subject.value)
        for q in quads
        if isinstance(q.subject, pyoxigraph.NamedNode) and q.subject.value.startswith(views.base)
    }
    return ontology_svg(quads, lang, classes, standalone)


@pass_context
def network_picture(context: Context, agency: str | None = None) -> Markup | None:
    found = network(context["views"], context["lang"], agency)
    return Markup(found) if found is not None else None


@pass_context
def coverage_picture(context: Context, item: DocumentCoverage) -> Markup:
    ident = "coverage-" + re.sub(r"[^A-Za-z0-9]+", "-", item.document.id).strip("-")  # unique on a page of several
    return Markup(coverage(context["views"], [item], context["lang"], ident=ident))


@pass_context
def ontology_picture(context: Context) -> Markup | None:
    found = ontology(context["views"], context["lang"])
    return Markup(found) if found is not None else None


GLOBALS = {
    "network_picture": network_picture,
    "coverage_picture": coverage_picture,
    "ontology_picture": ontology_picture,
}
