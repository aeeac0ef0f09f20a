"""The lexical SPARQL scan: keywords only where they are keywords, nesting measured without recursion."""

from __future__ import annotations

import pytest

from graph.store.sparql_text import RefusedQuery, check_operation, max_depth, names_dataset, words
from graph.store.update import UsingConflict, with_using


def test_keywords_not_variables_prefixed_names_strings_iris_or_comments() -> None:
    query = (
        'SELECT ?service WHERE { ?service ex:service "SERVICE" . <http://e/SERVICE> ?p ?o # SERVICE\n'
        "OPTIONAL { SERVICE SILENT <http://x> { ?a ?b ?c } } }"
    )
    assert [w.text for w in words(query)] == ["SELECT", "WHERE", "OPTIONAL", "SERVICE", "SILENT"]
    service = next(w for w in words(query) if w.text == "SERVICE")
    assert (service.braces, service.depth) == (2, 2)


def test_depth_of_a_hostile_query_is_measured_without_recursion() -> None:
    deep = "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 100_000 + "1" + ")" * 100_000 + ") }"
    assert max_depth(deep) == 100_002
    assert max_depth('SELECT * { FILTER(STR(?x) = "((((((") }') == 3


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("SELECT * WHERE { SERVICE <http://127.0.0.1/x> { ?s ?p ?o } }", "service_not_allowed"),
        ("LOAD <file:///etc/passwd>", "load_not_allowed"),
        ("SELECT * WHERE " + "{" * 65 + "}" * 65, "too_complex"),
    ],
)
def test_refused(text: str, code: str) -> None:
    with pytest.raises(RefusedQuery) as refused:
        check_operation(text)
    assert refused.value.code == code


def test_names_dataset() -> None:
    assert names_dataset("SELECT * FROM <http://g> WHERE { ?s ?p ?o }")
    assert not names_dataset('SELECT * WHERE { ?s ?p "FROM" }')
    assert not names_dataset("SELECT * WHERE { { SELECT * WHERE { ?from ?p ?o } } }")


def test_using_clauses_go_before_each_top_level_where() -> None:
    update = 'INSERT { ?s a <http://e/T> } WHERE { ?s ?p "WHERE" } ; DELETE WHERE { ?a ?b ?c }'
    assert with_using(update, ("http://e/g",), ("http://e/n",)) == (
        'INSERT { ?s a <http://e/T> } USING <http://e/g> USING NAMED <http://e/n> WHERE { ?s ?p "WHERE" } ; '
        "DELETE WHERE { ?a ?b ?c }"
    )
    assert with_using(update, (), ()) == update
    with pytest.raises(UsingConflict):
        with_using("WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", ("http://e/h",), ())
    with pytest.raises(ValueError):
        with_using(update, ("not an iri> <x",), ())
