"""Tables with other headers as a user meets them: `policykg validate` says which column became what, and
`policykg build` with a copy of the manifest puts their tasks, leads, deadlines and categories into the graph."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graph import bundled
from tests.graph.headed_tables import CATEGORIES, REFORMS, TWO_ROWS, WRITERS, Table

POLICYKG = str(Path(sys.executable).parent / "policykg")


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [POLICYKG, *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=300, env={"PATH": "/usr/bin:/bin"}
    )


@pytest.mark.parametrize("suffix", [".xlsx", ".docx", ".csv"])
def test_validate_says_which_column_became_what_and_counts_the_roles(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"分工表{suffix}"
    WRITERS[suffix](path, CATEGORIES)
    shown = run("validate", path, cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    for line in ("列 1 「序号」 → number", "列 2 「分类」 → category (level 1)", "列 3 「子项」 → category (level 2)",
                 "列 4 「重点任务」 → text", "列 5 「牵头单位」 → lead", "列 6 「配合单位」 → participating",
                 "列 7 「完成时限」 → deadline"):  # fmt: skip
        assert line in shown.stdout
    said = json.loads(run("validate", path, "--json", cwd=tmp_path).stdout)
    assert said["counts"] == {
        "categories": 4, "tasks": 5, "unit names": 9, "units": 9, "lead assignments": 6,
        "participating assignments": 5, "deadlines": 5, "deadlines read as dates": 4,
    }  # fmt: skip
    assert [(c["header"], c["role"]) for c in said["columns"]][4:6] == [
        ("牵头单位", "lead"),
        ("配合单位", "participating"),
    ]
    assert said["conforms"] is True


def test_validate_a_two_row_header_and_guiding_departments(tmp_path: Path) -> None:
    two_rows, reforms = tmp_path / "two-rows.xlsx", tmp_path / "reforms.docx"
    WRITERS[".xlsx"](two_rows, TWO_ROWS)
    WRITERS[".docx"](reforms, REFORMS)
    shown = run("validate", two_rows, cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "列 3 「责任单位/牵头单位」 → lead" in shown.stdout and "列 4 「配合单位」 → participating" in shown.stdout
    said = json.loads(run("validate", reforms, "--json", cwd=tmp_path).stdout)
    assert said["conforms"] is True
    assert said["counts"]["guiding assignments"] == 3 and said["counts"]["lead assignments"] == 0


def test_validate_a_header_it_cannot_map_and_then_with_the_option(tmp_path: Path) -> None:
    path = tmp_path / "清单.csv"
    WRITERS[".csv"](path, Table(rows=[["序号", "工作任务", "责任主体", "时间"], ["1", "任务。", "科技部", "2025年"]]))
    refused = run("validate", path, cwd=tmp_path)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert str(path) in refused.stderr
    assert "列 3 「责任主体」" in refused.stderr and "列 4 「时间」" in refused.stderr
    assert "序号 | 工作任务 | 责任主体 | 时间" in refused.stderr and "--column 责任主体=" in refused.stderr
    mapped = run("validate", path, "--column", "责任主体=lead", "--column", "时间=deadline", "--json", cwd=tmp_path)
    assert mapped.returncode == 0, mapped.stderr
    said = json.loads(mapped.stdout)
    assert said["counts"]["lead assignments"] == 1 and said["counts"]["deadlines read as dates"] == 1
    assert {"position": 3, "header": "责任主体", "role": "lead", "given": True} in said["columns"]
    wrong = run("validate", path, "--column", "责任主体=boss", cwd=tmp_path)
    assert wrong.returncode == 2 and "HEADER=ROLE" in wrong.stderr


ENTRY = """
[[document]]
id = "lanchuan-evaluation-tasks"
file = "corpus/lanchuan-evaluation-tasks.xlsx"
reader = "xlsx"
title = "澜川市科技成果评价改革重点任务分工表"
title_en = "Key tasks of the Lanchuan reform of research evaluation"
kind = "task-division-table"
eli = "cn/lanchuan/2025/evaluation-tasks"
date = 2025-03-01
columns = { "责任主体" = "lead" }
"""
TASKS = """SELECT ?number ?unit ?deadline ?due ?category WHERE {
  GRAPH <https://w3id.org/policykg/graph/lanchuan-evaluation-tasks> {
    ?task pkg:taskNumber ?number ; pkg:leadAgency ?unit ; pkg:category ?category .
    OPTIONAL { ?task pkg:deadline ?deadline } OPTIONAL { ?task pkg:deadlineDate ?due }
  }
} ORDER BY ?number ?unit"""


def test_build_with_a_manifest_copy_puts_the_table_into_the_graph(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(bundled.folder("data"), data)
    renamed = Table(
        rows=[[("责任主体" if cell == "牵头单位" else cell) for cell in CATEGORIES.rows[0]], *CATEGORIES.rows[1:]],
        title=CATEGORIES.title,
        merges=CATEGORIES.merges,
    )  # its lead column under a header only the manifest's `columns` maps
    WRITERS[".xlsx"](data / "corpus" / "lanchuan-evaluation-tasks.xlsx", renamed)
    with open(data / "manifest.toml", "a", encoding="utf-8") as manifest:
        manifest.write(ENTRY)
    built = run("build", "--manifest", data / "manifest.toml", "--out", tmp_path / "build", "--json", cwd=tmp_path)
    assert built.returncode == 0, built.stdout + built.stderr
    assert json.loads(built.stdout)["summary"]["violation"] == 0
    found = run("query", TASKS, "--format", "json", "--out", tmp_path / "build", cwd=tmp_path)
    assert found.returncode == 0, found.stderr
    rows = json.loads(found.stdout)
    leads = {}
    for row in rows:
        leads.setdefault(int(row["number"]), []).append(row["unit"].rsplit("/", 1)[-1])
    assert leads == {1: ["cn-most"], 2: ["cn-cae", "cn-most"], 3: ["cn-ndrc"], 4: ["cn-mof"], 5: ["cn-cast"]}
    by_number = {int(row["number"]): row for row in rows}
    assert by_number[1]["deadline"] == "2026年12月" and by_number[1]["due"] == "2026-12"
    assert by_number[3]["deadline"] == "长期坚持" and by_number[3].get("due") in (None, "")
    assert by_number[3]["category"].endswith("/category/1/category/2")  # 市场评价 inside 完善评价体系
    assert by_number[4]["category"].endswith("/category/2")
