"""What a build holds and what it reported: counts read from its graph, findings from its report.

The counts come from the store (queries/views/stats.rq, so they are what is served, on any store); the warnings
and notes from the release's report.json, written by `policykg build`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyoxigraph

from graph.views.records import Views

# Each count, with the counts it breaks down into; "units" is the sum of its first three (every unit is one kind).
BREAKDOWN: dict[str, tuple[str, ...]] = {
    "documents": ("documents with tasks",),
    "categories": (),
    "tasks": (),
    "units": ("agencies", "agency groups", "unregistered units", "units with tasks"),
    "assignments": ("lead", "participating"),
    "links": ("curated", "automatic"),
    "provisions": ("parts", "items", "measures", "chapters", "sections", "articles", "paragraphs"),
}
Counts = dict[str, int | dict[str, int]]


def graph_counts(views: Views) -> Counts:
    """Documents, categories, tasks, units, assignments, links and provisions, each with its breakdown; triples."""
    found: dict[str, int] = {}
    for row in views.rows("stats"):
        what, count = row["what"], row["count"]
        if isinstance(what, pyoxigraph.Literal) and isinstance(count, pyoxigraph.Literal):
            found[what.value] = int(count.value)
    found["units"] = sum(found.get(kind, 0) for kind in BREAKDOWN["units"][:3])
    counts: Counts = {}
    for key, parts in BREAKDOWN.items():
        total = found.get(key, 0)
        counts[key] = {"total": total, **{part: found.get(part, 0) for part in parts}} if parts else total
    counts["triples"] = len(views.store)
    return counts


def release_report(release: Path | None) -> dict[str, Any]:
    """The release's name and build time (build.json), and its findings with their summary (report.json);
    empty when the store is not a release's (no such files)."""
    if release is None:
        return {}
    info: dict[str, Any] = {}
    build, report = release / "build.json", release / "report.json"
    if build.is_file():
        data = json.loads(build.read_text("utf-8"))
        info.update(release=data.get("release"), built=data.get("ended"))
    if report.is_file():
        data = json.loads(report.read_text("utf-8"))
        info.update(summary=data.get("summary", {}), findings=data.get("findings", []))
    return info


def flat(counts: Counts) -> list[tuple[str, int, int]]:
    """(name, value, depth) rows for a table: each count, then its breakdown one level in."""
    rows: list[tuple[str, int, int]] = []
    for key, value in counts.items():
        if isinstance(value, dict):
            rows.append((key, value["total"], 0))
            rows.extend((part, number, 1) for part, number in value.items() if part != "total")
        else:
            rows.append((key, value, 0))
    return rows
