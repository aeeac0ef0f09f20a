"""Curating the automatic candidates: a person accepts one as a curated link with their reason, or rejects it.

A decision is appended to a links.toml (`append_decision`) as a person would write it, so the file stays the
reviewable record: an accepted candidate becomes a `[[links]]` entry (source, and an `implements` or `cites` target
with the reason, `from` the candidate it was, `date` and `by`), a rejected one a `[[rejected]]` entry (source,
target, reason). A build reads both (graph.links.linkset): the curated link joins the curated graph, a rejected
pair is dropped from the candidates. The candidate of an accepted link stays in the automatic graph, where its
score is a measure of the linker; the pages show it as accepted.

References are `{document id}/{path}` (beijing-2022-task-division-table/task/3), as links.toml writes them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
from rdflib import URIRef

from graph.errors import ConfigError
from graph.ingest.manifest import Manifest
from graph.links.linkset import AUTOMATIC_GRAPH, CURATED_GRAPH, KINDS, Link
from graph.rdf import iris
from graph.rdf.namespaces import PKG

# Targets in documents of these kinds are cited (laws are rested on), the others implemented.
_CITED_KINDS = {"law", "local-regulation", "administrative-regulation", "departmental-rules", "local-government-rules"}
_HEADER = """# Curated links and rejected candidates, written by `policykg curate` (and by hand: the format is that of
# PolicyKG's data/links.toml). A build reads this file after the links.toml of the manifests it extends.
# [[links]]     a source ({document id}/{path}) and its implements / cites targets, each with a reason
# [[rejected]]  a candidate pair (source, target) a curator turned down, with the reason; builds drop it
"""


@dataclass(frozen=True)
class Candidate:
    """An automatic link of the release, with what a curator decides on: its ends as references and its state."""

    iri: URIRef
    source: URIRef
    target: URIRef
    source_ref: str
    target_ref: str
    rank: int
    score: float | None
    accepted: bool  # a curated link joins the same two ends

    @property
    def id(self) -> str:
        return self.iri.removeprefix(iris.BASE + "link/")


@dataclass(frozen=True)
class Decision:
    """A curator's decision on one candidate: accepted as a link of `kind`, or rejected (kind None)."""

    candidate: Candidate
    kind: str | None
    reason: str
    reason_en: str | None = None
    by: str | None = None
    date: dt.date | None = None

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise ConfigError("a decision needs a reason (--reason, in Chinese)")
        if self.kind is not None and self.kind not in ("implements", "cites"):
            raise ConfigError(f"a link's kind is implements or cites, not {self.kind!r}")

    @property
    def accepted(self) -> bool:
        return self.kind is not None

    def link(self, rank: int) -> Link:
        """The curated link an accepted candidate becomes, after `rank - 1` curated links of its source and kind."""
        if self.kind is None:
            raise ValueError("a rejected candidate is no link")
        return Link(
            source=self.candidate.source,
            target=self.candidate.target,
            kind=KINDS[self.kind],
            method=PKG.curated,
            rank=rank,
            reason_zh=self.reason.strip(),
            reason_en=(self.reason_en or "").strip() or None,
            derived_from=self.candidate.iri,
            created=self.date,
            creator=self.by,
        )

    def record(self) -> dict[str, object]:
        """The decision as build.json lists it."""
        return {
            "candidate": str(self.candidate.iri),
            "source": self.candidate.source_ref,
            "target": self.candidate.target_ref,
            "decision": f"accepted as {self.kind}" if self.accepted else "rejected",
            "reason": self.reason,
            **({"reason_en": self.reason_en} if self.reason_en else {}),
            **({"by": self.by} if self.by else {}),
            **({"date": self.date.isoformat()} if self.date else {}),
        }


def reference(manifest: Manifest, iri: URIRef | str) -> str:
    """`{document id}/{path}` of an IRI within a document of the manifest (the longest document IRI it extends)."""
    best = None
    for document in manifest.documents:
        prefix = f"{document.iri}/"
        if iri.startswith(prefix) and (best is None or len(prefix) > len(f"{best.iri}/")):
            best = document
    if best is None:
        raise ConfigError(f"{iri} is in none of the documents of {manifest.path}")
    return f"{best.id}/{iri.removeprefix(f'{best.iri}/')}"


def default_kind(manifest: Manifest, target_ref: str) -> str:
    """cites for a target in a law or regulation, implements otherwise (a measure is implemented)."""
    document = manifest.document(target_ref.split("/", 1)[0])
    return "cites" if document.kind in _CITED_KINDS else "implements"


_CANDIDATES = f"""
PREFIX pkg: <{PKG}>
SELECT ?link ?source ?target ?rank ?score (EXISTS {{
    GRAPH <{CURATED_GRAPH}> {{ ?curated pkg:linkSource ?source ; pkg:linkTarget ?target }}
  }} AS ?accepted)
WHERE {{
  GRAPH <{AUTOMATIC_GRAPH}> {{
    ?link a pkg:Link ; pkg:linkKind pkg:similarity ; pkg:linkSource ?source ; pkg:linkTarget ?target ; pkg:rank ?rank .
    OPTIONAL {{ ?link pkg:score ?score }}
  }}
}}
ORDER BY ?source ?rank ?target
"""


def candidates(store: pyoxigraph.Store, manifest: Manifest, source: str | None = None) -> list[Candidate]:
    """The automatic candidates of the release, by source and rank; of one document when `source` names it."""
    prefix = f"{manifest.document(source).iri}/" if source else ""
    found = []
    for row in store.query(_CANDIDATES):  # type: ignore[union-attr]
        source_iri = row["source"].value
        if not source_iri.startswith(prefix):
            continue
        found.append(
            Candidate(
                iri=URIRef(row["link"].value),
                source=URIRef(source_iri),
                target=URIRef(row["target"].value),
                source_ref=reference(manifest, source_iri),
                target_ref=reference(manifest, row["target"].value),
                rank=int(row["rank"].value),
                score=float(row["score"].value) if row["score"] is not None else None,
                accepted=row["accepted"].value == "true",
            )
        )
    return sorted(found, key=lambda c: (_natural(c.source_ref), c.rank, _natural(c.target_ref)))


def _natural(reference: str) -> tuple[object, ...]:
    """task/2 before task/10."""
    return tuple(int(part) if part.isdigit() else part for part in reference.split("/"))


def find(store: pyoxigraph.Store, manifest: Manifest, name: str) -> Candidate:
    """The candidate `name` names: its IRI, `link/<id>` or its id (the 16 hex digits)."""
    wanted = name.strip().removeprefix(iris.BASE).removeprefix("link/")
    for candidate in candidates(store, manifest):
        if candidate.id == wanted:
            return candidate
    raise ConfigError(
        f"{name!r} is no automatic candidate of the current release; `policykg curate list` lists them "
        "(a rejected candidate leaves the graph)"
    )


def append_decision(path: Path, decision: Decision) -> None:
    """The decision appended to links.toml at `path` (a new file gets a header saying what it is)."""
    candidate = decision.candidate
    stamp = "".join(
        (f"# {'accepted' if decision.accepted else 'rejected'} with `policykg curate`",
         f" on {decision.date.isoformat()}" if decision.date else "", f" by {decision.by}" if decision.by else "",
         f": candidate link/{candidate.id}", f", score {candidate.score:.4f}" if candidate.score is not None else "",
         f", rank {candidate.rank}\n"))  # fmt: skip
    fields = {"reason": decision.reason.strip()}
    if decision.reason_en and decision.reason_en.strip():
        fields["reason_en"] = decision.reason_en.strip()
    if decision.accepted:
        inline = {"target": candidate.target_ref, **fields, "from": f"link/{candidate.id}"}
        if decision.by:
            inline["by"] = decision.by
        items = ", ".join(f"{key} = {_string(value)}" for key, value in inline.items())
        date = f", date = {decision.date.isoformat()}" if decision.date else ""
        entry = f"    {{ {items}{date} }},"
        block = f"[[links]]\nsource = {_string(candidate.source_ref)}\n{decision.kind} = [\n{entry}\n]\n"
    else:
        lines = {"source": candidate.source_ref, "target": candidate.target_ref, **fields}
        if decision.by:
            lines["by"] = decision.by
        block = "[[rejected]]\n" + "".join(f"{key} = {_string(value)}\n" for key, value in lines.items())
        if decision.date:
            block += f"date = {decision.date.isoformat()}\n"
    text = path.read_text("utf-8") if path.is_file() else _HEADER
    separator = "" if text.endswith("\n\n") else ("\n" if text.endswith("\n") else "\n\n")
    composed = f"{text}{separator}{stamp}{block}"
    try:
        tomllib.loads(composed)
    except tomllib.TOMLDecodeError as error:  # the file was broken before, or this is a bug: say which file
        raise ConfigError(f"{path}: not valid TOML with the decision appended ({error}); nothing was written") from None
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(composed, encoding="utf-8")
    os.replace(partial, path)


def _string(value: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's (CJK text stays as written), and DEL is escaped too."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
