"""Writing a release to disk atomically: a new release folder, then one atomic switch of `current`.

`policykg build` (write_release) and `policykg add` (graph.release.add) write through the same pieces: a
release folder under the lock (new_release), the dumps (write_dumps), the records (source_record, write_record,
record_version).

    OUT/releases/<release>/   policykg.ttl .nt .jsonld .trig .nq, store/ (pyoxigraph), build.json, report.json,
                              resources.json (a digest per resource), changes.json (against the release before)
    OUT/current -> releases/<release>

The release id is the version: build.json records it with the SHA-256 and size of every dump, when it was
issued and which release it replaced.

A release is written under a temporary name and renamed when complete; `current` is a symlink replaced
with os.replace, which is atomic. A failed or killed build leaves `current` on the previous release.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph

from graph.checks.report import report_json
from graph.errors import ConfigError
from graph.rdf.prefixes import PREFIXES
from graph.rdf.terms import quads_of
from graph.release import changes
from graph.release.build import Built, Progress, Source
from graph.store.releases import CURRENT, DUMPS, RELEASES, STORE, current_release, kept_releases, release_info


def write_release(built: Built, out: Path, keep: int = 3, progress: Progress | None = None) -> Path:
    """Write dumps, store and reports for `built` and make them current; returns the release folder."""
    say = progress or (lambda _message: None)
    as_built = list(dict.fromkeys(quads_of(built.graphs)))
    with new_release(out, built.release, keep) as release:
        say("loading the store")
        store = pyoxigraph.Store(str(release.folder / STORE))
        store.bulk_extend(as_built)
        store.flush()
        stored = list(store)
        del store
        triples = write_dumps(release.folder, stored, as_built, say)
        write_record(release.folder / "report.json", report_json(built))
        write_record(release.folder / "build.json", _build_info(built, triples))
        say("comparing with the previous release")
        record_version(release.folder, built.release, built.ended, release.previous, stored)
    return release.final


def write_next_release(
    out: Path, previous: Path, current: pyoxigraph.Store, built: Built, new: Sequence[pyoxigraph.Quad],
    removed: Sequence[pyoxigraph.Quad], keep: int = 3, progress: Progress | None = None,
    recorded: Mapping[str, list[Any]] | None = None,
) -> tuple[Path, dict[str, float]]:  # fmt: skip
    """The release after `previous` without a build: a checkpoint of its store (`current`; RocksDB hard-links its
    files, so the corpus is not copied) with `new` added and `removed` taken out, its dumps, and its records
    (build.json and report.json of the release before, with what `built` adds). Returns the release folder and
    the seconds of its two steps, load and dumps; `recorded` lists are appended to build.json's lists of the same
    names (the curation decisions a release makes). `policykg add` and `policykg curate` write through here."""
    say = progress or (lambda _message: None)
    seconds: dict[str, float] = {}
    with new_release(out, built.release, keep) as release:
        say("adding it to a checkpoint of the current store")
        clock = time.perf_counter()
        current.backup(str(release.folder / STORE))
        store = pyoxigraph.Store(str(release.folder / STORE))
        gone = [quad for quad in removed if quad in store]
        for quad in gone:  # first: a quad both removed and new (a candidate made again) stays
            store.remove(quad)
        store.extend(new)
        store.flush()
        seconds["load"] = time.perf_counter() - clock
        clock = time.perf_counter()
        stored = list(store)
        del store
        triples = write_dumps(release.folder, stored, _as_built(previous, stored, new, set(gone) - set(new)), say)
        _records(previous, release.folder, built, triples, gone, recorded or {})
        record_version(release.folder, built.release, built.ended, previous, stored)  # version, checksums, changes
    seconds["dumps"] = time.perf_counter() - clock
    return release.final, seconds


@dataclass(frozen=True)
class NewRelease:
    """A release being written: its folder (under a temporary name until done), its final place, and the
    release that was current when the lock was taken."""

    folder: Path
    final: Path
    previous: Path | None


@contextmanager
def new_release(out: Path, release: str, keep: int = 3) -> Iterator[NewRelease]:
    """A folder to write release `release` into, with `out` locked against other writers.

    When the block ends, the folder is synced to disk, renamed to releases/<release>, made `current`, and the
    releases beyond the newest `keep` are removed. When it raises, the folder is removed and `current` stays."""
    releases = out / RELEASES
    releases.mkdir(parents=True, exist_ok=True)
    with _lock(out):
        _remove_unfinished(releases)
        final = releases / release
        if final.exists():
            raise ConfigError(f"{final}: a release with this id already exists")
        writing = NewRelease(releases / f".partial-{release}", final, current_release(out))
        writing.folder.mkdir()
        try:
            yield writing
            _fsync_tree(writing.folder)
            writing.folder.rename(final)
            _switch(out, final)
        except BaseException:
            shutil.rmtree(writing.folder, ignore_errors=True)
            raise
        _prune(releases, final, keep)


def write_dumps(
    folder: Path, stored: Sequence[pyoxigraph.Quad], as_built: Sequence[pyoxigraph.Quad], say: Progress
) -> int:
    """Every dump of DUMPS; returns the number of triples in the union of the graphs.

    policykg.nq holds the dataset as built, lexical forms as written; the other dumps hold what the store holds,
    which writes some literals its own way ("0.0530"^^xsd:decimal as "0.053"). Triple formats hold the union.
    Line-based dumps are sorted, so that two builds of the same input diff cleanly."""
    triples = list(dict.fromkeys(pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in stored))
    for name, fmt in DUMPS.items():
        say(f"writing {name}")
        quads = as_built if fmt == pyoxigraph.RdfFormat.N_QUADS else stored
        data = pyoxigraph.serialize(quads if fmt.supports_datasets else triples, format=fmt, prefixes=PREFIXES) or b""
        (folder / name).write_bytes(_sorted_lines(data) if fmt in _LINE_BASED else data)
    return len(triples)


def source_record(source: Source) -> dict[str, object]:
    """What build.json says of one source file."""
    return {
        "document": source.document.id,
        "file": source.document.file.name,
        "sha256": source.sha256,
        "bytes": source.size,
    }


def write_record(path: Path, record: dict[str, Any]) -> None:
    """A release's JSON record (build.json, report.json), as people read it."""
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2), "utf-8")


def record_version(
    folder: Path, release: str, issued: dt.datetime, previous: Path | None, quads: list[pyoxigraph.Quad]
) -> None:
    """resources.json and changes.json against `previous`; the version, issue time, the release it replaces and
    each dump's SHA-256 and size added to build.json (written before, dumps included)."""
    stamp = issued.strftime("%Y-%m-%dT%H:%M:%SZ")
    digests = changes.digests(quads)
    changes.write(folder, digests, changes.changes(release, stamp, previous, digests))
    dumps = {}
    for name in DUMPS:
        data = (folder / name).read_bytes()
        dumps[name] = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    info = release_info(folder)
    info.update(version=release, issued=stamp, previous=previous.name if previous is not None else None, dumps=dumps)
    write_record(folder / "build.json", info)


_LINE_BASED = (pyoxigraph.RdfFormat.N_TRIPLES, pyoxigraph.RdfFormat.N_QUADS)


def _sorted_lines(data: bytes) -> bytes:
    return b"".join(sorted(data.splitlines(keepends=True)))


def _build_info(built: Built, triples: int) -> dict[str, object]:
    return {
        "release": built.release,
        "started": built.started.isoformat(),
        "ended": built.ended.isoformat(),
        "triples": triples,
        "graphs": {str(graph.identifier): len(graph) for graph in built.graphs},
        "sources": [source_record(source) for source in built.sources],
    }


def _switch(out: Path, final: Path) -> None:
    temporary = out / f".{CURRENT}.new"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(final.relative_to(out))
    os.replace(temporary, out / CURRENT)
    _fsync_dir(out)


def _prune(releases: Path, final: Path, keep: int) -> None:
    for old in kept_releases(releases)[max(keep, 1) :]:
        if old != final:
            shutil.rmtree(old, ignore_errors=True)


def _remove_unfinished(releases: Path) -> None:
    """Remove what a killed build left behind; the lock guarantees no other build is writing it."""
    for leftover in releases.glob(".partial-*"):
        shutil.rmtree(leftover, ignore_errors=True)


@contextmanager
def _lock(out: Path) -> Iterator[None]:
    with open(out / ".build.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ConfigError(f"{out}: another build is writing here; try again when it has finished") from None
        yield


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _as_built(
    previous: Path, stored: list[pyoxigraph.Quad], new: Sequence[pyoxigraph.Quad], removed: set[pyoxigraph.Quad]
) -> list[pyoxigraph.Quad]:
    """The previous release's N-Quads as written (the store writes some literals its own way) and the new quads,
    less the removed ones; the store's quads for a store made elsewhere, which has no N-Quads dump."""
    dump = previous / "policykg.nq"
    if not dump.is_file():
        return stored
    before = pyoxigraph.parse(path=str(dump), format=pyoxigraph.RdfFormat.N_QUADS)
    return [quad for quad in dict.fromkeys([*before, *new]) if quad not in removed]


def _records(
    previous: Path, folder: Path, built: Built, triples: int, removed: Sequence[pyoxigraph.Quad],
    recorded: Mapping[str, list[Any]],
) -> None:  # fmt: skip
    """build.json and report.json of the previous release, with what `built` adds and less the quads removed."""
    info = _json(previous / "build.json") or {"graphs": {}, "sources": []}
    info.update(
        release=built.release, started=built.started.isoformat(), ended=built.ended.isoformat(), triples=triples
    )
    info["sources"] += [source_record(source) for source in built.sources]
    for graph in built.graphs:
        key = str(graph.identifier)
        info["graphs"][key] = info["graphs"].get(key, 0) + len(graph)
    for quad in removed:
        if isinstance(quad.graph_name, pyoxigraph.NamedNode) and quad.graph_name.value in info["graphs"]:
            info["graphs"][quad.graph_name.value] -= 1
    info["added"] = [*info.get("added", []), *({"document": s.document.id, "to": previous.name} for s in built.sources)]
    for name, entries in recorded.items():
        info[name] = [*info.get(name, []), *entries]
    write_record(folder / "build.json", info)
    report = _json(previous / "report.json") or {"conforms": True, "counts": {}, "summary": {}, "findings": []}
    added = report_json(built)
    report.update(release=built.release)
    report["findings"] += added["findings"]
    for severity, count in added["summary"].items():
        report["summary"][severity] = report["summary"].get(severity, 0) + count
    write_record(folder / "report.json", report)


def _json(path: Path) -> dict[str, Any] | None:
    """A release's record, or None for a store made elsewhere (a restored or generated one) that has none."""
    return json.loads(path.read_text("utf-8")) if path.is_file() else None
