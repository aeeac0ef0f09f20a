"""`policykg curate`: a curator's decision on an automatic candidate, kept in links.toml and served as a new release.

The decision is appended to the links.toml beside the manifest in use (graph.links.curation) — for the bundled
manifest, beside the build folder's manifest, made to extend it, since an installed package's files are not ours
to change — and the release after the current one is written without a build (graph.release.write.
write_next_release): an accepted candidate adds its curated link (validated against the shapes with its two ends
as context), a rejected one removes the candidate's quads from the automatic-links graph. A later build reads the
same file and makes the same graph. If the release cannot be written, links.toml is put back as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph
from rdflib import Graph, URIRef

from graph import bundled
from graph.checks.shacl import Report
from graph.errors import ConfigError, InputError, Location
from graph.ingest.entries import new_manifest_text
from graph.ingest.manifest import BUNDLED, Manifest, load_manifest
from graph.ingest.triples import new_graph
from graph.links.curation import Candidate, Decision, append_decision, default_kind, find
from graph.links.linkset import AUTOMATIC_GRAPH, CURATED_GRAPH, KINDS, Link, links_graph, load_linkset, without_rejected
from graph.rdf.namespaces import PKG, PROV, RDF
from graph.rdf.parse import parse_rdf_file
from graph.rdf.terms import quads_of
from graph.release.add import validate_in_context
from graph.release.build import Built, Inputs, Progress, release_id
from graph.release.files import build_folder_manifest
from graph.release.write import write_next_release
from graph.store.releases import STORE, current_release


@dataclass
class Curated:
    """What a decision did: the link it made (None for a rejection), where it was written, the new release."""

    decision: Decision
    link: Link | None
    linkset: Path
    release: Path
    seconds: dict[str, float] = field(default_factory=dict)


def curation_file(inputs: Inputs, out: Path) -> Path:
    """The links.toml decisions go to: beside the manifest in use, or the build folder's for the bundled one."""
    if inputs.links is not None:
        return inputs.links
    return users_folder(inputs, out) / "links.toml"


def users_folder(inputs: Inputs, out: Path) -> Path:
    """Where the user's link files go: beside the manifest in use; for the bundled manifest (an installed
    package's files are not ours to change), beside the build folder's manifest, made to extend it if new."""
    if not bundled.is_bundled(inputs.manifest):
        return inputs.manifest.parent
    manifest = build_folder_manifest(out)
    if not manifest.is_file():
        out.mkdir(parents=True, exist_ok=True)
        manifest.write_text(new_manifest_text(BUNDLED), encoding="utf-8")
    return manifest.parent


@dataclass
class Loaded:
    """What loading a `policykg link` file did: its candidates in, those of the same pair before it out."""

    path: Path
    kept: Path  # the copy a later build reads, in links-automatic/ beside the manifest
    added: int
    replaced: int
    rejected: int  # candidates curators had rejected before, left out
    release: Path
    seconds: dict[str, float] = field(default_factory=dict)


def add_candidates(
    out: Path, inputs: Inputs, path: Path, keep: int = 3, progress: Progress | None = None
) -> Loaded:  # fmt: skip
    """A `policykg link` output file loaded as the next release without a build: its candidates replace those
    the same linker runs (source--target pair) made before, less the pairs curators rejected; validated against
    the shapes with their ends as context, and copied into links-automatic/ so a build keeps them."""
    previous = current_release(out)
    if previous is None:
        raise ConfigError(f"{out}: no build yet; run `policykg build` first")
    candidates = parse_rdf_file(path)
    links = [link for link in candidates.subjects(RDF.type, PKG.Link) if isinstance(link, URIRef)]
    if not links or any(candidates.value(link, PKG.linkMethod) != PKG.automatic for link in links):
        raise InputError(Location(str(path)), "holds no automatic link candidates (a `policykg link` output file)")
    manifest = load_manifest(inputs.manifest)
    rejected = load_linkset(inputs.linksets(), manifest).rejected
    dropped = without_rejected(candidates, rejected)
    graph = new_graph(AUTOMATIC_GRAPH)
    graph += candidates
    current = pyoxigraph.Store.read_only(str(previous / STORE))
    _validated(graph, current, inputs, Location(str(path)))
    activities = {a for a in graph.objects(None, PROV.wasGeneratedBy) if isinstance(a, URIRef)}
    removed = _earlier_runs(current, activities)
    started = dt.datetime.now(dt.UTC).replace(microsecond=0)
    read = [hashlib.sha256(path.read_bytes()).hexdigest().encode()]
    built = _built(manifest, [graph], Report([], Graph()), started, read)
    record = {"file": path.name, "candidates": len(links) - dropped, "replaced": len(removed)}
    folder, seconds = write_next_release(
        out, previous, current, built, list(quads_of([graph])), removed, keep, progress, {"candidates": [record]}
    )
    pairs = sorted({activity.rsplit("/", 2)[-2] for activity in activities})
    name = f"{pairs[0]}.ttl" if len(pairs) == 1 else path.name  # a build reads the nearest file of a pair's name
    kept = users_folder(inputs, out) / "links-automatic" / name
    if kept.resolve() != path.resolve():
        kept.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, kept)
    replaced = len({q.subject for q in removed} - {_node(a) for a in activities})
    return Loaded(path, kept, len(links) - dropped, replaced, dropped, folder, seconds)


def _earlier_runs(store: pyoxigraph.Store, activities: set[URIRef]) -> list[pyoxigraph.Quad]:
    """The quads of the linker runs of the same pairs as `activities` (linking/SOURCE--TARGET/…) and of their links."""
    pairs = {activity.rsplit("/", 1)[0] + "/" for activity in activities}
    generated = _node(PROV.wasGeneratedBy)
    automatic = _node(AUTOMATIC_GRAPH)
    removed: list[pyoxigraph.Quad] = []
    for quad in store.quads_for_pattern(None, _node(RDF.type), _node(PROV.Activity), automatic):
        run = quad.subject
        if not isinstance(run, pyoxigraph.NamedNode) or not any(run.value.startswith(p) for p in pairs):
            continue
        removed += store.quads_for_pattern(run, None, None, automatic)
        for made in store.quads_for_pattern(None, generated, run, automatic):
            removed += store.quads_for_pattern(made.subject, None, None, automatic)
    return removed


def decide(
    out: Path, inputs: Inputs, name: str, *, accept: bool, kind: str | None = None, reason: str,
    reason_en: str | None = None, by: str | None = None, keep: int = 3, progress: Progress | None = None,
) -> Curated:  # fmt: skip
    """Accept (as a link of `kind`, by default what its target calls for) or reject the candidate `name`."""
    previous = current_release(out)
    if previous is None:
        raise ConfigError(f"{out}: no build yet; run `policykg build` first")
    manifest = load_manifest(inputs.manifest)
    current = pyoxigraph.Store.read_only(str(previous / STORE))
    candidate = find(current, manifest, name)
    started = dt.datetime.now(dt.UTC).replace(microsecond=0)
    chosen = (kind or default_kind(manifest, candidate.target_ref)) if accept else None
    decision = Decision(candidate, chosen, reason, reason_en, by, started.date())
    link, graphs, removed, report = None, [], [], Report([], Graph())
    if decision.accepted:
        link = decision.link(_next_rank(current, candidate, KINDS[chosen or ""]))
        graphs = [links_graph([link], CURATED_GRAPH)]
        report = _validated(graphs[0], current, inputs)
    else:
        removed = list(current.quads_for_pattern(_node(candidate.iri), None, None, _node(AUTOMATIC_GRAPH)))
    read = [repr(sorted(decision.record().items())).encode()]
    built = _built(manifest, graphs, report, started, read)
    path = curation_file(inputs, out)
    before = path.read_text("utf-8") if path.is_file() else None
    append_decision(path, decision)
    try:
        folder, seconds = write_next_release(
            out,
            previous,
            current,
            built,
            list(quads_of(graphs)),
            removed,
            keep,
            progress,
            {"curated": [decision.record()]},
        )
    except BaseException:
        if before is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(before, encoding="utf-8")
        raise
    return Curated(decision, link, path, folder, seconds)


def _next_rank(store: pyoxigraph.Store, candidate: Candidate, kind: object) -> int:
    """After the curated links of the candidate's source and kind; refused when the same link is curated."""
    ranks = []
    for quad in store.quads_for_pattern(None, _node(PKG.linkSource), _node(candidate.source), _node(CURATED_GRAPH)):
        link = quad.subject
        if next(store.quads_for_pattern(link, _node(PKG.linkKind), _node(kind), _node(CURATED_GRAPH)), None) is None:
            continue
        if next(store.quads_for_pattern(link, _node(PKG.linkTarget), _node(candidate.target)), None) is not None:
            raise ConfigError(
                f"{candidate.source_ref} → {candidate.target_ref} is already a curated link of that kind ({link})"
            )
        ranks += [int(q.object.value) for q in store.quads_for_pattern(link, _node(PKG.rank), None)
                  if isinstance(q.object, pyoxigraph.Literal)]  # fmt: skip
    return max(ranks, default=0) + 1


def _validated(graph: Graph, store: pyoxigraph.Store, inputs: Inputs, where: Location | None = None) -> Report:
    """The links checked against the shapes with their sources and targets as the store describes them."""
    full, _ = validate_in_context([graph], store, inputs.shapes_graph(), inputs.ontology_graph())
    report = full.about(set(graph.subjects(RDF.type, PKG.Link)))
    if not report.conforms:
        messages = "; ".join(result.message_en for result in report.of("violation"))
        if where is not None:
            raise InputError(where, f"does not conform to the shapes: {messages}")
        raise ConfigError(f"the curated link would not conform to the shapes: {messages}")
    return report


def _built(manifest: Manifest, graphs: list[Graph], report: Report, started: dt.datetime, read: list[bytes]) -> Built:
    return Built(
        release=release_id(started, read),
        started=started,
        ended=dt.datetime.now(dt.UTC).replace(microsecond=0),
        manifest=manifest,
        graphs=graphs,
        report=report,
        notices=[],
        tables={},
        sources=[],
        places={},
    )


def _node(iri: object) -> pyoxigraph.NamedNode:
    return pyoxigraph.NamedNode(str(iri))
