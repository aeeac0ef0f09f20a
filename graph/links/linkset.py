"""Links between documents: the curated linkset (data/links.toml) and automatic candidates, as RDF.

A link is a node (pkg:Link) with its source task or provision, its target provision, its kind (implements a
measure, rests on a law article, or just similar text), how it was made (curated or automatic, the latter with a
score) and its rank among the source's links (primary first). Curated links also get the direct shortcut
`task eli:implements measure` or `task eli:cites article`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS, XSD
from rdflib.term import Node

from graph.errors import ConfigError, Location
from graph.ingest.manifest import Manifest
from graph.ingest.triples import new_graph
from graph.rdf import iris
from graph.rdf.namespaces import ELI, PKG

CURATED_GRAPH = URIRef(iris.BASE + "graph/links")
AUTOMATIC_GRAPH = URIRef(iris.BASE + "graph/links-automatic")
KINDS = {"implements": PKG.implementation, "cites": PKG.legalBasis, "similar": PKG.similarity}
SHORTCUTS = {PKG.implementation: ELI.implements, PKG.legalBasis: ELI.cites}
_KIND_LABELS = {PKG.implementation: ("落实", "implements"), PKG.legalBasis: ("依据", "rests on"),
                PKG.similarity: ("相似", "similar to")}  # fmt: skip
_REFERENCE = re.compile(r"^(?P<doc>[a-z0-9]+(?:-[a-z0-9]+)*)/(?P<path>[a-z]+/\d+(?:/[a-z]+/\d+)*)$")


@dataclass(frozen=True)
class Link:
    source: URIRef
    target: URIRef
    kind: URIRef
    method: URIRef
    rank: int
    reason_zh: str | None = None
    reason_en: str | None = None
    score: float | None = None
    derived_from: URIRef | None = None  # the automatic candidate a curator accepted
    created: dt.date | None = None  # when a curator accepted it (`policykg curate`)
    creator: str | None = None  # who did

    @property
    def iri(self) -> URIRef:
        key = "|".join((str(self.method), str(self.kind), str(self.source), str(self.target)))
        return URIRef(f"{iris.BASE}link/{hashlib.sha256(key.encode()).hexdigest()[:16]}")


def resolve(manifest: Manifest, reference: str, where: str) -> URIRef:
    """The IRI of `{document id}/{path}` (beijing-2022-task-division-table/task/8)."""
    match = _REFERENCE.match(reference)
    if not match:
        raise ConfigError(f"{where}: {reference!r} is not a reference like guobanfa-2021-26/part/2/item/3")
    try:
        document = manifest.document(match["doc"])
    except KeyError:
        raise ConfigError(f"{where}: {reference!r} names unknown document {match['doc']!r}") from None
    return URIRef(f"{document.iri}/{match['path']}")


@dataclass
class Linkset:
    """The curated links of one or more links.toml files, and the candidate pairs curators rejected."""

    links: list[Link] = field(default_factory=list)
    places: dict[Node, Location] = field(default_factory=dict)
    rejected: dict[tuple[URIRef, URIRef], Location] = field(default_factory=dict)  # (source, target) → where


def load_linkset(paths: Sequence[Path], manifest: Manifest) -> Linkset:
    """The curated links of the links.toml files, the extended manifests' first: ranked in file order per source
    and kind across all files (a later file's link for a source comes after the earlier ones'), each pair once.
    `[[rejected]]` entries name candidate pairs (source, target) that a curator turned down."""
    linkset = Linkset()
    ranks: dict[tuple[URIRef, str], int] = {}
    for path in paths:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            continue
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"{path}: not valid TOML ({error})") from None
        for index, entry in enumerate(data.get("links", []), start=1):
            _links_entry(linkset, ranks, manifest, path, index, entry)
        for index, entry in enumerate(data.get("rejected", []), start=1):
            where = f"{path}: [[rejected]] #{index}"
            if not entry.get("source") or not entry.get("target") or not entry.get("reason"):
                raise ConfigError(f"{where} needs a source, a target and a reason")
            pair = (resolve(manifest, entry["source"], where), resolve(manifest, entry["target"], where))
            linkset.rejected.setdefault(pair, Location(str(path), column=f"[[rejected]] #{index}"))
    return linkset


def without_rejected(candidates: Graph, rejected: Collection[tuple[URIRef, URIRef]]) -> int:
    """Takes the candidates whose (source, target) pair curators rejected out of `candidates`; returns how many."""
    dropped = 0
    for link in list(candidates.subjects(RDF.type, PKG.Link)):
        if (candidates.value(link, PKG.linkSource), candidates.value(link, PKG.linkTarget)) in rejected:
            candidates.remove((link, None, None))
            dropped += 1
    return dropped


def _links_entry(
    linkset: Linkset, ranks: dict[tuple[URIRef, str], int], manifest: Manifest, path: Path, index: int,
    entry: dict[str, Any],
) -> None:  # fmt: skip
    """One [[links]] entry's links, after those of the same source and kind already read."""
    where = f"{path}: [[links]] #{index}"
    if "source" not in entry:
        raise ConfigError(f"{where} has no source")
    source = resolve(manifest, entry["source"], where)
    for kind in sorted(set(entry) - {"source"}):
        if kind not in ("implements", "cites"):
            raise ConfigError(f"{where}: unknown link kind {kind!r}; use implements or cites")
        for number, target in enumerate(entry[kind], start=1):
            link = _curated(manifest, where, source, kind, ranks.get((source, kind), 0) + 1, target)
            if link.iri in linkset.places:
                continue  # the same link curated twice (in two files): its first place counts
            ranks[source, kind] = link.rank
            linkset.links.append(link)
            linkset.places[link.iri] = Location(str(path), column=f"[[links]] #{index} {kind} #{number}")


def _curated(manifest: Manifest, where: str, source: URIRef, kind: str, rank: int, target: dict[str, Any]) -> Link:
    if not target.get("target") or not target.get("reason"):
        raise ConfigError(f"{where}: each {kind} entry needs a target and a reason")
    return Link(
        source=source,
        target=resolve(manifest, target["target"], where),
        kind=KINDS[kind],
        method=PKG.curated,
        rank=rank,
        reason_zh=target["reason"],
        reason_en=target.get("reason_en"),
        derived_from=URIRef(iris.BASE + target["from"]) if target.get("from") else None,
        created=target.get("date") if isinstance(target.get("date"), dt.date) else None,
        creator=target.get("by"),
    )


def links_graph(links: list[Link], identifier: URIRef) -> Graph:
    graph = new_graph(identifier)
    for link in links:
        add_link(graph, link)
    return graph


def add_link(graph: Graph, link: Link) -> None:
    node = link.iri
    zh, en = _KIND_LABELS[link.kind]
    graph.add((node, RDF.type, PKG.Link))
    graph.add((node, PKG.linkSource, link.source))
    graph.add((node, PKG.linkTarget, link.target))
    graph.add((node, PKG.linkKind, link.kind))
    graph.add((node, PKG.linkMethod, link.method))
    graph.add((node, PKG.rank, Literal(link.rank)))
    graph.add((node, SKOS.prefLabel, Literal(f"{zh}（{'人工' if link.method == PKG.curated else '自动'}）", lang="zh")))
    graph.add(
        (node, SKOS.prefLabel, Literal(f"{en} ({'curated' if link.method == PKG.curated else 'automatic'})", lang="en"))
    )
    if link.reason_zh:
        graph.add((node, PKG.reason, Literal(link.reason_zh, lang="zh")))
    if link.reason_en:
        graph.add((node, PKG.reason, Literal(link.reason_en, lang="en")))
    if link.score is not None:
        graph.add((node, PKG.score, Literal(f"{link.score:.4f}", datatype=XSD.decimal)))
    if link.derived_from is not None:
        graph.add((node, PROV.wasDerivedFrom, link.derived_from))
    if link.created is not None:
        graph.add((node, DCTERMS.created, Literal(link.created.isoformat(), datatype=XSD.date)))
    if link.creator:
        graph.add((node, DCTERMS.creator, Literal(link.creator)))
    if link.method == PKG.curated and link.kind in SHORTCUTS:
        graph.add((link.source, SHORTCUTS[link.kind], link.target))
