"""The `policykg` command as a user runs it: a real process, its exit code, what it prints and writes."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graph import bundled
from graph.store.releases import current_release

POLICYKG = str(Path(sys.executable).parent / "policykg")


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [POLICYKG, *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=120, env={"PATH": "/usr/bin:/bin"}
    )


@pytest.fixture(scope="module")
def first_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    workdir = tmp_path_factory.mktemp("elsewhere")
    result = run("build", cwd=workdir)
    return workdir, result


def test_build_from_another_directory_writes_a_release(
    first_build: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    workdir, result = first_build
    assert result.returncode == 0, result.stderr
    release = current_release(workdir / "build")
    assert release is not None
    assert {p.name for p in release.iterdir()} >= {
        "policykg.ttl", "policykg.nt", "policykg.jsonld", "policykg.trig", "store", "report.json", "build.json",
    }  # fmt: skip
    assert "tasks" in result.stdout and "19" in result.stdout
    assert "row 12" in result.stdout and "(from row 11)" in result.stdout  # the merged 责任单位 cell
    assert "0 violations, 2 warnings" in result.stdout  # the merged cell, and the partial implementation opinions
    assert "Traceback" not in result.stderr


def test_build_json_report(tmp_path: Path) -> None:
    result = run("build", "--json", "--out", tmp_path / "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["counts"]["tasks"] == 19 and report["counts"]["responsible units"] == 19
    assert report["summary"] == {"violation": 0, "warning": 2, "info": 16}


def test_a_build_with_a_violation_exits_1_and_writes_nothing(
    tmp_path: Path, first_build: tuple[Path, subprocess.CompletedProcess[str]]
) -> None:
    workdir, _ = first_build
    before = current_release(workdir / "build")
    releases = sorted((workdir / "build" / "releases").iterdir())
    data = tmp_path / "data"
    shutil.copytree(bundled.folder("data"), data)
    table = data / "corpus" / "beijing-2022-task-division-table.txt"
    table.write_text(table.read_text("utf-8").replace("五、持续推进科研管理改革试点。", "五、。"), "utf-8")
    result = run("build", "--manifest", data / "manifest.toml", cwd=workdir)
    assert result.returncode == 1
    assert "violation" in result.stdout and "row 8" in result.stdout
    assert "nothing was written" in result.stderr
    assert current_release(workdir / "build") == before
    assert sorted((workdir / "build" / "releases").iterdir()) == releases


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\xff\xfe\x00garbage\x81", "cannot be decoded"),
        ("分类,任务编号,任务内容,责任单位\n一、甲,三,x,市教委\n".encode(), "row 2, column 任务编号"),
        ("分类,任务编号,任务内容\n一、甲,1,x\n".encode(), "no 责任单位 column"),
    ],
)
def test_user_errors_are_one_paragraph_without_traceback(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    result = run("validate", path, cwd=tmp_path)
    assert result.returncode == 2
    assert expected in result.stderr and str(path) in result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") <= 3


def test_validate_a_table_with_an_unknown_unit(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        "分类,任务编号,任务内容,责任单位\n一、甲,1,任务。,市科委、中关村管委会，市某某局\n", encoding="gb18030"
    )
    result = run("validate", path, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "市某某局" in result.stdout and "not in the agency registry" in result.stdout
    assert "row 2" in result.stdout and "conforms" in result.stderr


def test_validate_says_what_it_found_in_a_table(tmp_path: Path) -> None:
    """Kind and counts first: a person checks them against what they see in the file."""
    path = tmp_path / "mine.csv"
    path.write_text(
        "分类,任务编号,任务内容,责任单位\n"
        "一、甲类,1,任务一。,市教委，市财政局\n"
        ",2,任务二。,市教委\n"
        "二、乙类,3,任务三。,市科委、中关村管委会，市教委，市财政局\n"
        ",4,任务四。,北京市教育委员会\n",  # the full name of 市教委: another name, the same unit
        encoding="utf-8",
    )
    result = run("validate", path, "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    said = json.loads(result.stdout)
    assert said["kind"] == "csv"
    assert said["counts"] == {
        "categories": 2,
        "tasks": 4,
        "unit names": 4,
        "units": 3,
        "lead assignments": 4,
        "participating assignments": 3,
    }
    shown = run("validate", path, cwd=tmp_path)
    assert "read as a task table (CSV)" in shown.stdout
    assert "participating assignments │ 3" in shown.stdout.replace("  ", " ").replace("  ", " ")


def test_validate_reads_a_web_page_of_opinions_and_says_what_its_text_gives(tmp_path: Path) -> None:
    """A government page (GBK, navigation, a metadata table above the text): parts and items counted, and the
    metadata read from the page's own fields and sign-off, each with the line it came from."""
    page = Path(__file__).resolve().parents[1] / "graph" / "fixtures" / "chaoze-implementation-opinions.html"
    result = run("validate", page, "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    said = json.loads(result.stdout)
    assert said["kind"] == "opinions" and said["counts"] == {"parts": 3, "items": 7}
    metadata = {name: field["value"] for name, field in said["metadata"].items()}
    assert metadata["title"] == "潮泽市人民政府办公室关于推进科技成果评价改革的实施意见"
    assert metadata["number"] == "潮政办发〔2024〕15号"
    assert metadata["date"] == "2024-03-08"
    assert metadata["issuers"] == "潮泽市人民政府办公室"
    assert metadata["kind"].startswith("实施意见")
    assert all(field["lines"] for field in said["metadata"].values())


def test_validate_a_law_names_what_it_cannot_read_and_the_flag_that_sets_it(tmp_path: Path) -> None:
    law = bundled.folder("data") / "corpus" / "law-2021-science-and-technology-progress.txt"
    result = run("validate", law, "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    said = json.loads(result.stdout)
    assert said["kind"] == "law"
    assert said["counts"]["chapters"] == 12 and said["counts"]["articles"] == 117
    assert said["metadata"]["in force"]["value"] == "2022-01-01"
    shown = run("validate", law, cwd=tmp_path)
    assert "read as a law or regulation" in shown.stdout and "Read from the text" in shown.stdout
    undated = tmp_path / "undated.txt"
    undated.write_text("关于某事的通知\n\n一、总体要求\n\n（一）做好某事。\n", "utf-8")
    missing = json.loads(run("validate", undated, "--json", cwd=tmp_path).stdout)["missing"]
    assert any(message.startswith("date:") and "--date" in message for message in missing)


def test_validate_rdf_file(tmp_path: Path, first_build: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    workdir, _ = first_build
    release = current_release(workdir / "build")
    assert release is not None
    good = run("validate", release / "policykg.ttl", "--json", cwd=tmp_path)
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout)["conforms"] is True
    assert json.loads(good.stdout)["kind"] == "rdf" and json.loads(good.stdout)["counts"]["triples"] > 10_000
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        "@prefix pkg: <https://w3id.org/policykg/ontology#> .\n<https://example.org/t> a pkg:Task .\n", encoding="utf-8"
    )
    bad = run("validate", broken, "--json", cwd=tmp_path)
    assert bad.returncode == 1
    shapes = {f["shape"] for f in json.loads(bad.stdout)["findings"] if f["severity"] == "violation"}
    assert shapes == {"TaskShape"}


def test_missing_file_and_no_command(tmp_path: Path) -> None:
    result = run("validate", tmp_path / "nope.csv", cwd=tmp_path)
    assert result.returncode == 2 and "no such file" in result.stderr
    assert run(cwd=tmp_path).returncode == 2


def test_a_reader_that_stops_early_is_no_error(first_build: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    workdir, _ = first_build
    shell = f"{POLICYKG} query agency-workload | head -n 1"
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", shell], cwd=workdir, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and result.stdout.startswith("agency")


def test_query_csv_keeps_negative_numbers_and_defuses_formulas(
    first_build: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    workdir, _ = first_build
    query = 'SELECT ?a ?b ?c ?d ?e WHERE { VALUES (?a ?b ?c ?d ?e) { (-5 "-1,000.5" "-1+1" "+5" "\\t-5") } }'
    result = run("query", query, "--format", "csv", cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert list(csv.reader(io.StringIO(result.stdout))) == [
        ["a", "b", "c", "d", "e"],
        ["-5", "-1,000.5", "'-1+1", "'+5", "'\t-5"],
    ]
