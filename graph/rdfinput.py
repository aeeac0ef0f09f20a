"""Parsing RDF from outside without letting it reach outside: no entities, no remote contexts, bounded size.

rdflib resolves neither XXE nor remote imports here, but a billion-laughs RDF/XML file pins it for a
minute and a JSON-LD `@context` URL makes it fetch; both are refused before the parser sees them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph

from graph.errors import InputError, Location

FORMATS = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".xml": "xml",
    ".owl": "xml",
}
QUAD_FORMATS = {"nquads", "trig", "json-ld"}
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


def parse_rdf(data: bytes, fmt: str, name: str) -> Graph:
    where = Location(name)
    if fmt == "xml" and _DTD.search(data):
        raise InputError(where, "DOCTYPE and ENTITY declarations are not allowed in RDF/XML input")
    if fmt == "json-ld":
        _check_json_ld(data, where)
    target: Graph = Dataset() if fmt in QUAD_FORMATS else Graph()
    try:
        target.parse(data=data, format=fmt)
    except RecursionError:
        raise InputError(where, "is too deeply nested to read") from None
    except Exception as error:  # rdflib's parsers raise many unrelated exception types
        raise InputError(where, f"is not valid {fmt} ({_first_line(error)})") from None
    if isinstance(target, Dataset):
        merged = Graph()
        for s, p, o, _ in target.quads():
            merged.add((s, p, o))
        return merged
    return target


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
