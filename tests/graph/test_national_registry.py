"""The national registry (data/agencies-national.toml): the State Council's bodies, one unit under all their names
in every document, of the kinds the ontology defines, without changing how Beijing's names read."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from graph import bundled
from graph.checks.shacl import validate
from graph.errors import ConfigError
from graph.ingest.agencies import UNIT_KINDS, Registry, load_registry
from graph.ingest.kinds import read_table
from graph.ingest.manifest import Document
from graph.ingest.table import interpret
from graph.ingest.triples import registry_graph, table_graph
from graph.rdf import iris
from graph.rdf.namespaces import PKG
from graph.text import match_key
from tests.graph.headed_tables import WRITERS, Table
from tests.helpers import SEED

NATIONAL = bundled.registry_file().parent / "agencies-national.toml"


def national_entries() -> list[dict[str, object]]:
    return tomllib.loads(NATIONAL.read_text("utf-8"))["unit"]


@pytest.mark.parametrize("jurisdiction", [None, "cn", "cn-bj", "cn-gd", "cn-zj-lanchuan"])
@pytest.mark.parametrize(
    ("names", "unit"),
    [
        (["国家发展和改革委员会", "国家发展改革委", "发展改革委", "中华人民共和国国家发展和改革委员会"], "cn-ndrc"),
        (["科技部", "科学技术部", "中华人民共和国科学技术部"], "cn-most"),
        (["人力资源社会保障部", "人力资源和社会保障部"], "cn-mohrss"),
        (["人民银行", "中国人民银行"], "cn-pbc"),
        (["税务总局", "国家税务总局"], "cn-sta"),
        (["市场监管总局", "国家市场监督管理总局"], "cn-samr"),
        (["金融监管总局", "国家金融监督管理总局"], "cn-nfra"),
        (["证监会", "中国证监会", "中国证券监督管理委员会"], "cn-csrc"),
        (["中科院", "中国科学院"], "cn-cas"),
        (["工程院", "中国工程院"], "cn-cae"),
        (["中国科协", "中国科学技术协会"], "cn-cast"),
        (["国办", "国务院办公厅"], "cn-general-office-state-council"),
    ],
)
def test_every_name_of_a_national_body_is_that_one_unit_in_any_jurisdiction(
    registry: Registry, jurisdiction: str | None, names: list[str], unit: str
) -> None:
    scoped = registry.within(jurisdiction)
    assert {scoped.resolve(name).id for name in names} == {unit}


def test_two_documents_naming_one_body_differently_point_at_one_iri(tmp_path: Path, registry: Registry) -> None:
    header = ["序号", "重点任务", "牵头单位"]
    found = set()
    for place, name in (("cn", "发展改革委"), ("cn-gd", "国家发展和改革委员会")):
        path = tmp_path / f"{place}.csv"
        WRITERS[".csv"](path, Table(rows=[header, ["1", "任务。", name]]))
        document = Document(place, path, "表", "Table", "task-division-table", URIRef(f"{iris.BASE}eli/{place}/t/1"))
        scoped = registry.within(document.jurisdiction)
        graph = table_graph(document, interpret(read_table(path), scoped), scoped)
        found |= set(graph.objects(None, PKG.leadAgency))
    assert found == {iris.unit("cn-ndrc")}


def test_no_two_national_bodies_share_a_name() -> None:
    owners: dict[str, set[str]] = {}
    for entry in national_entries():
        for name in (entry["name"], entry["name_en"], *entry.get("names", [])):  # type: ignore[misc]
            owners.setdefault(match_key(str(name)), set()).add(str(entry["id"]))
    assert {name: ids for name, ids in owners.items() if len(ids) > 1} == {}


def test_every_national_body_is_national_of_a_kind_the_ontology_defines(registry: Registry) -> None:
    entries = national_entries()
    assert len(entries) > 60
    assert {entry["jurisdiction"] for entry in entries} == {"cn"}
    assert {entry["kind"] for entry in entries} == set(UNIT_KINDS)
    assert sum(entry["kind"] == "constituent-department" for entry in entries) == 26  # 国发〔2023〕5号
    for entry in entries:
        if entry["kind"] == "national-administration":  # managed by a ministry or agency of the State Council
            parent = registry.units[str(entry["parent"])]
            assert parent.kind in ("constituent-department", "directly-affiliated-agency"), entry["id"]


def test_the_registry_graph_gives_each_body_its_kind_and_conforms(registry: Registry) -> None:
    graph = registry_graph(registry)
    assert (iris.unit("cn-ndrc"), PKG.unitKind, PKG.constituentDepartment) in graph
    assert (iris.unit("cn-nea"), PKG.unitKind, PKG.nationalAdministration) in graph
    assert (iris.unit("cn-cast"), RDF.type, PKG.Agency) in graph
    assert not list(graph.objects(iris.unit("bj-finance"), PKG.unitKind))
    shapes = Graph().parse(bundled.shapes_file(), format="turtle")
    ontology = Graph().parse(bundled.ontology_file(), format="turtle")
    report = validate(graph, shapes, ontology)
    assert report.conforms, [r.message_en for r in report.results]


def test_beijings_names_read_as_they_did_without_the_national_bodies(tmp_path: Path, registry: Registry) -> None:
    alone = tmp_path / "agencies.toml"
    alone.write_text(
        bundled.registry_file().read_text("utf-8").replace('include = ["agencies-national.toml"]', ""), "utf-8"
    )
    without = load_registry(alone).within("cn-bj")
    assert not any(unit.jurisdiction == "cn" and unit.id.startswith("cn-m") for unit in without.units.values())
    beijing = registry.within("cn-bj")
    names = {name for row in read_table(SEED).rows for name in beijing.split(row.cells[3])}
    assert len(names) > 15
    assert {name: beijing.resolve(name).id for name in names} == {name: without.resolve(name).id for name in names}
    assert {unit.id: unit for unit in beijing.units.values() if unit.id.startswith("bj-")} == {
        unit.id: unit for unit in without.units.values() if unit.id.startswith("bj-")
    }


def test_the_file_cites_its_sources_and_carries_no_identifier_it_cannot_source() -> None:
    header = NATIONAL.read_text("utf-8").split("[[unit]]")[0]
    assert "国发〔2023〕5号" in header and "国发〔2023〕6号" in header and "www.gov.cn" in header
    assert "统一社会信用代码" in header  # says why there are none
    assert not [entry["id"] for entry in national_entries() if entry.get("same_as") or entry.get("exact_match")]


def test_a_kind_the_registry_does_not_know_names_the_kinds_it_does(tmp_path: Path) -> None:
    path = tmp_path / "agencies.toml"
    path.write_text('[[unit]]\nid = "cn-x"\nkind = "ministry"\nname = "某部"\nname_en = "X"\n', "utf-8")
    with pytest.raises(ConfigError, match="constituent-department") as raised:
        load_registry(path)
    assert "cn-x" in str(raised.value)
