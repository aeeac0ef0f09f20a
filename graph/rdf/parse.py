"""Parsing RDF from outside without letting it reach outside: no entities, no remote contexts, bounded size.

Files are parsed by pyoxigraph, which keeps lexical forms as written (rdflib would silently rewrite
"１２"^^xsd:integer to "12", hiding the very error validation must report), parses deep nesting without
recursion, and loads no remote JSON-LD context. DOCTYPE/ENTITY declarations are refused before any
parser sees them (pyoxigraph aborts the whole process on a billion-laughs file), and so are JSON-LD
context references, with one message whether or not the named file exists.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pyoxigraph
from pyoxigraph import RdfFormat
from rdflib import Graph

from graph.errors import InputError, Location
from graph.rdf.terms import graph_of

FORMATS = {
    ".ttl": RdfFormat.TURTLE,
    ".turtle": RdfFormat.TURTLE,
    ".nt": RdfFormat.N_TRIPLES,
    ".nq": RdfFormat.N_QUADS,
    ".trig": RdfFormat.TRIG,
    ".jsonld": RdfFormat.JSON_LD,
    ".json": RdfFormat.JSON_LD,
    ".rdf": RdfFormat.RDF_XML,
    ".xml": RdfFormat.RDF_XML,
    ".owl": RdfFormat.RDF_XML,
}
MAX_RDF_BYTES = 20 * 1024 * 1024
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.I)


def is_rdf(path: Path) -> bool:
    return path.suffix.lower() in FORMATS


def parse_rdf_file(path: Path) -> Graph:
    """Parse an RDF file into one graph (named graphs merged); InputError with a clear reason otherwise."""
    if not path.is_file():
        raise InputError(Location(str(path)), "no such file")
    if path.stat().st_size > MAX_RDF_BYTES:
        raise InputError(Location(str(path)), f"is larger than {MAX_RDF_BYTES:,} bytes")
    return parse_rdf(path.read_bytes(), FORMATS[path.suffix.lower()], str(path))


def parse_rdf(data: bytes, fmt: RdfFormat, name: str) -> Graph:
    where = Location(name)
    if fmt == RdfFormat.RDF_XML and _DTD.search(data):
        raise InputError(where, "DOCTYPE and ENTITY declarations are not allowed in RDF/XML input")
    if fmt == RdfFormat.JSON_LD:
        _check_json_ld(data, where)
    try:
        return graph_of(pyoxigraph.parse(data, fmt))
    except SyntaxError as error:
        raise InputError(where, f"is not valid {fmt.name} ({_first_line(error)})") from None
    except ValueError as error:  # an RDF-star triple term, which PolicyKG does not take
        raise InputError(where, str(error)) from None


def _check_json_ld(data: bytes, where: Location) -> None:
    try:
        document = json.loads(data)
    except RecursionError:
        raise InputError(where, "is too deeply nested to read") from None
    except ValueError as error:
        raise InputError(where, f"is not valid JSON ({error})") from None
    try:
        _walk_contexts(document, where)
    except RecursionError:
        raise InputError(where, "is too deeply nested to read") from None


def _walk_contexts(node: Any, where: Location) -> None:
    if isinstance(node, list):
        for item in node:
            _walk_contexts(item, where)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "@context":
                _check_context(value, where)
            elif key == "@import":
                raise InputError(where, "JSON-LD @import is not allowed: contexts are never fetched")
            _walk_contexts(value, where)


def _check_context(context: Any, where: Location) -> None:
    for item in context if isinstance(context, list) else [context]:
        if isinstance(item, str):
            raise InputError(where, "unknown JSON-LD context: remote and file contexts are never fetched; inline it")
        if isinstance(item, dict):
            _walk_contexts(item, where)


def _first_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[0][:300] if text else type(error).__name__
