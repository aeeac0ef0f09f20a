"""The OWL ontology: its metadata, labels, alignments and axioms, and HermiT's verdict on it and the data.

The HermiT tests need Java. They are never skipped: without Java they fail with graph.checks.owl's
ConfigError, which says what to install.
"""

from __future__ import annotations

import itertools
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import ORG, PROV
from rdflib.term import Node

from graph import bundled
from graph.checks.owl import (
    ConsistencyResult,
    ReasonerError,
    ReasonerTimeoutError,
    check_consistency,
    reason,
)
from graph.errors import ConfigError
from graph.rdf import iris
from graph.rdf.namespaces import ELI, PKG
from graph.release.build import Built, build

FIXTURES = Path(__file__).parent / "fixtures"
ONTOLOGY_IRI = URIRef("https://w3id.org/policykg/ontology")
PKG_NS = str(PKG._NS)
# URIRef.startswith takes no tuple of prefixes (rdflib converts its argument with str), so compare str(term).
BUILT_IN = tuple(str(namespace) for namespace in (RDF, RDFS, OWL, XSD))
DECLARATION_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual)
AXIOM_PREDICATES = (RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.equivalentClass)
LIST_PREDICATES = (OWL.unionOf, OWL.oneOf, OWL.members, OWL.propertyChainAxiom)
MAIN_CLASSES = (PKG.Policy, PKG.Category, PKG.Task, PKG.ResponsibleUnit, PKG.Role, PKG.Assignment)

# Each inconsistent fixture and the triple whose removal makes it consistent again.
EX = "https://example.org/policykg-test/"
CONTRADICTIONS = {
    "task-and-agency.ttl": (URIRef(EX + "task-and-agency/x"), RDF.type, PKG.Agency),
    "two-task-numbers.ttl": (URIRef(EX + "two-task-numbers/task"), PKG.taskNumber, Literal(2)),
    "two-unit-kinds.ttl": (URIRef(EX + "two-unit-kinds/agency"), PKG.unitKind, PKG.nationalAdministration),
}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(bundled.ontology_file(), format="turtle")


@pytest.fixture(scope="module")
def corpus() -> Built:
    """One build of the bundled corpus for this module: the ontology graph and every data graph."""
    return build()


@pytest.fixture(scope="module")
def corpus_result(corpus: Built) -> ConsistencyResult:
    return check_consistency(corpus.graphs)


def fixture_graph(name: str) -> Graph:
    return Graph().parse(FIXTURES / name, format="turtle")


def declared_terms(ontology: Graph) -> set[URIRef]:
    """The pkg: IRIs the ontology gives a type."""
    return {s for s in ontology.subjects(RDF.type, None) if isinstance(s, URIRef) and s.startswith(PKG_NS)}


def texts(graph: Graph, subject: URIRef, predicate: URIRef) -> dict[str | None, list[str]]:
    found: dict[str | None, list[str]] = {}
    for value in graph.objects(subject, predicate):
        assert isinstance(value, Literal), f"{subject} {predicate} {value!r} is not a literal"
        found.setdefault(value.language, []).append(str(value))
    return found


def axiom_terms(ontology: Graph) -> Iterator[URIRef]:
    """The IRIs the ontology's axioms refer to: their objects, and the members of their RDF lists."""
    for predicate in AXIOM_PREDICATES:
        yield from (o for o in ontology.objects(None, predicate) if isinstance(o, URIRef))
    for predicate in LIST_PREDICATES:
        for head in ontology.objects(None, predicate):
            yield from (item for item in Collection(ontology, head) if isinstance(item, URIRef))


def disjoint_pairs(ontology: Graph) -> set[frozenset[Node]]:
    """The pairs of classes declared disjoint, by owl:disjointWith or owl:AllDisjointClasses."""
    pairs = {frozenset(pair) for pair in ontology.subject_objects(OWL.disjointWith)}
    for axiom in ontology.subjects(RDF.type, OWL.AllDisjointClasses):
        members = ontology.value(axiom, OWL.members)
        assert members is not None, "an owl:AllDisjointClasses without owl:members"
        pairs |= {frozenset(pair) for pair in itertools.combinations(Collection(ontology, members), 2)}
    return pairs


# Metadata, labels and the closed namespace


def test_ontology_parses_and_has_version(ontology: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    version_info = ontology.value(ONTOLOGY_IRI, OWL.versionInfo)
    version_iri = ontology.value(ONTOLOGY_IRI, OWL.versionIRI)
    assert isinstance(version_info, Literal) and str(version_info)
    assert version_iri == URIRef(f"{ONTOLOGY_IRI}/{version_info}")


def test_ontology_has_no_imports(ontology: Graph) -> None:
    assert list(ontology.triples((None, OWL.imports, None))) == []


@pytest.mark.parametrize("kind", DECLARATION_TYPES, ids=lambda kind: kind.fragment)
def test_every_term_has_labels_and_definitions_in_chinese_and_english(ontology: Graph, kind: URIRef) -> None:
    terms = sorted(s for s in ontology.subjects(RDF.type, kind) if isinstance(s, URIRef) and s.startswith(PKG_NS))
    assert terms, f"no pkg: term is an {kind}"
    missing = [
        f"{term.removeprefix(PKG_NS)} {predicate.fragment}@{language}"
        for term in terms
        for predicate in (RDFS.label, SKOS.definition)
        for language in ("zh", "en")
        if not texts(ontology, term, predicate).get(language)
    ]
    assert missing == []


def test_namespace_lists_exactly_the_declared_terms(ontology: Graph) -> None:
    listed = {PKG[name] for name in PKG.__annotations__}
    declared = declared_terms(ontology)
    assert sorted(declared - listed) == [], "declared in the ontology but missing from graph.namespaces.PKG"
    assert sorted(listed - declared) == [], "listed in graph.namespaces.PKG but not declared in the ontology"


def test_namespace_is_closed() -> None:
    with pytest.raises(AttributeError):
        _ = PKG.somethingMisspelt


# Alignments and external terms


@pytest.mark.parametrize(
    ("term", "predicate", "target"),
    [
        (PKG.Policy, RDFS.subClassOf, ELI.LegalResource),
        (PKG.Agency, RDFS.subClassOf, ORG.FormalOrganization),
        (PKG.Category, RDFS.subClassOf, SKOS.Concept),
        (PKG.Task, RDFS.subClassOf, ELI.LegalResourceSubdivision),
        (PKG.Category, RDFS.subClassOf, ELI.LegalResourceSubdivision),
        (PKG.sourceRow, RDFS.subPropertyOf, PROV.wasDerivedFrom),
    ],
)
def test_alignment(ontology: Graph, term: URIRef, predicate: URIRef, target: URIRef) -> None:
    assert (term, predicate, target) in ontology


def test_external_terms_in_axioms_are_declared(ontology: Graph) -> None:
    """OWL 2 DL parsers must know whether an external IRI is a class or which kind of property it is."""
    external = {term for term in axiom_terms(ontology) if not str(term).startswith((PKG_NS, *BUILT_IN))}
    assert external, "expected the ontology to align with external vocabularies"
    undeclared = sorted(term for term in external if ontology.value(term, RDF.type) is None)
    assert undeclared == []


def test_terms_used_by_the_data_are_declared(ontology: Graph, corpus: Built) -> None:
    """Every predicate and class the built data uses is declared, so its kind is known without imports."""
    data = Graph()
    for graph in corpus.graphs:
        if graph.identifier != iris.ONTOLOGY_GRAPH:
            data += graph
    used = {p for p in data.predicates() if isinstance(p, URIRef)}
    used |= {o for o in data.objects(None, RDF.type) if isinstance(o, URIRef)}
    undeclared = sorted(
        term for term in used if not str(term).startswith(BUILT_IN) and ontology.value(term, RDF.type) is None
    )
    assert undeclared == []


# Axioms


@pytest.mark.parametrize("prop", [PKG.taskNumber, PKG.category, PKG.deadline, PKG.unitKind], ids=lambda p: p.fragment)
def test_functional_properties(ontology: Graph, prop: URIRef) -> None:
    assert (prop, RDF.type, OWL.FunctionalProperty) in ontology


def test_main_classes_are_pairwise_disjoint(ontology: Graph) -> None:
    pairs = disjoint_pairs(ontology)
    missing = [
        f"{a.fragment} / {b.fragment}"
        for a, b in itertools.combinations(MAIN_CLASSES, 2)
        if frozenset((a, b)) not in pairs
    ]
    assert missing == []


# HermiT (through graph.checks.owl, in a child process)


def test_built_graph_is_consistent(corpus_result: ConsistencyResult) -> None:
    assert corpus_result.consistent, corpus_result.explanation
    assert corpus_result.explanation is None
    assert corpus_result.unsatisfiable == ()


def test_only_xsd_date_is_outside_the_owl2_datatype_map(corpus_result: ConsistencyResult) -> None:
    """ELI's dates are xsd:date, which OWL 2 lacks: HermiT treats them as opaque. Anything new needs a look."""
    assert corpus_result.unsupported_datatypes == (str(XSD.date),)


@pytest.mark.parametrize("name", sorted(CONTRADICTIONS))
def test_contradicting_fixture_is_inconsistent(ontology: Graph, name: str) -> None:
    result = check_consistency([ontology, fixture_graph(name)])
    assert not result.consistent
    assert result.explanation and "inconsistent" in result.explanation


def test_fixtures_without_their_contradiction_are_consistent(ontology: Graph) -> None:
    """The control for the test above: the reasoner objects to the contradiction, not to the rest."""
    graphs = [ontology]
    for name, contradiction in CONTRADICTIONS.items():
        graph = fixture_graph(name)
        assert contradiction in graph, f"{name} no longer states {contradiction}"
        graph.remove(contradiction)
        graphs.append(graph)
    result = check_consistency(graphs)
    assert result.consistent, result.explanation


def test_unsatisfiable_classes_are_reported(ontology: Graph) -> None:
    result = check_consistency([ontology, fixture_graph("unsatisfiable-class.ttl")])
    assert result.consistent
    assert result.unsatisfiable == (EX + "unsatisfiable-class/TaskPolicy",)


def test_input_outside_owl2_dl_is_an_error(ontology: Graph) -> None:
    with pytest.raises(ReasonerError, match=r"HermiT rejected the input:\n.*Non-simple property .*responsibleAgency"):
        check_consistency([ontology, fixture_graph("non-simple-functional.ttl")])


def test_owl_imports_are_not_followed(ontology: Graph) -> None:
    """An owl:imports of an unreachable IRI is dropped before owlready2 could try to fetch it."""
    importing = Graph()
    importing.add((ONTOLOGY_IRI, OWL.imports, URIRef("https://policykg.invalid/never-fetched")))
    assert check_consistency([ontology, importing], timeout=60).consistent


def test_missing_java_is_a_config_error(ontology: Graph) -> None:
    with pytest.raises(ConfigError, match=r"needs Java \(a JRE\); install e\.g\. Debian's default-jre-headless"):
        check_consistency([ontology], java="/nonexistent/bin/java")


def test_child_reports_java_that_cannot_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Java that disappears after the check in the parent: the child maps owlready2's FileNotFoundError."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # owlready2 leaves its input file behind here
    triples = tmp_path / "empty.nt"
    triples.write_text("")
    assert reason(triples, "/nonexistent/bin/java")["status"] == "java-missing"


def test_timeout_stops_the_reasoner(corpus: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    started = time.monotonic()
    with pytest.raises(ReasonerTimeoutError, match="did not finish within 1 s") as raised:
        check_consistency(corpus.graphs, timeout=1)
    assert time.monotonic() - started < 10
    assert isinstance(raised.value, TimeoutError)
    assert isinstance(raised.value, ConfigError)
    assert processes_mentioning(str(tmp_path)) == [], "the child or its JVM outlived the timeout"
    assert list(tmp_path.iterdir()) == [], "the temporary folder was left behind"


def processes_mentioning(text: str) -> list[str]:
    """Command lines of running processes that contain `text` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if text in command:
            found.append(command)
    return found
