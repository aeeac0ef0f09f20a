"""Reconciliation without HTTP: how names are normalised, how batches are read, and the type table's faithfulness."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from graph import bundled
from graph.reconcile import match as rc
from graph.text import match_key


def full_width(text: str) -> str:
    """ASCII letters, digits and spaces as their full-width forms (what a Chinese input method often types)."""
    return "".join(
        "　" if c == " " else chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text
    )  # fmt: skip


@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40))
def test_names_compare_alike_in_any_width_case_or_spacing(text: str) -> None:
    assert match_key(full_width(text)) == match_key(text) == match_key(text.upper().replace(" ", "  "))
    assert match_key(match_key(text)) == match_key(text)


@given(st.text(max_size=60))
def test_keys_never_fail_and_hold_no_space_or_punctuation(text: str) -> None:
    found = match_key(text)
    assert not any(c.isspace() or unicodedata.category(c)[0] == "P" for c in found)


@pytest.mark.parametrize(
    "text",
    ["国办发〔2021〕26号", "国办发[2021]26号", "国办发（2021）26号", "国办发【2021】26号", "国办发 〔2021〕 26 号",
     "国办发［２０２１］２６号", "国办发2021年第26号", "国办发〔2021〕026号"],
)  # fmt: skip
def test_document_numbers_read_alike_whatever_their_brackets(text: str) -> None:
    assert rc.number_key(text) == "国办发〔2021〕26号"


@pytest.mark.parametrize("text", ["3", "３", "任务3", "Task 3", "task３", "第3项", " 03 "])
def test_task_numbers_read_alike(text: str) -> None:
    assert rc.number_key(text) == "3"


@pytest.mark.parametrize("text", ["市财政局", "国办发〔2021〕", "〔2021〕26号", "", "Task three"])
def test_other_text_is_no_number(text: str) -> None:
    assert rc.number_key(text) is None


def test_the_type_table_follows_the_ontology() -> None:
    ontology = Graph().parse(bundled.folder("ontology") / "policykg.ttl")
    for cls in rc.TYPES:
        declared = {str(sup) for sup in ontology.objects(URIRef(cls), RDFS.subClassOf)} & set(rc.TYPES)
        assert declared == set(rc.SUPERTYPES.get(cls, ())), cls


def test_a_query_is_read_with_its_defaults_and_caps() -> None:
    query = rc.parse_query("q0", {"query": " 市财政局 ", "limit": 10_000, "type": ["agency", "pkg:Task"]})
    assert query.text == "市财政局" and query.limit == rc.MAX_LIMIT and query.type_strict == "any"
    assert query.types == (rc.AGENCY, rc.TASK)
    assert rc.parse_query("q0", {"query": 26}).text == "26"
    assert rc.parse_single("市财政局") == rc.parse_query("query", {"query": "市财政局"})


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ({"query": "x", "limit": 2.5}, "limit must be a positive integer"),
        ({"query": "x", "limit": True}, "limit must be a positive integer"),
        ({"query": True}, "query must be a string"),
        ({"query": "  "}, "needs a non-empty query string"),
        ({"query": "x", "type": [1]}, "type must be a type id"),
        ({"query": "x", "properties": {"pid": "kind"}}, "properties must be a list"),
        ({"query": "x", "properties": [{"pid": "kind", "v": [None]}]}, "a value of property kind"),
        ({"query": "x", "properties": [{"pid": "kind", "v": ["a"] * 21}]}, "more than 20 values"),
    ],
)
def test_a_bad_query_is_named_in_the_refusal(value: object, words: str) -> None:
    with pytest.raises(rc.ReconcileError) as raised:
        rc.parse_query("row 7", value)
    assert words in str(raised.value) and '"row 7"' in str(raised.value)
    assert raised.value.status == 400


def test_an_oversized_batch_is_refused_with_413() -> None:
    with pytest.raises(rc.ReconcileError) as raised:
        rc.parse_batch("{" + ",".join(f'"q{i}": {{"query": "x"}}' for i in range(rc.MAX_BATCH + 1)) + "}")
    assert raised.value.status == 413


def test_similarity_prefers_the_closer_name() -> None:
    finance, water = match_key("北京市财政局"), match_key("北京市水务局")
    typo = match_key("北京市财正局")
    assert rc.similarity(typo, finance) > rc.similarity(typo, water) > 0
    assert rc.similarity(match_key("财政"), finance) > rc.similarity(match_key("财政"), water)
    assert rc.similarity("", finance) == 0.0
