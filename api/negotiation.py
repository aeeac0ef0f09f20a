"""One table of every format the service speaks, and content negotiation over it.

Each response has a kind (SPARQL results, an RDF graph, an RDF dataset, an HTML page, a validation report); the
client picks a format of that kind with `Accept` (q-values and wildcards, as browsers and SPARQLWrapper send them)
or with a `format` parameter / file extension, which wins over `Accept`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from pyoxigraph import QueryResultsFormat, RdfFormat


class Kind(Enum):
    RESULTS = "results"  # SELECT / ASK
    GRAPH = "graph"  # CONSTRUCT / DESCRIBE, a resource description
    DATASET = "dataset"  # several named graphs
    HTML = "html"
    MATRIX = "matrix"  # a responsibility matrix: a page, a spreadsheet or a picture
    REPORT = "report"  # a validation report: JSON, or the sh:ValidationReport graph


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    extension: str
    kinds: frozenset[Kind]
    results: QueryResultsFormat | None = None
    rdf: RdfFormat | None = None
    also_accepts: tuple[str, ...] = ()  # other media types that select this format
    names: tuple[str, ...] = ()  # other `format=` values that select this format
    binary: bool = False

    @property
    def content_type(self) -> str:
        return self.media_type if self.binary else f"{self.media_type}; charset=utf-8"


R, G, D, H, M, V = Kind.RESULTS, Kind.GRAPH, Kind.DATASET, Kind.HTML, Kind.MATRIX, Kind.REPORT

# Order is the server's preference when the client has none.
FORMATS: tuple[Format, ...] = (
    Format("json", "application/sparql-results+json", "srj", frozenset({R}), results=QueryResultsFormat.JSON,
           also_accepts=("application/json",)),
    Format("xml", "application/sparql-results+xml", "srx", frozenset({R}), results=QueryResultsFormat.XML,
           also_accepts=("application/xml", "text/xml")),
    Format("csv", "text/csv", "csv", frozenset({R, M}), results=QueryResultsFormat.CSV),
    Format("tsv", "text/tab-separated-values", "tsv", frozenset({R}), results=QueryResultsFormat.TSV),
    Format("report", "application/json", "json", frozenset({V})),  # the validation report's own JSON
    Format("turtle", "text/turtle", "ttl", frozenset({G, V}), rdf=RdfFormat.TURTLE,
           also_accepts=("application/turtle", "application/x-turtle", "text/n3", "text/rdf+n3", "application/rdf+n3"),
           names=("ttl", "n3")),
    Format("jsonld", "application/ld+json", "jsonld", frozenset({G, D, V}), rdf=RdfFormat.JSON_LD,
           also_accepts=("application/json", "application/x-json+ld"), names=("json-ld", "json")),
    Format("rdfxml", "application/rdf+xml", "rdf", frozenset({G, V}), rdf=RdfFormat.RDF_XML,
           also_accepts=("application/xml", "text/xml"), names=("rdf", "rdf+xml", "xml", "owl")),
    Format("ntriples", "application/n-triples", "nt", frozenset({G, V}), rdf=RdfFormat.N_TRIPLES,
           also_accepts=("text/plain",), names=("nt", "n-triples")),
    Format("trig", "application/trig", "trig", frozenset({D}), rdf=RdfFormat.TRIG),
    Format("nquads", "application/n-quads", "nq", frozenset({D}), rdf=RdfFormat.N_QUADS, names=("nq", "n-quads")),
    Format("svg", "image/svg+xml", "svg", frozenset({M})),
    Format("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", frozenset({M}),
           binary=True),
    Format("html", "text/html", "html", frozenset({R, G, D, H, M}), also_accepts=("application/xhtml+xml",),
           names=("htm",)),
)  # fmt: skip


class NotAcceptable(Exception):
    """Nothing the client accepts can be produced; carries the media types that could have been."""

    def __init__(self, offered: Sequence[Format]) -> None:
        self.offered = [f.media_type for f in offered]
        super().__init__("none of the requested formats is available; available: " + ", ".join(self.offered))


def formats_for(kind: Kind, html: bool = True) -> list[Format]:
    return [f for f in FORMATS if kind in f.kinds and (html or f.name != "html")]


def by_name(name: str, kind: Kind, html: bool = True) -> Format | None:
    """The format a `format=` value or file extension names, for a response of this kind."""
    key = name.strip().lower()
    for candidate in formats_for(kind, html):
        if key in (candidate.name, candidate.extension, candidate.media_type, *candidate.names):
            return candidate
    return None


def parse_accept(header: str) -> list[tuple[str, float]]:
    """Media ranges with their q-values, in header order; malformed ranges and q-values are skipped."""
    ranges = []
    for part in header.split(","):
        pieces = [piece.strip() for piece in part.split(";")]
        media = pieces[0].lower()
        if "/" not in media:
            continue
        quality = 1.0
        for parameter in pieces[1:]:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        ranges.append((media, quality))
    return ranges


def _quality(candidate: Format, ranges: list[tuple[str, float]]) -> tuple[float, float]:
    """(q-value, specificity) of the most specific range that matches the format (exact > type/* > */*)."""
    best = (-1.0, 0.0)
    for media in (candidate.media_type, *candidate.also_accepts):
        alias = 0.5 if media != candidate.media_type else 0.0  # application/json names JSON-LD less exactly
        for accepted, quality in ranges:
            specificity = _specificity(accepted, media)
            if specificity >= 0 and specificity - alias > best[0]:
                best = (specificity - alias, quality)
    return best[1], best[0]


def _specificity(accepted: str, media: str) -> float:
    if accepted == media:
        return 2.0
    if accepted == media.split("/")[0] + "/*":
        return 1.0
    return 0.0 if accepted == "*/*" else -1.0


def negotiate(kind: Kind, accept: str | None, requested: Sequence[str] = (), html: bool = True) -> Format:
    """The format to answer with. `requested` are `format=` values (or an extension); they win over Accept."""
    offered = formats_for(kind, html)
    if requested:
        for name in requested:
            chosen = by_name(name, kind, html)
            if chosen is not None:
                return chosen
        raise NotAcceptable(offered)
    if not accept or not accept.strip():
        return offered[0]
    ranges = parse_accept(accept[:4096])
    scored = [(*_quality(candidate, ranges), -index, candidate) for index, candidate in enumerate(offered)]
    quality, _, _, chosen = max(scored, key=lambda item: (item[0], item[1], item[2]))
    if quality <= 0:
        raise NotAcceptable(offered)
    return chosen
