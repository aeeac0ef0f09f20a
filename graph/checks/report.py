"""What a build or a validation found, as counts and located findings, for people (text) and tools (JSON)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from rdflib import Graph, URIRef
from rdflib.term import Node

from graph.checks.shacl import SEVERITIES, Report, Result
from graph.errors import Location, Notice
from graph.ingest.manifest import Manifest
from graph.ingest.table import TaskTable
from graph.rdf.namespaces import PKG

_ORDER = list(SEVERITIES.values())


class Checked(Protocol):
    """What a report reads of a build: its graphs, tables and notices, the SHACL report, where each node was read."""

    release: str
    manifest: Manifest
    graphs: list[Graph]
    report: Report
    notices: list[Notice]
    tables: dict[str, TaskTable]
    places: dict[Node, Location]

    def union(self) -> Graph: ...


@dataclass(frozen=True)
class Finding:
    """One line of a report: a SHACL result or an ingestion notice, with where it points in the input."""

    severity: str
    where: Location | None
    message_en: str
    message_zh: str | None = None
    shape: str | None = None
    focus: str | None = None
    path: str | None = None
    value: str | None = None
    value_where: Location | None = None

    def describe_where(self) -> str:
        return self.where.describe() if self.where else self.focus or ""

    def as_dict(self) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items() if v is not None and k not in ("where", "value_where")}
        if self.where:
            data["where"] = self.where.describe()
            data.update({k: v for k, v in self.where.__dict__.items() if v is not None})
        if self.value_where:
            data["value_where"] = self.value_where.describe()
        return data

    def sort_key(self) -> tuple[int, tuple[str, int, int], str]:
        return (_ORDER.index(self.severity), self.where.sort_key() if self.where else ("", 0, 0), self.focus or "")


def findings(
    report: Report,
    notices: list[Notice],
    place: Callable[[Node], Location | None],
    root: Path | None = None,
    data: Graph | None = None,
) -> list[Finding]:
    """SHACL results located in the input where possible, and ingestion notices, most severe first.

    A result without a value (sh:maxCount 0 reports none) takes the single value `data` holds for its path,
    so that "the units of the row above" can say which row.
    """
    found = [_from_result(_with_value(result, data), place) for result in report.results]
    found += [Finding(n.severity, n.where, n.message) for n in notices]
    if root is not None:
        found = [_relative(finding, root) for finding in found]
    return sorted(found, key=Finding.sort_key)


def _with_value(result: Result, data: Graph | None) -> Result:
    if result.value is not None or result.path is None or data is None:
        return result
    values = list(data.objects(result.focus, URIRef(result.path)))
    return replace(result, value=values[0]) if len(values) == 1 else result


def _relative(finding: Finding, root: Path) -> Finding:
    if finding.where is None:
        return finding
    value_where = finding.value_where.relative_to(root) if finding.value_where else None
    return Finding(**{**finding.__dict__, "where": finding.where.relative_to(root), "value_where": value_where})


def _from_result(result: Result, place: Callable[[Node], Location | None]) -> Finding:
    return Finding(
        severity=result.severity,
        where=place(result.focus),
        message_en=result.message_en,
        message_zh=result.message_zh,
        shape=result.shape,
        focus=str(result.focus),
        path=result.path,
        value=None if result.value is None else str(result.value),
        value_where=None if result.value is None else place(result.value),
    )


def counts(built: Checked) -> dict[str, int]:
    tasks = [task for table in built.tables.values() for task in table.tasks]
    units = {unit for graph in built.graphs for unit in graph.objects(None, PKG.unit)}
    return {
        "documents": len(built.manifest.documents),
        "tables": len(built.tables),
        "categories": sum(len(table.categories) for table in built.tables.values()),
        "tasks": len(tasks),
        "assignments": sum(len(task.units) for task in tasks),
        "responsible units": len(units),
        "triples": sum(len(graph) for graph in built.graphs),
    }


def build_findings(built: Checked) -> list[Finding]:
    return findings(built.report, built.notices, built.places.get, built.manifest.path.parent, built.union())


def report_json(built: Checked) -> dict[str, Any]:
    found = build_findings(built)
    return {
        "release": built.release,
        "conforms": built.report.conforms,
        "counts": counts(built),
        "summary": severity_counts(found),
        "findings": [finding.as_dict() for finding in found],
    }


def severity_counts(found: list[Finding]) -> dict[str, int]:
    return {severity: sum(1 for f in found if f.severity == severity) for severity in _ORDER}
