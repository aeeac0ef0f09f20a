"""The pictures drawn in graph.pictures: the ontology picture committed in docs/ is the one the ontology gives,
shows every class, property and subclass edge; the network and coverage pictures escape what they write and do
not depend on the order their data comes in."""

from __future__ import annotations

import random
import re
from pathlib import Path

import lxml.etree
import pytest
from rdflib import OWL, RDF, RDFS, BNode, Graph, URIRef
from rdflib.collection import Collection

from graph import bundled
from graph.pictures import layered, ontology
from graph.pictures.network import Network, Pair, Unit, network_svg
from graph.pictures.svg import FONT_STACK
from graph.rdf.namespaces import PREFIXES
from graph.views.records import Labels
from tests.helpers import ROOT

SVG = "{http://www.w3.org/2000/svg}"
COMMITTED = ROOT / ontology.PICTURE


def parse(text: str) -> lxml.etree._Element:
    return lxml.etree.fromstring(text.encode("utf-8"))


def texts(root: lxml.etree._Element) -> str:
    return " ".join("".join(element.itertext()) for element in root.iter(f"{SVG}text"))


def curie(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    raise AssertionError(iri)


@pytest.fixture(scope="module")
def schema() -> Graph:
    return Graph().parse(bundled.ontology_file(), format="turtle")


@pytest.fixture(scope="module")
def picture() -> lxml.etree._Element:
    return parse(COMMITTED.read_text("utf-8"))


def named(schema: Graph, kind: URIRef) -> list[str]:
    return sorted(str(s) for s in schema.subjects(RDF.type, kind) if isinstance(s, URIRef))


def members(schema: Graph, node: object) -> list[str]:
    if isinstance(node, URIRef):
        return [str(node)]
    union = schema.value(node, OWL.unionOf)  # type: ignore[arg-type]
    return [str(m) for m in Collection(schema, union)] if isinstance(union, BNode) else []


# --- the ontology picture --------------------------------------------------------------------------------
def test_the_committed_ontology_picture_is_the_one_the_ontology_gives() -> None:
    assert COMMITTED.read_text("utf-8") == ontology.from_file(), "run: python -m graph.pictures.ontology"


def test_the_check_command_fails_on_a_stale_picture_and_writes_a_fresh_one(tmp_path: Path) -> None:
    out = tmp_path / "ontology.svg"
    out.write_text(COMMITTED.read_text("utf-8").replace("pkg:Task", "pkg:Tusk"), "utf-8")
    assert ontology.main(["--out", str(out), "--check"]) == 1
    assert ontology.main(["--out", str(out)]) == 0
    assert ontology.main(["--out", str(out), "--check"]) == 0
    assert out.read_text("utf-8") == COMMITTED.read_text("utf-8")


def test_the_ontology_picture_is_an_accessible_svg_with_the_cjk_font_stack(picture: lxml.etree._Element) -> None:
    assert picture.tag == f"{SVG}svg" and picture.get("role") == "img"
    assert picture.get("font-family") == FONT_STACK and "Noto Sans CJK SC" in FONT_STACK
    assert picture.findtext(f"{SVG}title").startswith("PolicyKG 政策知识图谱本体")
    assert "个类" in picture.findtext(f"{SVG}desc")


def test_every_class_of_the_ontology_appears(schema: Graph, picture: lxml.etree._Element) -> None:
    boxes = {g.get("data-term") for g in picture.iter(f"{SVG}g") if g.get("class") == "class"}
    shown = texts(picture)
    classes = named(schema, OWL.Class)
    assert len(classes) > 20
    for iri in classes:
        if iri.startswith(PREFIXES["pkg"]):
            assert curie(iri) in boxes, iri
        else:  # an external class: on a box it is aligned with, or in the list of declared vocabularies
            assert re.search(rf"(?<![\w:]){re.escape(curie(iri))}(?!\w)", shown), iri


def test_every_object_property_is_an_arrow_from_its_domain_to_its_range(
    schema: Graph, picture: lxml.etree._Element
) -> None:
    arrows = {
        (path.get("data-source"), path.get("data-target"), "".join(path.itertext()))
        for path in picture.iter(f"{SVG}path")
        if "property" in (path.get("class") or "").split()
    }
    own = [p for p in named(schema, OWL.ObjectProperty) if p.startswith(PREFIXES["pkg"])]
    assert len(own) >= 15
    for prop in own:
        domains = [m for d in schema.objects(URIRef(prop), RDFS.domain) for m in members(schema, d)]
        ranges = [m for r in schema.objects(URIRef(prop), RDFS.range) for m in members(schema, r)]
        for domain in domains:
            for range_ in ranges:
                found = [a for a in arrows if a[0] == curie(domain) and a[1] == curie(range_) and curie(prop) in a[2]]
                assert found, (prop, domain, range_)


def test_every_subclass_edge_between_classes_of_the_ontology_is_drawn(
    schema: Graph, picture: lxml.etree._Element
) -> None:
    edges = {
        (source, path.get("data-target"))
        for path in picture.iter(f"{SVG}path")
        if path.get("class") == "subclass"
        for source in path.get("data-source").split()
    }
    expected = {
        (curie(str(sub)), curie(str(sup)))
        for sub, sup in schema.subject_objects(RDFS.subClassOf)
        if str(sub).startswith(PREFIXES["pkg"]) and str(sup).startswith(PREFIXES["pkg"])
    }
    assert len(expected) >= 9
    assert edges == expected


def test_alignments_are_written_on_the_boxes_and_arrows(picture: lxml.etree._Element) -> None:
    task = next(g for g in picture.iter(f"{SVG}g") if g.get("data-term") == "pkg:Task")
    assert {"⊑ eli:LegalResourceSubdivision", "⊑ prov:Entity"} <= {t.text for t in task.iter(f"{SVG}text")}
    shown = texts(picture)
    for alignment in ("⊑ org:FormalOrganization", "⊑ skos:Concept", "pkg:sourceRow ⊑ prov:wasDerivedFrom",
                      "pkg:rowOf ⊑ dct:isPartOf"):  # fmt: skip
        assert alignment in shown


# --- network and coverage drawing ------------------------------------------------------------------------
def unit(name: str, leads: int, joins: int) -> Unit:
    iri = f"https://w3id.org/policykg/agency/{name}"
    return Unit(
        iri,
        f"agency/{name}",
        Labels(zh=f"<{name}> & “单位”", en=f"The {name} <b>bureau</b>"),
        f"{name}&<",
        leads,
        joins,
    )


def test_names_are_escaped_and_read_back_verbatim() -> None:
    network = Network([unit("a", 2, 0), unit("b", 0, 1)], [Pair(unit("a", 0, 0).iri, unit("b", 0, 0).iri, 1)])
    root = parse(network_svg(network, lambda iri: iri + "?x=1&lang=en", "en", standalone=True))
    shown = texts(root)
    assert "a&<" in shown and "The b <b>bureau</b>" in shown
    assert {a.get("href") for a in root.iter(f"{SVG}a")} == {u.iri + "?x=1&lang=en" for u in network.units}


def test_the_layout_does_not_depend_on_the_order_of_the_data() -> None:
    units = [unit(name, i % 3, 1 + i % 4) for i, name in enumerate("abcdefghij")]
    rng = random.Random(7)
    pairs = [
        Pair(x.iri, y.iri, rng.randint(1, 5)) for x in units for y in units if x.iri < y.iri and rng.random() < 0.4
    ]
    drawn = network_svg(Network(units, pairs), str, "zh")
    rng.shuffle(units)
    rng.shuffle(pairs)
    assert network_svg(Network(units, pairs), str, "zh") == drawn


# --- the layered layout ----------------------------------------------------------------------------------
def test_layers_put_every_node_below_the_nodes_above_it_and_respect_the_width() -> None:
    below = {"a": {"b", "c", "d", "e"}, "b": {"f"}, "f": {"a"}}  # f -> a closes a cycle, which is ignored
    rows = layered.layers(list("abcdef"), below, {}, width=2)
    at = {node: index for index, row in enumerate(rows) for node in row}
    assert sorted(at) == list("abcdef") and all(len(row) <= 2 for row in rows)
    assert all(at[upper] < at[lower] for upper, lowers in below.items() for lower in lowers if upper != "f")


def test_spread_keeps_order_and_gaps_and_is_the_wanted_place_when_there_is_room() -> None:
    assert layered.spread([0.0, 100.0], [20.0, 20.0], 10.0) == [0.0, 100.0]
    placed = layered.spread([50.0, 50.0, 50.0], [20.0, 40.0, 20.0], 10.0)
    assert placed == [10.0, 50.0, 90.0]  # pushed apart symmetrically around the wanted centre
