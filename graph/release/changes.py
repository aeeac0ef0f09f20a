"""What changed from one release to the next: a digest of every resource, and the difference of two releases.

Each release keeps `resources.json`: for every IRI that is the subject of a triple (outside the provenance
graph, which records the build itself and changes every time), the SHA-256 of its description as sorted
N-Triples lines, the named graphs it is described in, its types and its labels. Blank nodes in a description
are replaced by the digest of their own description, so the digest does not depend on blank node labels.
The next build compares its digests with those of the release it replaces and writes `changes.json`:
the resources added, changed and withdrawn.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pyoxigraph

from graph.rdf import iris
from graph.rdf.namespaces import DCTERMS, RDF, RDFS, SKOS

RESOURCES = "resources.json"
CHANGES = "changes.json"
KINDS = ("added", "changed", "withdrawn")
_SKIPPED_GRAPHS = frozenset({str(iris.PROVENANCE_GRAPH)})
_LABELS = (str(SKOS.prefLabel), str(DCTERMS.title), str(RDFS.label))
_TYPE = str(RDF.type)


@dataclass(frozen=True)
class Resource:
    """One resource of a release as the change list names it."""

    iri: str
    sha256: str
    graphs: tuple[str, ...]
    types: tuple[str, ...]
    label_zh: str | None = None
    label_en: str | None = None

    @classmethod
    def from_json(cls, iri: str, data: dict[str, Any]) -> Resource:
        return cls(
            iri=iri,
            sha256=str(data["sha256"]),
            graphs=tuple(data.get("graphs", ())),
            types=tuple(data.get("types", ())),
            label_zh=data.get("label_zh"),
            label_en=data.get("label_en"),
        )

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        del data["iri"]
        return {key: list(value) if isinstance(value, tuple) else value for key, value in data.items()}


@dataclass(frozen=True)
class Changes:
    release: str
    previous: str | None  # None: the first release, or one whose predecessor kept no digests
    issued: str
    added: list[Resource]
    changed: list[Resource]
    withdrawn: list[Resource]

    def as_json(self) -> dict[str, Any]:
        lists = {kind: [{"iri": r.iri, **r.as_json()} for r in getattr(self, kind)] for kind in KINDS}
        counts = {kind: len(lists[kind]) for kind in KINDS}
        return {"release": self.release, "previous": self.previous, "issued": self.issued, "counts": counts, **lists}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Changes:
        lists = {kind: [Resource.from_json(item["iri"], item) for item in data.get(kind, [])] for kind in KINDS}
        return cls(release=data["release"], previous=data.get("previous"), issued=data["issued"], **lists)


def digests(quads: Iterable[pyoxigraph.Quad]) -> dict[str, Resource]:
    """Every IRI subject of the release with the digest of its description (all graphs but provenance)."""
    described: dict[str | pyoxigraph.BlankNode, set[tuple[str, object]]] = defaultdict(set)
    graphs: dict[str, set[str]] = defaultdict(set)
    for quad in quads:
        graph = quad.graph_name.value if isinstance(quad.graph_name, pyoxigraph.NamedNode) else ""
        if graph in _SKIPPED_GRAPHS:
            continue
        subject = quad.subject
        if isinstance(subject, pyoxigraph.Triple):
            continue  # RDF-star: PolicyKG has none
        key = subject.value if isinstance(subject, pyoxigraph.NamedNode) else subject
        described[key].add((quad.predicate.value, quad.object))
        if isinstance(key, str) and graph:
            graphs[key].add(graph)
    canonical = _Canonical(described)
    return {
        iri: _resource(iri, statements, canonical, graphs[iri])
        for iri, statements in described.items()
        if isinstance(iri, str)
    }


def _resource(iri: str, statements: set[tuple[str, object]], canonical: _Canonical, graphs: set[str]) -> Resource:
    labels: dict[str, str] = {}
    for predicate in _LABELS:
        for p, value in sorted(statements, key=str):
            if p == predicate and isinstance(value, pyoxigraph.Literal) and value.language:
                labels.setdefault(value.language.split("-")[0], value.value)
    types = sorted(v.value for p, v in statements if p == _TYPE and isinstance(v, pyoxigraph.NamedNode))
    return Resource(
        iri=iri,
        sha256=canonical.digest(iri),
        graphs=tuple(sorted(graphs)),
        types=tuple(types),
        label_zh=labels.get("zh"),
        label_en=labels.get("en"),
    )


class _Canonical:
    """Digests of descriptions, blank nodes replaced by the digest of what they describe."""

    def __init__(self, described: dict[str | pyoxigraph.BlankNode, set[tuple[str, object]]]) -> None:
        self.described = described
        self.done: dict[str | pyoxigraph.BlankNode, str] = {}

    def digest(self, node: str | pyoxigraph.BlankNode, seen: frozenset[object] = frozenset()) -> str:
        if node not in self.done:
            lines = sorted(f"<{p}> {self._term(o, seen | {node})} ." for p, o in self.described.get(node, ()))
            self.done[node] = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
        return self.done[node]

    def _term(self, term: object, seen: frozenset[object]) -> str:
        if isinstance(term, pyoxigraph.BlankNode):
            return "_:cycle" if term in seen else "_:" + self.digest(term, seen)
        return str(term)


def diff(previous: dict[str, Resource] | None, current: dict[str, Resource]) -> tuple[list[Resource], ...]:
    """(added, changed, withdrawn), each in IRI order; without a previous release nothing is compared."""
    if previous is None:
        return [], [], []
    added = [current[iri] for iri in sorted(current.keys() - previous.keys())]
    changed = [current[iri] for iri in sorted(current.keys() & previous.keys()) if current[iri] != previous[iri]]
    withdrawn = [previous[iri] for iri in sorted(previous.keys() - current.keys())]
    return added, changed, withdrawn


def changes(release: str, issued: str, previous: Path | None, current: dict[str, Resource]) -> Changes:
    """The change list of `release` against the release folder `previous` (None for a first build)."""
    before = read_resources(previous) if previous is not None else None
    added, changed, withdrawn = diff(before, current)
    name = previous.name if previous is not None and before is not None else None
    return Changes(release, name, issued, added, changed, withdrawn)


def write(folder: Path, resources: dict[str, Resource], found: Changes) -> None:
    data = {iri: resource.as_json() for iri, resource in sorted(resources.items())}
    (folder / RESOURCES).write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")
    (folder / CHANGES).write_text(json.dumps(found.as_json(), ensure_ascii=False, indent=1), "utf-8")


def read_resources(folder: Path) -> dict[str, Resource] | None:
    """The digests a release kept, or None for a release written before releases kept them."""
    try:
        data = json.loads((folder / RESOURCES).read_text("utf-8"))
    except FileNotFoundError:
        return None
    return {iri: Resource.from_json(iri, item) for iri, item in data.items()}


def read_changes(folder: Path) -> Changes | None:
    try:
        return Changes.from_json(json.loads((folder / CHANGES).read_text("utf-8")))
    except FileNotFoundError:
        return None
