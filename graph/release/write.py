"""Writing a build to disk atomically: a new release folder, then one atomic switch of `current`.

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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph

from graph.checks.report import report_json
from graph.errors import ConfigError
from graph.rdf.compat import rdflib_internal_deprecations_silenced
from graph.rdf.namespaces import PREFIXES
from graph.release import changes
from graph.release.build import Built, Progress
from graph.store.releases import CURRENT, DUMPS, RELEASES, STORE, current_release, kept_releases, release_info


def write_release(built: Built, out: Path, keep: int = 3, progress: Progress | None = None) -> Path:
    """Write dumps, store and reports for `built` and make them current; returns the release folder."""
    say = progress or (lambda _message: None)
    releases = out / RELEASES
    releases.mkdir(parents=True, exist_ok=True)
    with _lock(out):
        _remove_unfinished(releases)
        previous = current_release(out)
        final = releases / built.release
        if final.exists():
            raise ConfigError(f"{final}: a release with this id already exists")
        partial = releases / f".partial-{built.release}"
        partial.mkdir()
        try:
            _write(built, partial, say, previous)
            _fsync_tree(partial)
            partial.rename(final)
            _switch(out, final)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        _prune(releases, final, keep)
    return final


def _write(built: Built, folder: Path, say: Progress, previous: Path | None) -> None:
    """N-Quads from rdflib (the dataset as built), everything else from the loaded store by pyoxigraph."""
    say("writing policykg.nq")
    with rdflib_internal_deprecations_silenced():
        nquads = built.dataset().serialize(format="nquads", encoding="utf-8")
    (folder / "policykg.nq").write_bytes(_sorted_lines(nquads))
    say("loading the store")
    store = pyoxigraph.Store(str(folder / STORE))
    store.bulk_load(path=str(folder / "policykg.nq"), format=pyoxigraph.RdfFormat.N_QUADS)
    store.flush()
    quads = list(store)
    triples = list(dict.fromkeys(pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in quads))
    del store
    for name, fmt in DUMPS.items():
        if fmt == pyoxigraph.RdfFormat.N_QUADS:
            continue
        say(f"writing {name}")
        data = pyoxigraph.serialize(quads if fmt.supports_datasets else triples, format=fmt, prefixes=PREFIXES) or b""
        (folder / name).write_bytes(_sorted_lines(data) if fmt == pyoxigraph.RdfFormat.N_TRIPLES else data)
    (folder / "report.json").write_text(json.dumps(report_json(built), ensure_ascii=False, indent=2), "utf-8")
    info = _build_info(built, len(triples))
    (folder / "build.json").write_text(json.dumps(info, ensure_ascii=False, indent=2), "utf-8")
    say("comparing with the previous release")
    record_version(folder, built.release, built.ended, previous, quads)


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
    (folder / "build.json").write_text(json.dumps(info, ensure_ascii=False, indent=2), "utf-8")


def _sorted_lines(data: bytes) -> bytes:
    """Line-based dumps sorted, so that two builds of the same input diff cleanly."""
    return b"".join(sorted(data.splitlines(keepends=True)))


def _build_info(built: Built, triples: int) -> dict[str, object]:
    return {
        "release": built.release,
        "started": built.started.isoformat(),
        "ended": built.ended.isoformat(),
        "triples": triples,
        "graphs": {str(graph.identifier): len(graph) for graph in built.graphs},
        "sources": [
            {"document": s.document.id, "file": s.document.file.name, "sha256": s.sha256, "bytes": s.size}
            for s in built.sources
        ],
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
