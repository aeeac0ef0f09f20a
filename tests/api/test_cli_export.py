"""`policykg export matrix` and `policykg stats` as a user runs them: a real process on a real build."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient
from rdflib import RDF, Graph, URIRef

from graph.checks.report import build_findings, counts, severity_counts
from graph.rdf.namespaces import PKG
from graph.release.build import Built

POLICYKG = str(Path(sys.executable).parent / "policykg")


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [POLICYKG, *map(str, args)], cwd=cwd, capture_output=True, timeout=120, env={"PATH": "/usr/bin:/bin"}
    )


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a build of the bundled data in ./build, where the commands look by default."""
    folder = tmp_path_factory.mktemp("cli-export")
    result = run("build", cwd=folder)
    assert result.returncode == 0, result.stderr.decode()
    return folder


def with_role(graph: Graph, role: URIRef) -> int:
    return len(set(graph.subjects(PKG.role, role)))


def test_csv_to_standard_output_is_what_the_service_serves(
    workdir: Path, client: TestClient, seed_graph: Graph
) -> None:
    result = run("export", "matrix", cwd=workdir)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout == client.get("/matrix.csv").content  # the same graph/ code, the same bytes
    rows = list(csv.reader(io.StringIO(result.stdout.decode("utf-8-sig"), newline="")))
    marks = [cell for row in rows for cell in row]
    expected = (with_role(seed_graph, PKG.lead), with_role(seed_graph, PKG.participating))
    assert (marks.count("●"), marks.count("○")) == expected


def test_svg_and_english_to_a_file(workdir: Path, tmp_path: Path) -> None:
    target = tmp_path / "matrix.svg"
    result = run("export", "matrix", "--format", "svg", "--lang", "en", "--output", target, cwd=workdir)
    assert result.returncode == 0 and result.stdout == b""
    assert str(target) in result.stderr.decode()
    root = ET.parse(target).getroot()
    assert "Noto Sans CJK SC" in root.attrib["font-family"]
    assert "Responsibility matrix" in "".join(root.itertext())


def test_xlsx_is_written_to_a_named_file(workdir: Path) -> None:
    result = run("export", "matrix", "--policy", "beijing-2022-task-division-table", "--format", "xlsx", cwd=workdir)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout == b""  # never binary on a terminal
    written = workdir / "responsibility-matrix-eli-cn-bj-jingkezhuanfa-2022-226-attachment-1.xlsx"
    sheet = openpyxl.load_workbook(written).worksheets[0]
    assert sheet.freeze_panes == "C2" and sheet["C1"].value == "市科委、中关村管委会"
    csv_rows = list(csv.reader(io.StringIO(run("export", "matrix", cwd=workdir).stdout.decode("utf-8-sig"))))
    assert [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)] == csv_rows


@pytest.mark.parametrize("policy", ["guobanfa-2021-26", "nothing", "a b"])
def test_a_document_without_tasks_is_a_user_error(workdir: Path, policy: str) -> None:
    result = run("export", "matrix", "--policy", policy, cwd=workdir)
    assert result.returncode == 2
    message = result.stderr.decode()
    assert "the task tables are: eli/cn-bj/jingkezhuanfa/2022/226/attachment/1" in message
    assert "Traceback" not in message


def test_stats_json_counts_the_graph_and_the_report(workdir: Path, built: Built, union: Graph) -> None:
    result = run("stats", "--json", cwd=workdir)
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(result.stdout)
    numbers = data["counts"]
    built_counts = counts(built)
    assert numbers["tasks"] == built_counts["tasks"] and numbers["categories"] == built_counts["categories"]
    assert numbers["documents"]["total"] == built_counts["documents"]
    assert numbers["documents"]["documents with tasks"] == built_counts["tables"]
    assert numbers["units"]["units with tasks"] == built_counts["responsible units"]
    assert numbers["assignments"] == {
        "total": built_counts["assignments"],
        "lead": with_role(union, PKG.lead),
        "participating": with_role(union, PKG.participating),
    }
    assert numbers["links"]["curated"] == len(set(union.subjects(PKG.linkMethod, PKG.curated)))
    assert numbers["links"]["automatic"] == len(set(union.subjects(PKG.linkMethod, PKG.automatic)))
    assert numbers["provisions"]["articles"] == len(set(union.subjects(RDF.type, PKG.Article)))
    assert numbers["triples"] == built_counts["triples"]
    assert data["summary"] == severity_counts(build_findings(built))
    assert data["release"] and data["built"]


def test_stats_lists_the_warnings_and_hides_the_notes(workdir: Path, built: Built) -> None:
    result = run("stats", cwd=workdir)
    assert result.returncode == 0, result.stderr.decode()
    text = result.stdout.decode()
    assert re.search(rf"│ assignments +│ {counts(built)['assignments']} +│", text)
    assert "row 12" in text and "the units of the row above are used" in text  # the merged 责任单位 cell
    assert "ignored Word export marker" not in text and "note(s) not shown" in text
    assert "ignored Word export marker" in run("stats", "-v", cwd=workdir).stdout.decode()


def test_stats_without_a_build_says_so(tmp_path: Path) -> None:
    result = run("stats", "--out", tmp_path / "none", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr.decode()
