"""What `build` produces: stable IRIs, the implementation chain as data, provenance, and atomic releases."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import replace
from pathlib import Path

import pyoxigraph
import pytest
from pyoxigraph import RdfFormat
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, RDF, XSD

from graph import bundled
from graph.errors import ConfigError, InputError
from graph.ingest.manifest import load_manifest
from graph.rdf import iris
from graph.rdf.namespaces import DCTERMS, ELI, PKG
from graph.release.build import Built, Inputs, build
from graph.release.write import write_release
from graph.store.releases import current_release
from tests.helpers import SEED_ID

POLICY_226 = URIRef("https://w3id.org/policykg/eli/cn-bj/jingkezhuanfa/2022/226")
GUOBANFA = URIRef("https://w3id.org/policykg/eli/cn/guobanfa/2021/26")
TABLE = URIRef(f"{POLICY_226}/attachment/1")


def test_policy_iris_follow_the_eli_like_template_from_the_document_number() -> None:
    manifest = load_manifest(bundled.manifest_file())
    assert manifest.document("beijing-2022-implementation-opinions").iri == POLICY_226
    assert manifest.document("guobanfa-2021-26").iri == GUOBANFA
    assert manifest.document(SEED_ID).iri == TABLE


def test_the_implementation_chain_is_data(union: Graph) -> None:
    assert (TABLE, PKG.attachmentOf, POLICY_226) in union
    assert (POLICY_226, ELI.implements, GUOBANFA) in union
    assert (POLICY_226, PKG.documentNumber, Literal("京科转发〔2022〕226号")) in union
    assert (TABLE, ELI.type_document, PKG.taskDivisionTable) in union
    assert (POLICY_226, ELI.date_document, Literal("2022-09-23", datatype=XSD.date)) in union
    assert len(set(union.objects(POLICY_226, DCTERMS.creator))) == 11
    titles = {t.language: str(t) for t in union.objects(GUOBANFA, DCTERMS.title)}
    assert titles["zh"] == "国务院办公厅关于完善科技成果评价机制的指导意见" and titles["en"]
    assert len(set(union.subjects(RDF.type, PKG.Policy))) == 6


def test_provenance_names_each_file_with_its_sha256(built: Built, union: Graph) -> None:
    import hashlib

    seed = load_manifest(bundled.manifest_file()).document(SEED_ID)
    digest = hashlib.sha256(seed.file.read_bytes()).hexdigest()
    source = iris.source_file(digest)
    assert (TABLE, PROV.wasDerivedFrom, source) in union
    assert union.value(source, PKG.sha256) == Literal(digest)
    assert union.value(source, PKG.fileName) == Literal("beijing-2022-task-division-table.txt")
    build_node = iris.build(built.release)
    assert (build_node, PROV.used, source) in union
    assert union.value(build_node, PROV.startedAtTime) is not None
    assert union.value(build_node, PROV.endedAtTime) is not None


def test_same_input_same_iris(built: Built) -> None:
    again = build()
    content = {g.identifier: g for g in built.graphs if g.identifier != iris.PROVENANCE_GRAPH}
    for graph in again.graphs:
        if graph.identifier != iris.PROVENANCE_GRAPH:
            assert isomorphic(graph, content[graph.identifier]), graph.identifier
            named = {t for t in graph if not any(isinstance(term, BNode) for term in t)}
            assert named == {t for t in content[graph.identifier] if not any(isinstance(x, BNode) for x in t)}


def test_the_corpus_conforms_with_only_the_expected_findings(built: Built) -> None:
    assert built.report.conforms
    warnings = built.report.of("warning")
    assert [(r.shape, r.path) for r in warnings] == [("SourceRowShape", str(PKG.inheritsUnitsFrom))]
    assert built.places[warnings[0].focus].row == 12  # task 11 sits in row 12 (the header is row 1)
    infos = built.report.of("info")
    assert sorted(built.places[r.focus].row for r in infos) == [4, 7, 9, 11, 12, 13, 14, 16, 17, 19, 20]


@pytest.fixture
def release_dir(tmp_path: Path, built: Built) -> Path:
    out = tmp_path / "out"
    write_release(built, out)
    return out


def test_a_release_has_dumps_store_and_report(release_dir: Path, built: Built) -> None:
    current = current_release(release_dir)
    assert current is not None and current.name == built.release
    triples = len(built.union())
    quads = sum(len(g) for g in built.graphs)
    for name, fmt in [("policykg.ttl", "turtle"), ("policykg.nt", "nt")]:
        assert len(Graph().parse(current / name, format=fmt)) == triples, name
    for name, fmt in [
        ("policykg.trig", RdfFormat.TRIG),
        ("policykg.nq", RdfFormat.N_QUADS),
        ("policykg.jsonld", RdfFormat.JSON_LD),
    ]:
        parsed = list(pyoxigraph.parse(path=str(current / name), format=fmt))
        assert len(parsed) == quads, name
        assert {str(q.graph_name.value) for q in parsed if hasattr(q.graph_name, "value")} == {
            str(g.identifier) for g in built.graphs
        }, name
    store = pyoxigraph.Store.read_only(str(current / "store"))
    assert len(store) == sum(len(g) for g in built.graphs)
    count = next(iter(store.query(f"SELECT (COUNT(*) AS ?n) {{ GRAPH ?g {{ ?t a <{PKG.Task}> }} }}")))
    assert int(count["n"].value) == 19
    report = json.loads((current / "report.json").read_text("utf-8"))
    assert report["conforms"] and report["counts"]["tasks"] == 19
    warnings = [f["where"] for f in report["findings"] if f["severity"] == "warning"]
    assert warnings == [
        "corpus/beijing-2022-implementation-opinions-PARTIAL.txt, line 22",  # the source text breaks off
        "corpus/beijing-2022-task-division-table.txt, row 12, line 59",  # task 11's merged 责任单位 cell
    ]


def test_a_new_release_switches_current_and_keeps_the_last_three(tmp_path: Path, built: Built) -> None:
    out = tmp_path / "out"
    releases = []
    for index in range(5):
        releases.append(write_release(replace(built, release=f"20260101t00000{index}z-test"), out, keep=3))
        assert current_release(out) == releases[-1].resolve()
    assert sorted(p.name for p in (out / "releases").iterdir()) == [r.name for r in releases[2:]]


def test_config_errors_and_violations_are_caught_before_writing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(bundled.folder("data"), data)
    registry = (data / "agencies.toml").read_text("utf-8")
    (data / "agencies.toml").write_text(
        registry.replace('name_en = "Beijing Municipal Finance Bureau"\n', 'name_en = ""\n')
    )
    with pytest.raises(ConfigError, match="bj-finance has no English name"):
        build(Inputs(manifest=data / "manifest.toml", registry=data / "agencies.toml"))
    (data / "agencies.toml").write_text(registry)
    table = data / "corpus" / "beijing-2022-task-division-table.txt"
    table.write_text(table.read_text("utf-8").replace("五、持续推进科研管理改革试点。", "五、。"), "utf-8")
    failed = build(Inputs(manifest=data / "manifest.toml", registry=data / "agencies.toml"))
    (violation,) = failed.report.of("violation")
    assert violation.shape == "CategoryShape" and failed.places[violation.focus].row == 8


def test_a_killed_build_leaves_the_previous_release_current(release_dir: Path, built: Built) -> None:
    before = current_release(release_dir)
    leftover = release_dir / "releases" / ".partial-20990101t000000z-killed"
    leftover.mkdir()
    (leftover / "policykg.nt").write_text("half a file")
    assert current_release(release_dir) == before
    write_release(replace(built, release="20990101t000001z-next"), release_dir)
    assert not leftover.exists()
    assert current_release(release_dir) != before


def test_missing_source_file_is_an_input_error(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(bundled.folder("data"), data)
    os.remove(data / "corpus" / "beijing-2022-task-division-table.txt")
    with pytest.raises(InputError, match="no such file"):
        build(Inputs(manifest=data / "manifest.toml", registry=data / "agencies.toml"))
