"""Serialising query results within a row and a byte budget, saying so when the budget cut them short.

pyoxigraph serialises a whole result or nothing, so SELECT/ASK results are written here (SPARQL 1.1 JSON, XML,
CSV and TSV, as the W3C result formats define them) row by row; graphs are collected up to the budget and handed
to pyoxigraph. A truncated result is marked in the body where the format allows it: `"truncated": true` and a
`head.link` in JSON, a `<link>` in XML, a comment line in Turtle and N-Triples.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph

TRUNCATED_LINK = "urn:policykg:truncated"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RESULT_FORMATS = ("json", "xml", "csv", "tsv")


@dataclass(frozen=True)
class Budget:
    rows: int
    bytes: int


@dataclass(frozen=True)
class Serialized:
    body: bytes
    truncated: bool
    rows: int


def _json_term(term: object) -> dict[str, object]:
    if isinstance(term, pyoxigraph.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, pyoxigraph.Literal):
        found: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            found["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            found["datatype"] = term.datatype.value
        return found
    if isinstance(term, pyoxigraph.Triple):
        parts = ("subject", "predicate", "object")
        return {"type": "triple", "value": {p: _json_term(getattr(term, p)) for p in parts}}
    raise TypeError(f"not an RDF term: {term!r}")


def _xml_term(term: object) -> str:
    if isinstance(term, pyoxigraph.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, pyoxigraph.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def _csv_value(term: object) -> str:
    if isinstance(term, pyoxigraph.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, pyoxigraph.NamedNode | pyoxigraph.Literal):
        return term.value
    return "" if term is None else str(term)


_XSD = "http://www.w3.org/2001/XMLSchema#"
_TURTLE_SHORT = {
    _XSD + "integer": re.compile(r"^[+-]?[0-9]+$"),
    _XSD + "decimal": re.compile(r"^[+-]?[0-9]*\.[0-9]+$"),
    _XSD + "double": re.compile(r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)[eE][+-]?[0-9]+$"),
    _XSD + "boolean": re.compile(r"^(true|false)$"),
}


def _tsv_value(term: object) -> str:
    """The Turtle form TSV asks for: numbers and booleans bare, other terms as pyoxigraph writes them."""
    if term is None:
        return ""
    if isinstance(term, pyoxigraph.Literal) and not term.language:
        short = _TURTLE_SHORT.get(term.datatype.value)
        if short is not None and short.match(term.value):
            return term.value
    return str(term)


Rows = Iterator[tuple[list[object], bool]]


def _rows(solutions: pyoxigraph.QuerySolutions, names: list[str], budget: Budget) -> Rows:
    """Up to budget.rows rows; the flag says whether more rows were left out."""
    for count, solution in enumerate(solutions):
        if count == budget.rows:
            yield [], True
            return
        yield [solution[name] for name in names], False


def _encode(chunks: Iterable[bytes], closing: bytes, budget: Budget) -> tuple[bytes, bool, int]:
    """Concatenate row chunks until the byte budget; (body without closing, truncated, rows)."""
    out = io.BytesIO()
    rows = 0
    for chunk in chunks:
        if not chunk:  # the row budget ran out
            return out.getvalue(), True, rows
        if out.tell() + len(chunk) + len(closing) > budget.bytes:
            return out.getvalue(), True, rows
        out.write(chunk)
        rows += 1
    return out.getvalue(), False, rows


def serialize_solutions(solutions: pyoxigraph.QuerySolutions, fmt: str, budget: Budget) -> Serialized:
    names = [variable.value for variable in solutions.variables]
    writer = _WRITERS[fmt]
    return writer(names, _rows(solutions, names, budget), budget)


def _json(names: list[str], rows: Rows, budget: Budget) -> Serialized:
    def chunks() -> Iterator[bytes]:
        for index, (row, more) in enumerate(rows):
            if more:
                yield b""
                return
            binding = {n: _json_term(t) for n, t in zip(names, row, strict=True) if t is not None}
            yield (b"," if index else b"") + json.dumps(binding, ensure_ascii=False).encode()

    body, truncated, count = _encode(chunks(), b"]}}", budget)
    head: dict[str, object] = {"vars": names}
    if truncated:
        head["link"] = [TRUNCATED_LINK]
    start = json.dumps({"head": head}, ensure_ascii=False)[:-1].encode()
    extra = b',"truncated":true' if truncated else b""
    return Serialized(start + extra + b',"results":{"bindings":[' + body + b"]}}", truncated, count)


def _xml(names: list[str], rows: Rows, budget: Budget) -> Serialized:
    def chunks() -> Iterator[bytes]:
        for row, more in rows:
            if more:
                yield b""
                return
            pairs = [(n, t) for n, t in zip(names, row, strict=True) if t is not None]
            cells = "".join(f"<binding name={quoteattr(n)}>{_xml_term(t)}</binding>" for n, t in pairs)
            yield f"<result>{cells}</result>".encode()

    closing = b"</results></sparql>"
    body, truncated, count = _encode(chunks(), closing, budget)
    variables = "".join(f"<variable name={quoteattr(n)}/>" for n in names)
    link = f"<link href={quoteattr(TRUNCATED_LINK)}/>" if truncated else ""
    namespace = "http://www.w3.org/2005/sparql-results#"
    start = f'<?xml version="1.0"?><sparql xmlns="{namespace}"><head>{variables}{link}</head><results>'
    return Serialized(start.encode() + body + closing, truncated, count)


def _delimited(names: list[str], rows: Rows, budget: Budget, tsv: bool) -> Serialized:
    def line(values: list[str]) -> bytes:
        if tsv:
            return ("\t".join(values) + "\n").encode()
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerow(values)
        return buffer.getvalue().encode()

    def chunks() -> Iterator[bytes]:
        for row, more in rows:
            if more:
                yield b""
                return
            yield line([(_tsv_value if tsv else _csv_value)(term) for term in row])

    header = line([f"?{n}" for n in names] if tsv else names)
    body, truncated, count = _encode(chunks(), b"", budget)
    return Serialized(header + body, truncated, count)


_WRITERS = {
    "json": _json,
    "xml": _xml,
    "csv": lambda names, rows, budget: _delimited(names, rows, budget, tsv=False),
    "tsv": lambda names, rows, budget: _delimited(names, rows, budget, tsv=True),
}


def serialize_boolean(answer: bool, fmt: str) -> bytes:
    value = "true" if answer else "false"
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": answer}).encode()
    if fmt == "xml":
        namespace = "http://www.w3.org/2005/sparql-results#"
        return f'<?xml version="1.0"?><sparql xmlns="{namespace}"><head/><boolean>{value}</boolean></sparql>'.encode()
    return f"{value}\n".encode()  # CSV and TSV define no ASK form; the bare value is what tools accept


def serialize_triples(
    triples: Iterable[pyoxigraph.Triple], fmt: pyoxigraph.RdfFormat, prefixes: dict[str, str], budget: Budget
) -> Serialized:
    kept: list[pyoxigraph.Triple] = []
    truncated = False
    for triple in triples:
        if len(kept) == budget.rows:
            truncated = True
            break
        kept.append(triple)
    body = pyoxigraph.serialize(kept, format=fmt, prefixes=prefixes) or b""
    while len(body) > budget.bytes and kept:  # rare: halve until it fits
        kept = kept[: len(kept) // 2]
        truncated = True
        body = pyoxigraph.serialize(kept, format=fmt, prefixes=prefixes) or b""
    if truncated and fmt in (pyoxigraph.RdfFormat.TURTLE, pyoxigraph.RdfFormat.N_TRIPLES):
        body = f"# truncated: {len(kept)} triples shown; {TRUNCATED_LINK}\n".encode() + body
    return Serialized(body, truncated, len(kept))
