"""Every SHACL node shape of PolicyKG, shown passing and failing on small Turtle fixtures.

A fixture in fixtures/ is named after the shape it shows and what it shows:

    <ShapeName>.conforms[.<label>].ttl          valid data: validation reports nothing at all
    <ShapeName>.<severity>.<label>.ttl          severity is violation, warning or info

Fixtures are read the way `policykg validate FILE.ttl` reads an uploaded file, and validated with
the bundled shapes and ontology.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from graph import bundled
from graph.checks.shacl import Report, validate
from graph.rdf.namespaces import PKG, SH
from graph.rdf.parse import parse_rdf, parse_rdf_file

FIXTURES = Path(__file__).parent / "fixtures"
SHAPES_NS = "https://w3id.org/policykg/shapes#"
NAME = re.compile(
    r"(?P<shape>[A-Z][A-Za-z]*Shape)\."
    r"(?:conforms(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)?|(?P<severity>violation|warning|info)\.[a-z0-9]+(?:-[a-z0-9]+)*)"
    r"\.ttl"
)


@dataclass(frozen=True)
class Fixture:
    path: Path
    shape: str
    severity: str | None  # None: the fixture conforms

    @classmethod
    def of(cls, path: Path) -> Fixture:
        match = NAME.fullmatch(path.name)
        if match is None:
            raise ValueError(f"{path.name}: not <Shape>.conforms[.<label>].ttl or <Shape>.<severity>.<label>.ttl")
        return cls(path, match["shape"], match["severity"])


def fixture_files() -> list[Path]:
    return sorted(FIXTURES.iterdir())


def fixtures() -> list[Fixture]:
    return [Fixture.of(path) for path in fixture_files() if NAME.fullmatch(path.name)]


def params(conforming: bool) -> list[object]:
    return [
        pytest.param(fixture, id=fixture.path.name)
        for fixture in fixtures()
        if (fixture.severity is None) == conforming
    ]


@dataclass(frozen=True)
class Rules:
    shapes: Graph
    ontology: Graph


@pytest.fixture(scope="module")
def rules() -> Rules:
    return Rules(
        shapes=Graph().parse(bundled.shapes_file(), format="turtle"),
        ontology=Graph().parse(bundled.ontology_file(), format="turtle"),
    )


def check(data: Graph, rules: Rules) -> Report:
    return validate(data, rules.shapes, rules.ontology)


def describe(report: Report) -> str:
    if not report.results:
        return "  (no results)"
    return "\n".join(
        f"  {r.severity} {r.shape} focus={r.focus} path={r.path} value={r.value!r}: {r.message_en}"
        for r in report.results
    )


def declared_shapes(shapes: Graph) -> set[str]:
    names = set()
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        assert isinstance(shape, URIRef) and str(shape).startswith(SHAPES_NS), f"unexpected node shape {shape}"
        names.add(str(shape).removeprefix(SHAPES_NS))
    return names


@pytest.mark.parametrize("fixture", params(conforming=True))
def test_conforming_fixture_has_no_results(fixture: Fixture, rules: Rules) -> None:
    report = check(parse_rdf_file(fixture.path), rules)
    assert report.results == [], f"{fixture.path.name} should be valid, but validation reports:\n{describe(report)}"


@pytest.mark.parametrize("fixture", params(conforming=False))
def test_failing_fixture_is_reported_by_its_shape(fixture: Fixture, rules: Rules) -> None:
    report = check(parse_rdf_file(fixture.path), rules)
    expected = [r for r in report.results if r.shape == fixture.shape and r.severity == fixture.severity]
    assert expected, (
        f"{fixture.path.name}: no {fixture.severity} from {fixture.shape}; validation reports:\n" + describe(report)
    )
    # Focused: a fixture shows one shape at one severity, so another shape's violation cannot stand in
    # for the one it is named after, and a warning or info fixture does not also stop a build.
    unrelated = [r for r in report.results if r not in expected]
    assert not unrelated, f"{fixture.path.name} also shows other results:\n{describe(report)}"
    assert report.conforms is (fixture.severity != "violation")


def test_fixture_files_are_named_after_a_declared_shape_and_say_what_they_show(rules: Rules) -> None:
    declared = declared_shapes(rules.shapes)
    problems = []
    for path in fixture_files():
        if not NAME.fullmatch(path.name):
            problems.append(f"{path.name}: not <Shape>.conforms[.<label>].ttl or <Shape>.<severity>.<label>.ttl")
            continue
        if Fixture.of(path).shape not in declared:
            problems.append(f"{path.name}: {Fixture.of(path).shape} is not a node shape of {bundled.shapes_file()}")
        first = path.read_text(encoding="utf-8").splitlines()[0]
        if not first.startswith("# ") or len(first) < 10:
            problems.append(f"{path.name}: first line should be a '# ' comment saying what the fixture shows")
    assert not problems, "\n".join(problems)


def test_every_node_shape_has_a_conforming_and_a_failing_fixture(rules: Rules) -> None:
    declared = declared_shapes(rules.shapes)
    assert len(declared) >= 7
    conforming = {f.shape for f in fixtures() if f.severity is None}
    failing = {f.shape for f in fixtures() if f.severity is not None}
    assert not declared - conforming, f"node shapes without a conforming fixture: {sorted(declared - conforming)}"
    assert not declared - failing, f"node shapes without a non-conforming fixture: {sorted(declared - failing)}"


def test_every_shape_message_is_in_chinese_and_english(rules: Rules) -> None:
    shapes = rules.shapes
    carriers = set(shapes.subjects(SH.message))
    assert len(carriers) > 20
    problems = []
    for shape in carriers:
        messages = list(shapes.objects(shape, SH.message))
        languages = sorted(m.language or "(no language)" if isinstance(m, Literal) else "(not text)" for m in messages)
        if languages != ["en", "zh"]:
            problems.append(f"{where(shapes, shape)}: messages in {languages}: {[str(m) for m in messages]}")
    assert not problems, "every sh:message needs exactly one @zh and one @en text:\n" + "\n".join(problems)


def where(shapes: Graph, shape: Node) -> str:
    """A node shape's name, or its parent's name and the path of a property shape."""
    parent = next(shapes.subjects(SH.property, shape), None)
    if parent is None:
        return str(shape).removeprefix(SHAPES_NS)
    return f"{str(parent).removeprefix(SHAPES_NS)} sh:path {shapes.value(shape, SH.path)}"


SMUGGLED_SHAPES = """
@prefix sh:    <http://www.w3.org/ns/shacl#> .
@prefix pkg:   <https://w3id.org/policykg/ontology#> .
@prefix pkgsh: <https://w3id.org/policykg/shapes#> .

pkg:Evil a sh:NodeShape ;
    sh:targetClass pkg:Task ;
    sh:nodeKind sh:Literal .

pkgsh:TaskShape sh:deactivated true .
"""


def test_shapes_in_the_data_cannot_switch_ours_off_or_add_their_own(rules: Rules) -> None:
    fixture = FIXTURES / "TaskShape.violation.two-leads.ttl"
    text = fixture.read_text(encoding="utf-8")
    plain = check(parse_rdf(text.encode("utf-8"), RdfFormat.TURTLE, fixture.name), rules)
    assert any(r.shape == "TaskShape" and r.severity == "violation" for r in plain.results), describe(plain)

    smuggled = check(parse_rdf((text + SMUGGLED_SHAPES).encode("utf-8"), RdfFormat.TURTLE, "upload.ttl"), rules)

    assert not smuggled.conforms
    assert Counter(smuggled.results) == Counter(plain.results), (
        f"shapes in the data changed the report\nwithout them:\n{describe(plain)}\nwith them:\n{describe(smuggled)}"
    )


def test_full_width_task_number_is_rejected_when_the_shapes_see_it(rules: Rules) -> None:
    """TaskShape itself rejects "１２"^^xsd:integer, however the value reaches it."""
    data = parse_rdf_file(FIXTURES / "TaskShape.conforms.ttl")
    task = next(data.subjects(RDF.type, PKG.Task))
    data.set((task, PKG.taskNumber, Literal("１２", datatype=XSD.integer, normalize=False)))

    report = check(data, rules)

    assert [(r.severity, r.shape, r.focus, r.path, str(r.value)) for r in report.results] == [
        ("violation", "TaskShape", task, str(PKG.taskNumber), "１２")
    ], describe(report)
