"""Releases on disk, the read side: where the releases of an output folder are and which one is current.

    OUT/releases/<release>/   policykg.ttl .nt .jsonld .trig .nq, store/ (pyoxigraph), build.json, report.json,
                              resources.json, changes.json
    OUT/current -> releases/<release>

Writing them is `graph.release.write`; nothing here imports the build path, so a query worker stays light.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph

CURRENT = "current"
RELEASES = "releases"
STORE = "store"
DUMPS = {
    "policykg.ttl": pyoxigraph.RdfFormat.TURTLE,
    "policykg.nt": pyoxigraph.RdfFormat.N_TRIPLES,
    "policykg.jsonld": pyoxigraph.RdfFormat.JSON_LD,
    "policykg.trig": pyoxigraph.RdfFormat.TRIG,
    "policykg.nq": pyoxigraph.RdfFormat.N_QUADS,
}


def current_release(out: Path) -> Path | None:
    """The release `current` points at, or None before the first build."""
    link = out / CURRENT
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None


def kept_releases(releases: Path) -> list[Path]:
    """The finished releases in a releases folder, newest first."""
    if not releases.is_dir():
        return []
    done = [p for p in releases.iterdir() if p.is_dir() and not p.name.startswith(".")]
    return sorted(done, key=_age, reverse=True)


def _age(release: Path) -> tuple[str, int]:
    """Ids start with the build's second; two builds in one second are ordered by when they were written."""
    info = release / "build.json"
    return release.name.split("-")[0], info.stat().st_mtime_ns if info.is_file() else 0


def release_info(release: Path) -> dict[str, object]:
    """A release's build.json: its version, when it was issued, its dumps with their SHA-256 and size."""
    try:
        info: dict[str, object] = json.loads((release / "build.json").read_text("utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return info
