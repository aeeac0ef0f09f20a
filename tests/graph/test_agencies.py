"""Splitting 责任单位 cells into units and naming them from the registry."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import RDF, SKOS

from graph.checks.shacl import validate
from graph.errors import ConfigError
from graph.ingest.agencies import Registry, Unit, load_registry, unregistered
from graph.ingest.kinds import read_table
from graph.ingest.manifest import Document
from graph.ingest.table import interpret
from graph.ingest.triples import table_graph
from graph.rdf import iris
from graph.rdf.namespaces import PKG
from tests.helpers import SEED


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("市科委、中关村管委会", ["市科委、中关村管委会"]),
        ("市科委、中关村管委会,市金融监管局", ["市科委、中关村管委会", "市金融监管局"]),
        (
            "市科委、中关村管委会，市卫生健康委，各区人民政府、北京经济技术开发区管委会",
            ["市科委、中关村管委会", "市卫生健康委", "各区人民政府", "北京经济技术开发区管委会"],
        ),
        ("财政部，教育部、科技部;人社部,  工信部", ["财政部", "教育部", "科技部", "人社部", "工信部"]),
        ("市教委；市财政局\n市科协", ["市教委", "市财政局", "市科协"]),
        ("市教委，，市财政局，", ["市教委", "市财政局"]),
        (" 市教委 ", ["市教委"]),
    ],
)
def test_split(registry: Registry, cell: str, expected: list[str]) -> None:
    assert registry.split(cell) == expected


def test_names_resolve_through_nfkc_and_invisible_characters(registry: Registry) -> None:
    assert registry.resolve("市科委\u200b、中关村管委会").id == "bj-sti-zgc"
    assert registry.resolve("北京市财政局").id == registry.resolve("市财政局").id == "bj-finance"
    assert registry.resolve("市科委").id == registry.resolve("中关村管委会").id == "bj-sti-zgc"
    assert registry.resolve("市 财政局").id == "bj-finance"


def test_every_name_in_the_corpus_table_is_registered(registry: Registry) -> None:
    table = interpret(read_table(SEED), registry)
    assert not [n for n in table.notices if "not in the agency registry" in n.message]
    names = {name for task in table.tasks for name in task.units}
    assert all(registry.lookup(name) for name in names)
    assert len({registry.resolve(name).id for name in names}) == 19


def test_registry_entries_are_complete(registry: Registry) -> None:
    for unit in registry.units.values():
        assert unit.registered and unit.name and unit.name_en, unit.id
        assert unit.kind in ("agency", "group") or unit.unit_kind, unit.id  # national bodies: their kind
    assert registry.units["bj-district-governments"].kind == "group"
    assert registry.units["bj-sti-zgc"].name == "北京市科学技术委员会、中关村科技园区管理委员会"


def test_an_unknown_unit_is_kept_with_a_warning_never_dropped(
    tmp_path: Path, registry: Registry, seed_document: Document
) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        "分类,任务编号,任务内容,责任单位\n一、甲,1,任务。,市科委、中关村管委会，市某某局\n", encoding="utf-8"
    )
    table = interpret(read_table(path), registry)
    assert table.tasks[0].units == ("市科委、中关村管委会", "市某某局")
    (notice,) = [n for n in table.notices if "市某某局" in n.message]
    assert notice.severity == "warning" and notice.where.row == 2 and notice.where.column == "责任单位"
    graph = table_graph(seed_document, table, registry)
    stranger = iris.unit(unregistered("市某某局").id)
    assert (stranger, SKOS.prefLabel, Literal("市某某局", lang="zh")) in graph
    assert (stranger, RDF.type, PKG.ResponsibleUnit) in graph
    assert stranger in set(graph.objects(None, PKG.participatingAgency))


def test_unknown_unit_iri_is_stable_and_cannot_carry_iri_syntax() -> None:
    hostile = "a b> <http://evil.example/x"
    unit = unregistered(hostile)
    assert unit.id == unregistered(hostile).id
    assert str(iris.unit(unit.id)).startswith("https://w3id.org/policykg/agency/unregistered-")
    assert " " not in unit.id and ">" not in unit.id and "evil" not in unit.id
    assert unregistered("市某某局\u200b").id == unregistered("市某某局").id


def test_an_unregistered_unit_surfaces_as_a_shacl_warning(
    tmp_path: Path, registry: Registry, seed_document: Document
) -> None:
    from rdflib import Graph

    from graph import bundled

    path = tmp_path / "t.csv"
    path.write_text("分类,任务编号,任务内容,责任单位\n一、甲,1,任务。,市某某局\n", encoding="utf-8")
    graph = table_graph(seed_document, interpret(read_table(path), registry), registry)
    shapes = Graph().parse(bundled.shapes_file())
    ontology = Graph().parse(bundled.ontology_file())
    report = validate(graph, shapes, ontology)
    warnings = [r for r in report.of("warning") if r.shape == "ResponsibleUnitShape"]
    assert [str(r.focus) for r in warnings] == [str(iris.unit(unregistered("市某某局").id))]
    assert "not in the agency registry" in warnings[0].message_en


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ('id = "Bad Id"\nkind = "agency"\nname = "甲"\nname_en = "A"', "must be lower-case ASCII"),
        ('id = "a"\nkind = "office"\nname = "甲"\nname_en = "A"', "kind 'office'"),
        ('id = "a"\nkind = "agency"\nname = "甲"', "has no 'name_en'"),
        ('id = "a"\nkind = "agency"\nname = "甲"\nname_en = "A"\nparent = "zzz"', "unknown parent 'zzz'"),
    ],
)
def test_registry_errors_name_the_entry(tmp_path: Path, entry: str, expected: str) -> None:
    path = tmp_path / "agencies.toml"
    path.write_text(f"[[unit]]\n{entry}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=expected):
        load_registry(path)


def test_one_name_for_two_units_is_an_error() -> None:
    first = Unit(id="a", name="甲", kind="agency", name_en="A", names=("市某局",))
    second = Unit(id="b", name="乙", kind="agency", name_en="B", names=("市某局",))
    with pytest.raises(ConfigError, match="given to both a and b"):
        Registry([first, second])
