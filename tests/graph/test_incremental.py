"""`policykg add`: one new document goes into the current release without rebuilding or re-validating the rest."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pyoxigraph
import pytest

from api.cli import main
from graph import bundled
from graph.errors import ConfigError
from graph.ingest.agencies import load_registry
from graph.ingest.manifest import load_manifest
from graph.links.linkset import AUTOMATIC_GRAPH
from graph.rdf import iris
from graph.release.add import add_document, check_document
from graph.release.build import Inputs, build
from graph.release.changes import read_changes
from graph.release.write import write_release
from graph.store.releases import STORE, current_release

EXTRA = "beijing-2022-extra-table"
TABLE = """分类,任务编号,任务内容,责任单位
一、加快成果转化,1,建立科技成果转化年度报告制度,市财政局，市科委、中关村管委会
,2,完善成果评价专家库,市教委
二、强化资金保障,3,设立成果转化引导资金,市财政局
"""
ENTRY = f"""
[[document]]
id = "{EXTRA}"
file = "corpus/extra-table.csv"
reader = "csv"
title = "补充任务分工表"
title_en = "Supplementary task-division table"
kind = "task-division-table"
attachment_of = "beijing-2022-implementation-opinions"
attachment = 2
issuers = ["bj-sti-zgc-office"]
date = 2022-10-01
"""
PREFIXES = "PREFIX pkg: <https://w3id.org/policykg/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
TASKS = """SELECT ?number ?lead WHERE {
  GRAPH ?g { ?task a pkg:Task ; pkg:taskNumber ?number ; pkg:leadAgency ?unit }
  ?unit skos:prefLabel ?lead FILTER(lang(?lead) = "zh")
} ORDER BY ?number"""


@pytest.fixture
def corpus(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the bundled data built into a release, and the copy's manifest with one more table listed."""
    data = tmp_path / "data"
    shutil.copytree(bundled.manifest_file().parent, data)
    out = tmp_path / "build"
    built = build(Inputs(manifest=data / "manifest.toml", registry=data / "agencies.toml"))
    write_release(built, out)
    (data / "corpus" / "extra-table.csv").write_text(TABLE, encoding="utf-8")
    with open(data / "manifest.toml", "a", encoding="utf-8") as manifest:
        manifest.write(ENTRY)
    return data, out


def _store(out: Path) -> pyoxigraph.Store:
    release = current_release(out)
    assert release is not None
    return pyoxigraph.Store.read_only(str(release / STORE))


def test_add_puts_the_new_table_into_a_new_current_release_and_keeps_everything_else(corpus: tuple[Path, Path]) -> None:
    data, out = corpus
    before_release = current_release(out)
    before = set(_store(out))

    assert main(["add", EXTRA, "--manifest", str(data / "manifest.toml"), "--out", str(out)]) == 0

    after_release = current_release(out)
    assert after_release is not None and after_release != before_release
    after = set(_store(out))
    assert before < after  # nothing lost
    added_graph = pyoxigraph.NamedNode(str(iris.named_graph(EXTRA)))
    automatic = pyoxigraph.NamedNode(str(AUTOMATIC_GRAPH))
    catalogue = pyoxigraph.NamedNode(str(iris.CATALOGUE_GRAPH))
    assert {q.graph_name for q in after - before} == {added_graph, catalogue, automatic}
    # the table implements a national document: its tasks' candidate links arrive with it, and only theirs
    new = after - before
    sources = {q.object for q in new if q.graph_name == automatic and q.predicate.value.endswith("#linkSource")}
    tasks = {q.subject for q in new if q.graph_name == added_graph and q.object.value.endswith("#Task")}
    assert sources and sources <= tasks, (sources, tasks)
    query = PREFIXES + TASKS.replace("?g", f"<{added_graph.value}>")
    found = {(r["number"].value, r["lead"].value) for r in _store(out).query(query, use_default_graph_as_union=True)}
    assert found == {("1", "北京市财政局"), ("2", "北京市教育委员会"), ("3", "北京市财政局")}
    # the previous release is untouched (a checkpoint, not the same files), and the dumps hold the new table
    assert before_release is not None and set(pyoxigraph.Store.read_only(str(before_release / STORE))) == before
    assert "建立科技成果转化年度报告制度" in (after_release / "policykg.nq").read_text("utf-8")
    assert "建立科技成果转化年度报告制度" in (after_release / "policykg.ttl").read_text("utf-8")


def test_adding_a_document_twice_is_refused(corpus: tuple[Path, Path]) -> None:
    data, out = corpus
    assert main(["add", EXTRA, "--manifest", str(data / "manifest.toml"), "--out", str(out)]) == 0
    manifest = load_manifest(data / "manifest.toml")
    with pytest.raises(ConfigError, match="already in release"):
        add_document(out, EXTRA, manifest, load_registry(data / "agencies.toml"), Inputs(manifest=manifest.path))


def test_validation_sees_the_units_through_the_store_and_nothing_else(corpus: tuple[Path, Path]) -> None:
    """The shapes check that each assignment's unit is a registered unit: with the current store as context the
    new table conforms; against an empty store (no context) the same table has violations. So validation uses
    the store for context instead of skipping those checks."""
    data, out = corpus
    manifest = load_manifest(data / "manifest.toml")
    registry = load_registry(data / "agencies.toml")
    document = manifest.document(EXTRA)
    inputs = Inputs(manifest=manifest.path)
    with_context, context_size, _ = check_document(document, manifest, registry, _store(out), inputs)
    without, empty_context, _ = check_document(document, manifest, registry, pyoxigraph.Store(), inputs)
    assert with_context.report.conforms and context_size > 0
    assert not without.report.conforms and empty_context == 0


def test_a_document_naming_a_unit_the_release_does_not_know_is_not_added(corpus: tuple[Path, Path]) -> None:
    """A unit added to the registry after the last build exists only in the registry file, not in the release:
    the new table's assignment to it has no registered unit, so `add` reports the violation and writes nothing
    (a full build brings the new unit in)."""
    data, out = corpus
    before = current_release(out)
    registry = data / "agencies.toml"
    registry.write_text(
        registry.read_text("utf-8") + '\n[[unit]]\nid = "bj-new-office"\nkind = "agency"\nname = "北京市新设办公室"\n'
        'name_en = "Beijing New Office"\nnames = ["市新设办"]\n', "utf-8")  # fmt: skip
    table = data / "corpus" / "extra-table.csv"
    table.write_text(TABLE.replace("市教委", "市新设办"), encoding="utf-8")

    assert main(["add", EXTRA, "--manifest", str(data / "manifest.toml"), "--registry", str(registry),
                 "--out", str(out)]) == 1  # fmt: skip
    assert current_release(out) == before
    assert [p.name for p in (out / "releases").iterdir() if not p.name.startswith(".")] == [before.name]  # type: ignore[union-attr]


def test_an_added_document_is_a_new_version_with_its_change_list_and_checksums(corpus: tuple[Path, Path]) -> None:
    data, out = corpus
    before_release = current_release(out)
    assert main(["add", EXTRA, "--manifest", str(data / "manifest.toml"), "--out", str(out)]) == 0
    after_release = current_release(out)
    assert before_release is not None and after_release is not None
    changes = read_changes(after_release)
    assert changes is not None and changes.previous == before_release.name and not changes.withdrawn
    document = load_manifest(data / "manifest.toml").document(EXTRA).iri
    added = {r.iri for r in changes.added}
    assert {str(document), *(f"{document}/task/{n}" for n in (1, 2, 3))} <= added
    others = [r for r in changes.added if not r.iri.startswith(str(document))]
    assert others and all(r.graphs == (str(AUTOMATIC_GRAPH),) for r in others)  # the table's links, made on arrival
    info = json.loads((after_release / "build.json").read_text("utf-8"))
    assert info["version"] == after_release.name and info["previous"] == before_release.name
    for name, dump in info["dumps"].items():
        assert dump["sha256"] == hashlib.sha256((after_release / name).read_bytes()).hexdigest()


def test_the_n_quads_of_the_release_before_stay_as_written_after_an_add(corpus: tuple[Path, Path]) -> None:
    """The store writes some literals its own way (xsd:nonNegativeInteger as xsd:integer, "0.0530" as "0.053");
    policykg.nq keeps them as the build wrote them, and an add leaves every line of it as it was."""
    data, out = corpus
    before = current_release(out)
    assert before is not None
    lines = set((before / "policykg.nq").read_bytes().splitlines())
    assert any(b"XMLSchema#nonNegativeInteger>" in line for line in lines)

    assert main(["add", EXTRA, "--manifest", str(data / "manifest.toml"), "--out", str(out)]) == 0

    after = current_release(out)
    assert after is not None and after != before
    added = set((after / "policykg.nq").read_bytes().splitlines())
    assert lines <= added
    assert any(str(iris.named_graph(EXTRA)).encode() in line for line in added - lines)
