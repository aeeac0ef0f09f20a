"""Content negotiation over the one format table: q-values, wildcards, aliases, `format`, 406."""

from __future__ import annotations

import pytest

from api.negotiation import FORMATS, Kind, NotAcceptable, negotiate
from tests.api.conftest import BROWSER

SPARQLWRAPPER_JSON = "application/sparql-results+json,application/json,text/javascript,application/javascript"


@pytest.mark.parametrize(
    ("kind", "accept", "expected"),
    [
        (Kind.RESULTS, None, "json"),
        (Kind.RESULTS, "*/*", "json"),
        (Kind.RESULTS, SPARQLWRAPPER_JSON, "json"),
        (Kind.RESULTS, "application/sparql-results+xml", "xml"),
        (Kind.RESULTS, "text/csv;q=0.5, text/tab-separated-values", "tsv"),
        (Kind.RESULTS, "text/*", "csv"),
        (Kind.RESULTS, BROWSER, "html"),
        (Kind.GRAPH, BROWSER, "html"),
        (Kind.GRAPH, None, "turtle"),
        (Kind.GRAPH, "application/ld+json", "jsonld"),
        (Kind.GRAPH, "application/json", "jsonld"),
        (Kind.GRAPH, "application/rdf+xml;q=0.9, text/turtle;q=0.8", "rdfxml"),
        (Kind.GRAPH, "text/rdf+n3", "turtle"),
        (Kind.GRAPH, "application/n-triples", "ntriples"),
        (Kind.GRAPH, "application/sparql-results+json, application/n-triples;q=0.9, */*;q=0.1", "ntriples"),
        (Kind.DATASET, "application/trig", "trig"),
        (Kind.DATASET, "application/n-quads", "nquads"),
        (Kind.GRAPH, "text/turtle;q=0, */*;q=0.1", "jsonld"),
    ],
)
def test_accept(kind: Kind, accept: str | None, expected: str) -> None:
    assert negotiate(kind, accept).name == expected


@pytest.mark.parametrize(
    ("kind", "requested", "expected"),
    [
        (Kind.RESULTS, ["xml"], "xml"),
        (Kind.GRAPH, ["xml"], "rdfxml"),
        (Kind.GRAPH, ["json-ld"], "jsonld"),
        (Kind.GRAPH, ["rdf+xml", "application/rdf+xml"], "rdfxml"),  # what SPARQLWrapper sends
        (Kind.RESULTS, ["tsv", "text/tab-separated-values"], "tsv"),
        (Kind.GRAPH, ["n3"], "turtle"),
        (Kind.GRAPH, ["ttl"], "turtle"),
    ],
)
def test_format_parameter_wins_over_accept(kind: Kind, requested: list[str], expected: str) -> None:
    assert negotiate(kind, "application/sparql-results+json", requested).name == expected


@pytest.mark.parametrize(
    ("kind", "accept", "requested"),
    [
        (Kind.RESULTS, "application/rdf+xml", ()),
        (Kind.RESULTS, "image/png", ()),
        (Kind.GRAPH, "text/csv", ()),
        (Kind.RESULTS, None, ("pdf",)),
        (Kind.RESULTS, "text/html", ()),
    ],
)
def test_nothing_acceptable(kind: Kind, accept: str | None, requested: tuple[str, ...]) -> None:
    with pytest.raises(NotAcceptable):
        negotiate(kind, accept, requested, html=kind != Kind.RESULTS or accept != "text/html")


def test_one_table_names_every_format_once() -> None:
    names = [f.name for f in FORMATS]
    assert len(names) == len(set(names))
    extensions = [f.extension for f in FORMATS]
    assert len(extensions) == len(set(extensions))
    assert all(f.rdf or f.results or f.name == "html" or f.kinds in ({Kind.MATRIX}, {Kind.REPORT}) for f in FORMATS)
