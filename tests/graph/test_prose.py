"""The prose reader on the real corpus: the counts the corpus README gives, exactly, and nothing dropped."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from graph.errors import InputError
from graph.rdf.namespaces import PKG
from graph.readers.prose import read_law, read_opinions
from tests.helpers import ROOT

CORPUS = ROOT / "data" / "corpus"
GUOBANFA = "https://w3id.org/policykg/eli/cn/guobanfa/2021/26"
LAW_2015 = "https://w3id.org/policykg/eli/cn/law/2015/promoting-transformation-of-sci-tech-achievements"


@pytest.mark.parametrize(
    ("name", "chapters", "articles"),
    [
        ("law-2015-promoting-transformation-of-sci-tech-achievements.txt", 6, 52),
        ("law-2021-science-and-technology-progress.txt", 12, 117),
        ("beijing-2019-regulations-promoting-transformation.txt", 6, 45),
    ],
)
def test_laws_have_the_chapters_and_articles_the_corpus_readme_gives(name: str, chapters: int, articles: int) -> None:
    law = read_law(CORPUS / name)
    assert law.count("chapter") == chapters
    assert law.count("article") == articles
    assert [a.number for a in law.all() if a.kind == "article"] == list(range(1, articles + 1))
    assert [c.number for c in law.provisions] == list(range(1, chapters + 1))
    assert not [n for n in law.notices if n.severity != "info"]
    text = (CORPUS / name).read_text("utf-8")
    assert sum(len(p.paragraphs) for p in law.all()) + len(law.preamble) == len(
        [x for x in text.splitlines() if x.strip()]
    ) - chapters - sum(
        1 for p in law.all() if p.kind == "paragraph" and not p.paragraphs
    )  # every non-empty line is a heading, a paragraph or the preamble: nothing dropped


def test_full_width_chapter_headings() -> None:
    law = read_law(CORPUS / "beijing-2019-regulations-promoting-transformation.txt")
    assert [(c.notation, c.heading) for c in law.provisions][:2] == [("第一章", "总则"), ("第二章", "成果权益")]


def test_articles_keep_their_paragraphs_and_items() -> None:
    law = read_law(CORPUS / "law-2015-promoting-transformation-of-sci-tech-achievements.txt")
    article = {a.number: a for a in law.all() if a.kind == "article"}
    assert len(article[11].children) == 3  # three paragraphs (款)
    sixteen = article[16].children[0]
    assert [item.notation for item in sixteen.children] == ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）"]
    assert not [a for a in article.values() if "章程" in (a.heading or "")]  # 第五十一条…章程 is not a chapter


def test_guiding_opinions_parts_and_measures() -> None:
    opinions = read_opinions(CORPUS / "guobanfa-2021-26-guiding-opinions.txt")
    assert [(p.notation, p.heading, len(p.children)) for p in opinions.provisions] == [
        ("一", "总体要求", 2), ("二", "主要工作措施", 10), ("三", "组织实施", 4),
    ]  # fmt: skip
    principles = opinions.provisions[0].children[1]
    assert principles.heading == "基本原则" and len(principles.paragraphs) == 4
    assert opinions.provisions[1].children[7].heading == "坚决破解科技成果评价中的“唯论文、唯职称、唯学历、唯奖项”问题"
    assert opinions.sign_off == ["国务院办公厅", "2021年7月16日"]
    assert opinions.preamble[1] == "国办发〔2021〕26号"


def test_the_partial_opinions_are_marked_incomplete() -> None:
    partial = read_opinions(CORPUS / "beijing-2022-implementation-opinions-PARTIAL.txt")
    assert partial.incomplete
    (notice,) = [n for n in partial.notices if n.severity == "warning"]
    assert "incomplete" in notice.message and notice.where.line == 22
    assert partial.provisions[0].children[0].heading == "工作思路"  # half-width （一） as (一)


def test_half_and_full_width_variants(tmp_path: Path) -> None:
    path = tmp_path / "law.txt"
    path.write_text(
        "某某条例\n\n第一章　总　　则\n\n第一条　为了规范，制定本条例。\n第二条 本条例适用于本市。\n本款是第二款。\n（一）第一项；\n(二)第二项。\n第二章 附则\n第三条 本条例自公布之日起施行。\n",
        "utf-8",
    )
    law = read_law(path)
    assert [(c.notation, c.heading) for c in law.provisions] == [("第一章", "总则"), ("第二章", "附则")]
    article2 = law.provisions[0].children[1]
    assert [len(p.children) for p in article2.children] == [0, 2]


def test_a_gap_in_numbering_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "law.txt"
    path.write_text("第一章 总则\n第一条 一。\n第三条 三。\n", "utf-8")
    notices = [n.message for n in read_law(path).notices]
    assert notices == ["第三条 follows number 1"]


def test_no_provisions_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("只有一段文字。\n", "utf-8")
    with pytest.raises(InputError, match="no numbered provision"):
        read_law(path)


def test_provisions_in_the_graph(union: Graph) -> None:
    measures = set(union.subjects(RDF.type, PKG.Measure))
    assert {str(m) for m in measures} == {f"{GUOBANFA}/part/2/item/{n}" for n in range(1, 11)}
    three = URIRef(f"{GUOBANFA}/part/2/item/3")
    assert union.value(three, PKG.heading) == Literal("加快推进国家科技项目成果评价改革", lang="zh")
    assert union.value(three, SKOS.prefLabel, any=True) is not None
    assert union.value(three, PKG.parent) == URIRef(f"{GUOBANFA}/part/2")
    article = URIRef(f"{LAW_2015}/article/20")
    assert union.value(article, PKG.parent) == URIRef(f"{LAW_2015}/chapter/2")
    assert (URIRef(f"{LAW_2015}/article/20/paragraph/2"), PKG.parent, article) in union
    assert len(set(union.subjects(RDF.type, PKG.Article))) == 52 + 117 + 45
    assert (
        URIRef("https://w3id.org/policykg/eli/cn-bj/jingkezhuanfa/2022/226"),
        PKG.incomplete,
        Literal(True),
    ) in union
