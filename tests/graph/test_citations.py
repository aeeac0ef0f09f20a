"""Citations read from the texts: titles, numbers and articles, with their sentence and whether it implements."""

from __future__ import annotations

from pathlib import Path

from graph.ingest.citations import find_citations, title_key
from graph.ingest.numbers import parse_number
from tests.helpers import ROOT

CORPUS = ROOT / "data" / "corpus"
FIXTURES = Path(__file__).parent / "fixtures"


def test_the_beijing_notice_implements_the_guiding_opinions_named_by_title_and_number() -> None:
    text = (CORPUS / "beijing-2022-implementation-opinions-PARTIAL.txt").read_text("utf-8")
    own = parse_number("京科转发〔2022〕226号")
    citations = find_citations(text, own_number=own)
    first = citations[0]
    assert first.title == "国务院办公厅关于完善科技成果评价机制的指导意见"
    assert first.number and first.number.canonical == "国办发〔2021〕26号"
    assert first.text == "《国务院办公厅关于完善科技成果评价机制的指导意见》(国办发〔2021〕26号)"
    assert (first.line, first.implements) == (3, True)
    assert first.sentence.startswith("为贯彻落实《")
    assert text[first.start : first.end] == first.text
    # the opinions it transmits are named in the same sentence, but not implemented
    enclosed = [c for c in citations if c.title == "北京市关于落实完善科技成果评价机制的实施意见"]
    assert [(c.line, c.implements) for c in enclosed] == [(3, False)]
    assert not [c for c in citations if c.number == own]  # its own number is no citation
    assert [c.line for c in citations if c.implements] == [3, 18]


def test_the_beijing_regulation_is_made_under_the_national_law_and_elsewhere_only_cites_it() -> None:
    text = (CORPUS / "beijing-2019-regulations-promoting-transformation.txt").read_text("utf-8")
    citations = find_citations(text)
    assert [(c.title, c.line, c.implements) for c in citations] == [
        ("中华人民共和国促进科技成果转化法", 7, True),  # 根据《…》…，结合本市实际，制定本条例
        ("中华人民共和国促进科技成果转化法", 41, False),  # 按照《…》的规定
    ]


def test_an_amending_decision_keeps_the_title_it_holds() -> None:
    text = (CORPUS / "law-2015-promoting-transformation-of-sci-tech-achievements.txt").read_text("utf-8")
    (decision,) = find_citations(text)
    assert decision.title == "关于修改<中华人民共和国促进科技成果转化法>的决定"
    assert decision.inner == ("中华人民共和国促进科技成果转化法",)
    assert title_key(decision.title) == title_key("关于修改〈中华人民共和国促进科技成果转化法〉的决定")


def test_a_fictional_opinion_cites_a_number_in_mixed_brackets_and_a_law_article() -> None:
    text = (FIXTURES / "lanchuan-implementation-opinions.txt").read_text("utf-8")
    citations = find_citations(text, own_number=parse_number("澜科发〔2023〕7号"))
    opinions, law, decision = citations
    assert opinions.number and opinions.number.canonical == "国办发〔2021〕26号"
    assert opinions.number.text == "国办发（2021〕26号"
    assert opinions.implements
    assert law.title == "中华人民共和国科学技术进步法"
    assert [(a.article, a.paragraph, a.text) for a in law.articles] == [(10, None, "第十条")]
    assert law.implements  # 依据《…》第十条的规定，结合本市实际，制定本实施意见
    assert decision.inner == ("某某市科技计划管理办法",)
    assert not decision.implements  # 按照《…》的要求


def test_articles_paragraphs_and_items_after_a_title() -> None:
    text = "依照《某某条例》第三十二条第二款第（三）项、第三十三条第一款和第四十条处理。"
    (citation,) = find_citations(text)
    assert [(a.article, a.paragraph) for a in citation.articles] == [(32, 2)]  # 第（三）项 is not 第三项
    text = "依照《某某条例》第三十二条第二款第三项、第三十三条第一款和第四十条处理。"
    (citation,) = find_citations(text)
    assert [(a.article, a.paragraph, a.item) for a in citation.articles] == [
        (32, 2, 3),
        (33, 1, None),
        (40, None, None),
    ]
    assert not citation.implements


def test_a_number_alone_is_a_citation_and_says_when_it_is_implemented() -> None:
    text = "根据国办发［２０２１］26号文件精神，结合本市实际，制定本方案。另见京科转发〔2022〕226号。"
    first, second = find_citations(text)
    assert (first.title, first.number and first.number.canonical, first.implements) == (
        None,
        "国办发〔2021〕26号",
        True,
    )
    assert (second.number and second.number.canonical, second.implements) == ("京科转发〔2022〕226号", False)


def test_an_unclosed_title_ends_with_its_line() -> None:
    text = "按照《某某办法的规定\n为落实《某某规划》，制定本方案。"
    (citation,) = find_citations(text)
    assert (citation.title, citation.line, citation.implements) == ("某某规划", 2, True)


def test_a_megabyte_of_citations_is_read() -> None:
    line = "为落实《关于修改〈某某法〉的决定》（国办发〔2021〕26号）第十条，制定本方案。《未闭合\n"
    citations = find_citations(line * 20000)
    assert len(citations) == 20000
    assert all(c.implements and c.number for c in citations)
