"""The benchmarks' synthetic corpora are in the real corpus's shape and pass the same SHACL validation, and the
benchmark's own ingestion path builds its tables like `policykg build` does."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from rdflib import Graph

from bench import generate, ingest
from graph import bundled
from graph.checks.shacl import validate
from graph.ingest.triples import new_graph
from graph.rdf import iris
from graph.rdf.namespaces import ELI, PKG, RDF


@pytest.fixture(scope="module")
def synthetic() -> Graph:
    union = new_graph()
    for graph in generate.corpus(seed=7, target=12_000):
        union += graph
    return union


def test_a_small_synthetic_corpus_conforms_to_the_shapes(synthetic: Graph) -> None:
    shapes = Graph().parse(bundled.shapes_file(), format="turtle")
    ontology = Graph().parse(bundled.ontology_file(), format="turtle")
    report = validate(synthetic, shapes, ontology)
    assert report.conforms, [(r.focus, r.message_en) for r in report.of("violation")][:5]


def test_it_has_the_real_shape_tasks_with_one_lead_links_to_measures_and_a_busiest_agency(synthetic: Graph) -> None:
    tasks = set(synthetic.subjects(RDF.type, PKG.Task))
    assert len(tasks) > 50
    assert all(len(set(synthetic.objects(task, PKG.leadAgency))) == 1 for task in tasks)
    assert sum(1 for task in tasks if (task, ELI.implements, None) in synthetic) > 0.9 * len(tasks)
    # Zipf: the busiest unit is named far more often than the median one
    named = Counter(synthetic.objects(None, PKG.responsibleAgency))
    counts = sorted(named.values(), reverse=True)
    assert counts[0] > 5 * counts[len(counts) // 2]


def test_the_same_seed_gives_the_same_quads_up_to_blank_node_labels() -> None:
    def lines(seed: int) -> list[bytes]:
        data = b"".join(generate.nquads(generate.corpus(seed=seed, target=3_000)))
        return sorted(re.sub(rb"_:\w+", b"_:b", line) for line in data.splitlines())

    first = lines(3)
    assert first == lines(3) and len(first) > 2_000
    assert first != lines(4)


def test_the_ingestion_benchmark_builds_conforming_tables() -> None:
    found = ingest.batch(seed=1, tables=3, say=lambda _message: None)
    assert found["conforms"] and found["tables"] == 3 and found["rows"] > 30
    assert found["tables_per_second"] > 0
    assert iris.BASE  # the tables' IRIs are the project's (checked by the build's own shapes)
