"""Stored queries (queries/*.rq): SPARQL with a small header, loaded into typed records.

    # name: agency-tasks
    # title: 单位牵头或配合的任务 / Tasks an agency leads or joins
    # description: Every task the agency is responsible for, with its role.
    # param: agency iri = <https://w3id.org/policykg/agency/bj-finance>

Parameters are bound as typed RDF terms (pyoxigraph `substitutions`), never spliced into the query text.
A malformed header is a ConfigError naming the file and line.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph

from graph.errors import ConfigError
from graph.store.sparql_text import projection

_HEADER = re.compile(r"^#\s*(?P<key>[a-z]+)\s*:\s*(?P<value>.*?)\s*$")
_PARAM = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<type>[a-z]+)(?:\s*=\s*(?P<default>.+))?$")
_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
XSD = "http://www.w3.org/2001/XMLSchema#"
Term = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | pyoxigraph.Triple
Bindings = dict[pyoxigraph.Variable, Term]


def _iri(text: str) -> pyoxigraph.NamedNode:
    value = text.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    if not re.match(r"^https?://[^\s<>\"{}|\\^`]+$", value):
        raise ValueError(f"{text!r} is not an http(s) IRI")
    return pyoxigraph.NamedNode(value)


def _string(text: str) -> pyoxigraph.Literal:
    return pyoxigraph.Literal(text)


def _integer(text: str) -> pyoxigraph.Literal:
    if not re.fullmatch(r"[+-]?[0-9]+", text.strip()):
        raise ValueError(f"{text!r} is not an integer")
    return pyoxigraph.Literal(str(int(text)), datatype=pyoxigraph.NamedNode(XSD + "integer"))


def _date(text: str) -> pyoxigraph.Literal:
    return pyoxigraph.Literal(
        dt.date.fromisoformat(text.strip()).isoformat(), datatype=pyoxigraph.NamedNode(XSD + "date")
    )


PARAMETER_TYPES: dict[str, Callable[[str], pyoxigraph.NamedNode | pyoxigraph.Literal]] = {
    "iri": _iri,
    "string": _string,
    "integer": _integer,
    "date": _date,
}


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: str | None = None

    def term(self, text: str) -> pyoxigraph.NamedNode | pyoxigraph.Literal:
        """The typed RDF term for a value given as text, taken as it is; ValueError if it is not one."""
        return PARAMETER_TYPES[self.type](text)

    def default_term(self) -> pyoxigraph.NamedNode | pyoxigraph.Literal | None:
        """The default from the header, where a string is written in double quotes ("" is the empty string)."""
        if self.default is None:
            return None
        text = self.default.strip()
        if self.type == "string" and len(text) >= 2 and text[0] == text[-1] == '"':
            text = text[1:-1]
        return self.term(text)


@dataclass(frozen=True)
class StoredQuery:
    name: str
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    text: str
    path: Path

    def bindings(self, values: dict[str, str], require_all: bool = True) -> Bindings:
        """Typed terms for the given values and the defaults; ValueError naming a bad or unknown parameter.

        With `require_all` False, a parameter with neither value nor default stays a free variable.
        """
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise ValueError(
                f"unknown parameter(s) {', '.join(unknown)}; {self.name} takes {', '.join(known) or 'none'}"
            )
        bound: Bindings = {}
        for parameter in self.parameters:
            try:
                term = parameter.term(values[parameter.name]) if parameter.name in values else parameter.default_term()
            except ValueError as error:
                raise ValueError(f"parameter {parameter.name} ({parameter.type}): {error}") from None
            if term is None and require_all:
                raise ValueError(f"parameter {parameter.name} ({parameter.type}) is required")
            if term is not None:
                bound[pyoxigraph.Variable(parameter.name)] = term
        return bound


def load_query(path: Path) -> StoredQuery:
    header: dict[str, str] = {}
    parameters: list[Parameter] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.startswith("#"):
            break
        match = _HEADER.match(line)
        if not match:
            raise ConfigError(f"{path}, line {number}: header lines look like '# key: value'")
        key, value = match["key"], match["value"]
        if key == "param":
            parameters.append(_parameter(path, number, value))
        elif key in ("name", "title", "description"):
            header[key] = value
        else:
            raise ConfigError(f"{path}, line {number}: unknown header key {key!r}")
    for key in ("name", "title", "description"):
        if not header.get(key):
            raise ConfigError(f"{path}: the header has no '# {key}:' line")
    if not _NAME.match(header["name"]) or header["name"] != path.stem:
        raise ConfigError(
            f"{path}: name {header['name']!r} must be lower-case words joined by '-' and match the file name"
        )
    query = StoredQuery(
        header["name"], header["title"], header["description"], tuple(parameters), "\n".join(lines), path
    )
    _check_projection(query)
    return query


def _check_projection(query: StoredQuery) -> None:
    """pyoxigraph binds a parameter only if the SELECT projects it (SEP-0007); say so at load, not at run."""
    projected = projection(query.text)
    if projected is None or "*" in projected.split():
        return
    for parameter in query.parameters:
        if not re.search(rf"\?{parameter.name}\b", projected):
            raise ConfigError(f"{query.path}: SELECT must project parameter ?{parameter.name} so that it can be bound")


def _parameter(path: Path, number: int, text: str) -> Parameter:
    match = _PARAM.match(text)
    if not match or match["type"] not in PARAMETER_TYPES:
        raise ConfigError(
            f"{path}, line {number}: parameters look like '# param: NAME TYPE [= DEFAULT]' with TYPE one of "
            f"{', '.join(PARAMETER_TYPES)}"
        )
    parameter = Parameter(match["name"], match["type"], match["default"])
    if parameter.default is not None:
        try:
            parameter.default_term()
        except ValueError as error:
            raise ConfigError(f"{path}, line {number}: default of {parameter.name}: {error}") from None
    return parameter


def load_queries(folder: Path) -> dict[str, StoredQuery]:
    return {query.name: query for query in map(load_query, sorted(folder.glob("*.rq")))}
