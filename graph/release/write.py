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
from collections.abc import Iterator, Sequence
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
