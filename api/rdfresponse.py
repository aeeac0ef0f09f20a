"""RDF responses: one serialisation path (pyoxigraph) for every graph the service returns."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph
from fastapi.responses import Response
from rdflib import Graph

from api.negotiation import Format
from graph.rdf.namespaces import PREFIXES
from graph.rdf.terms import triples_of


def serialize(data: Graph | Iterable[pyoxigraph.Triple] | Iterable[pyoxigraph.Quad], chosen: Format) -> bytes:
    triples = triples_of(data) if isinstance(data, Graph) else data
    return pyoxigraph.serialize(triples, format=chosen.rdf, prefixes=PREFIXES) or b""


def rdf_response(
    data: Graph | Iterable[pyoxigraph.Triple] | Iterable[pyoxigraph.Quad],
    chosen: Format,
    headers: dict[str, str] | None = None,
) -> Response:
    return Response(
        serialize(data, chosen), media_type=chosen.content_type, headers={"Vary": "Accept", **(headers or {})}
    )
