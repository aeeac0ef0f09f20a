"""Units belong to a jurisdiction: another city's 市教委 is never Beijing's, and adding its table leaves Beijing's
units, tasks and counts as they were."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from graph import bundled
from graph.errors import ConfigError
from graph.ingest.agencies import Registry, Unit, load_registry
from graph.rdf import iris
from graph.rdf.namespaces import PKG, SKOS
from graph.release.build import Built, Inputs, build

CITY = "cn-zj-lanchuan"  # a fictional city of Zhejiang, written for this test
CITY_TABLE = """分类,任务编号,任务内容,责任单位
一、完善评价体系,1,建立澜川市科技成果评价试点名录。,市教委，市财政局
,2,推动高校院所开展成果分类评价。,市科协，市教委
二、强化激励保障,3,落实成果转化收益分配政策。,市财政局，市人力资源社会保障局，市国资委
"""
CITY_ENTRY = f"""
[[document]]
id = "lanchuan-2023-task-table"
file = "corpus/lanchuan-2023-task-table.csv"
reader = "csv"
eli = "{CITY}/task-division-table/2023/1"
title = "澜川市科技成果评价改革任务分工表"
title_en = "Lanchuan task-division table for the reform of evaluating scientific and technological achievements"
kind = "task-division-table"
date = 2023-03-18
"""
BEIJING_NAMES = ("市教委", "市财政局", "市科协", "市人力资源社会保障局", "市国资委")


def with_city(tmp_path: Path, registry_extra: str = "") -> Inputs:
    data = tmp_path / "data"
    shutil.copytree(bundled.folder("data"), data)
    (data / "corpus" / "lanchuan-2023-task-table.csv").write_text(CITY_TABLE, "utf-8")
    manifest = data / "manifest.toml"
    manifest.write_text(manifest.read_text("utf-8") + CITY_ENTRY, "utf-8")
    registry = data / "agencies.toml"
    registry.write_text(registry.read_text("utf-8") + registry_extra, "utf-8")
    return Inputs(manifest=manifest, registry=registry)


def units_of(built: Built, document: str) -> set[URIRef]:
    (graph,) = [g for g in built.graphs if g.identifier == iris.named_graph(document)]
    return {URIRef(str(o)) for o in graph.objects(None, PKG.responsibleAgency)}


def tasks_by_unit(union: Graph) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for task, unit in union.subject_objects(PKG.responsibleAgency):
        found.setdefault(str(unit), set()).add(str(task))
    return found


@pytest.fixture(scope="module")
def city_built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build(with_city(tmp_path_factory.mktemp("city")))


def test_every_bundled_unit_records_its_jurisdiction() -> None:
    registry = load_registry(bundled.registry_file())
    assert {unit.id: unit.jurisdiction for unit in registry.units.values() if unit.jurisdiction is None} == {}
    assert registry.units["bj-education"].jurisdiction == "cn-bj"
    assert registry.units["cn-general-office-state-council"].jurisdiction == "cn"


def test_another_citys_units_are_not_beijings(city_built: Built) -> None:
    assert city_built.report.conforms
    city = units_of(city_built, "lanchuan-2023-task-table")
    assert len(city) == 5  # 市教委, 市财政局, 市科协, 市人力资源社会保障局, 市国资委 of Lanchuan
    beijing = {iris.unit(unit.id) for unit in load_registry(bundled.registry_file()).units.values()}
    assert city.isdisjoint(beijing)
    assert all(CITY in str(unit) for unit in city)  # the IRI says where the unit is
    union = city_built.union()
    labels = {str(label) for unit in city for label in union.objects(unit, SKOS.prefLabel)}
    assert {f"{name}（{CITY}）" for name in BEIJING_NAMES} <= labels  # and so does its label


def test_beijings_units_keep_their_tasks_when_another_citys_table_is_added(built: Built, city_built: Built) -> None:
    before, after = tasks_by_unit(built.union()), tasks_by_unit(city_built.union())
    beijing = [str(iris.unit(unit.id)) for unit in load_registry(bundled.registry_file()).units.values()]
    assert {unit: after.get(unit) for unit in beijing} == {unit: before.get(unit) for unit in beijing}


def test_the_citys_own_units_are_registered_under_their_own_ids(tmp_path: Path) -> None:
    """Registering another jurisdiction's units is a data file: the same short name in two jurisdictions is fine."""
    extra = f"""
[[unit]]
id = "lanchuan-education"
jurisdiction = "{CITY}"
kind = "agency"
name = "澜川市教育局"
name_en = "Lanchuan Municipal Education Bureau"
names = ["市教委"]
"""
    built = build(with_city(tmp_path, extra))
    assert built.report.conforms
    city = units_of(built, "lanchuan-2023-task-table")
    assert iris.unit("lanchuan-education") in city
    assert iris.unit("bj-education") not in city
    assert iris.unit("bj-education") in units_of(built, "beijing-2022-task-division-table")
    union = built.union()
    assert Literal("澜川市教育局", lang="zh") in set(union.objects(iris.unit("lanchuan-education"), SKOS.prefLabel))


def test_a_name_given_twice_in_one_jurisdiction_still_stops_the_build() -> None:
    units = [
        Unit("a-one", "甲局", kind="agency", name_en="A", names=("市甲局",), jurisdiction="cn-bj"),
        Unit("a-two", "乙局", kind="agency", name_en="B", names=("市甲局",), jurisdiction="cn-bj"),
    ]
    with pytest.raises(ConfigError, match="given to both a-one and a-two in cn-bj"):
        Registry(units)


def test_a_city_reads_its_provinces_and_the_nations_units_but_not_another_citys() -> None:
    units = [
        Unit(
            "zj-edu",
            "浙江省教育厅",
            kind="agency",
            name_en="Zhejiang Education",
            names=("省教育厅",),
            jurisdiction="cn-zj",
        ),
        Unit("moe", "教育部", kind="agency", name_en="Ministry of Education", jurisdiction="cn"),
        Unit(
            "other-edu", "别市教育局", kind="agency", name_en="Other", names=("市教育局",), jurisdiction="cn-zj-other"
        ),
    ]
    city = Registry(units).within(CITY)
    assert city.resolve("省教育厅").id == "zj-edu"
    assert city.resolve("教育部").id == "moe"
    minted = city.resolve("市教育局")
    assert minted.id.startswith(f"unregistered-{CITY}-") and not minted.registered
    assert Registry(units).within("cn-zj-other").resolve("市教育局").id == "other-edu"
