"""Document numbers: every bracket and digit variant people type reads as one number, found where it is."""

from __future__ import annotations

import pytest

from graph.ingest.numbers import canonical_number, find_numbers, parse_number
from tests.helpers import ROOT

CORPUS = ROOT / "data" / "corpus"


@pytest.mark.parametrize(
    "typed",
    [
        "国办发〔2021〕26号",
        "国办发[2021]26号",
        "国办发［2021］26号",
        "国办发【2021】26号",
        "国办发（2021）26号",
        "国办发(2021)26号",
        "国办发﹝2021﹞26号",
        "国办发〈2021〉26号",
        "国办发（2021〕26号",  # brackets mixed
        "国办发［２０２１］２６号",  # full-width digits
        " 国办发 〔 2021 〕 26 号 ",  # spaces
        "国办发〔2021〕第26号",
    ],
)
def test_every_variant_of_a_number_has_the_same_canonical_form(typed: str) -> None:
    number = parse_number(typed)
    assert number is not None
    assert (number.issuer_code, number.year, number.serial) == ("国办发", 2021, 26)
    assert number.canonical == "国办发〔2021〕26号"
    assert number == parse_number("国办发〔2021〕26号")
    assert number.text == typed.strip()


@pytest.mark.parametrize(
    ("typed", "canonical", "code", "serial"),
    [
        ("京科转发〔2022〕226号", "京科转发〔2022〕226号", "京科转发", 226),
        ("国务院令第731号", "国务院令第731号", "国务院令", 731),
        ("中华人民共和国主席令第五十七号", "中华人民共和国主席令第57号", "中华人民共和国主席令", 57),
        ("中华人民共和国主席令（第一百零三号）", "中华人民共和国主席令第103号", "中华人民共和国主席令", 103),
        ("某某市人民政府令 第 ８ 号", "某某市人民政府令第8号", "某某市人民政府令", 8),
    ],
)
def test_document_and_order_numbers_read_to_their_parts(typed: str, canonical: str, code: str, serial: int) -> None:
    number = parse_number(typed)
    assert number is not None
    assert (number.canonical, number.issuer_code, number.serial) == (canonical, code, serial)
    assert canonical_number(typed) == canonical


def test_an_order_names_its_issuing_body_and_a_document_number_does_not() -> None:
    order, document = parse_number("国务院令第731号"), parse_number("国办发〔2021〕26号")
    assert order is not None and document is not None
    assert (order.kind, order.year, order.issuing_body) == ("order", None, "国务院")
    assert (document.kind, document.issuing_body) == ("document", None)


@pytest.mark.parametrize(
    "text", ["", "国办发", "2021年7月16日", "国办发〔2021〕号", "第十条", "为贯彻落实国办发〔2021〕26号"]
)
def test_what_is_not_exactly_one_number_parses_to_none(text: str) -> None:
    assert parse_number(text) is None


def test_numbers_in_running_text_are_found_without_the_words_before_them() -> None:
    text = "为贯彻落实国办发〔2021〕26号，\n根据国务院令第731号和京经信发【2020】3号，以中华人民共和国主席令第五十七号公布。"
    found = find_numbers(text)
    assert [m.number.canonical for m in found] == [
        "国办发〔2021〕26号",
        "国务院令第731号",
        "京经信发〔2020〕3号",
        "中华人民共和国主席令第57号",
    ]
    assert [m.line for m in found] == [1, 2, 2, 2]
    assert all(text[m.start : m.end] == m.number.text for m in found)


def test_the_corpus_numbers_are_found_where_the_texts_give_them() -> None:
    opinions = (CORPUS / "beijing-2022-implementation-opinions-PARTIAL.txt").read_text("utf-8")
    assert [(m.number.canonical, m.line) for m in find_numbers(opinions)] == [
        ("京科转发〔2022〕226号", 1),
        ("国办发〔2021〕26号", 3),
        ("国办发〔2021〕26号", 18),
    ]
    guobanfa = (CORPUS / "guobanfa-2021-26-guiding-opinions.txt").read_text("utf-8")
    assert [(m.number.canonical, m.line) for m in find_numbers(guobanfa)] == [("国办发〔2021〕26号", 3)]


def test_a_megabyte_of_text_is_searched() -> None:
    text = ("根据某某某某某某某某某某某某某某某某某某某某令第" * 20 + "国办发〔2021〕26号。\n") * 2000
    assert len(text) > 900_000
    assert len(find_numbers(text)) == 2000
