"""Citations become links (graph.links.citing): resolution by number, title and article, the links with their
sentences, citations kept when nothing answers them, and resolved later; then the bundled corpus as it reads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from graph import bundled
from graph.ingest.manifest import load_manifest
from graph.links.citing import CITATIONS_GRAPH, Works, citation_links, resolve_pending
from graph.links.linkset import Link, add_link
from graph.rdf.namespaces import DCTERMS, ELI, PKG
from graph.release.build import Built

BASE = "https://w3id.org/policykg/eli/"
NATIONAL = URIRef(BASE + "cn/guobanfa/2021/26")
LAW_2015 = URIRef(BASE + "cn/law/2015/promoting-transformation")
LAW_1996 = URIRef(BASE + "cn/law/1996/promoting-transformation")
CITY = URIRef(BASE + "cn-zj/xikefa/2024/9")
RULES = URIRef(BASE + "cn-zj/local-regulation/2024/rules")


def policy(graph: Graph, iri: URIRef, title: str, number: str | None = None, date: str | None = None) -> URIRef:
    graph.add((iri, RDF.type, PKG.Policy))
    graph.add((iri, DCTERMS.title, Literal(title, lang="zh")))
    if number:
        graph.add((iri, PKG.documentNumber, Literal(number)))
    if date:
        graph.add((iri, ELI.date_document, Literal(date, datatype=XSD.date)))
    return iri


def article(graph: Graph, document: URIRef, number: int, text: str, paragraphs: int = 0) -> URIRef:
    node = URIRef(f"{document}/article/{number}")
    for kind in (PKG.Provision, PKG.Article):
        graph.add((node, RDF.type, kind))
    graph.add((node, PKG.document, document))
    graph.add((node, PKG.parent, document))
    graph.add((node, PKG.provisionNumber, Literal(number)))
    graph.add((node, PKG.text, Literal(text, lang="zh")))
    for k in range(1, paragraphs + 1):
        paragraph = URIRef(f"{node}/paragraph/{k}")
        for kind in (PKG.Provision, PKG.Paragraph):
            graph.add((paragraph, RDF.type, kind))
        graph.add((paragraph, PKG.document, document))
        graph.add((paragraph, PKG.parent, node))
        graph.add((paragraph, PKG.provisionNumber, Literal(k)))
    return node


def item(graph: Graph, document: URIRef, part: int, number: int, text: str) -> URIRef:
    parent = URIRef(f"{document}/part/{part}")
    for kind in (PKG.Provision, PKG.Part):
        graph.add((parent, RDF.type, kind))
    graph.add((parent, PKG.document, document))
    graph.add((parent, PKG.parent, document))
    graph.add((parent, PKG.provisionNumber, Literal(part)))
    node = URIRef(f"{parent}/item/{number}")
    for kind in (PKG.Provision, PKG.Item):
        graph.add((node, RDF.type, kind))
    graph.add((node, PKG.document, document))
    graph.add((node, PKG.parent, parent))
    graph.add((node, PKG.provisionNumber, Literal(number)))
    graph.add((node, PKG.text, Literal(text, lang="zh")))
    return node


def corpus() -> Graph:
    """The national opinions, two versions of a law (article 10 with two paragraphs), and a city's opinion."""
    graph = Graph()
    policy(graph, NATIONAL, "国务院办公厅关于完善科技成果评价机制的指导意见", "国办发〔2021〕26号", "2021-07-16")
    policy(graph, LAW_2015, "中华人民共和国促进科技成果转化法（2015年修正）", date="2015-08-29")
    policy(graph, LAW_1996, "中华人民共和国促进科技成果转化法", date="1996-05-15")
    for law in (LAW_2015, LAW_1996):
        article(graph, law, 10, "利用财政资金设立的科技项目……", paragraphs=2)
        article(graph, law, 12, "国家鼓励……")
    policy(graph, CITY, "汐河市科学技术局关于加快科技成果转化的实施意见", "汐科发〔2024〕9号", "2024-05-06")
    return graph


def links(graph: Graph) -> dict[tuple[URIRef, URIRef], tuple[URIRef, str]]:
    """(source, target) -> (kind, Chinese reason) of every link."""
    found = {}
    for link in graph.subjects(RDF.type, PKG.Link):
        reason = next(str(r) for r in graph.objects(link, PKG.reason) if isinstance(r, Literal) and r.language == "zh")
        key = (graph.value(link, PKG.linkSource), graph.value(link, PKG.linkTarget))
        found[key] = (graph.value(link, PKG.linkKind), reason)
    return found  # type: ignore[return-value]


def preamble(graph: Graph, document: URIRef, text: str) -> Graph:
    graph.add((document, PKG.preamble, Literal(text, lang="zh")))
    return graph


@pytest.mark.parametrize(
    "number", ["国办发〔2021〕26号", "国办发[2021]26号", "国办发（2021）26号", "国办发【２０２１】26 号"]
)
def test_a_number_in_any_brackets_resolves_to_the_document_with_its_sentence_as_reason(number: str) -> None:
    sentence = f"按照{number}文件的要求，做好成果评价工作。"
    graph = preamble(corpus(), CITY, f"各区科技主管部门：\n{sentence}\n")

    found = links(citation_links(graph, [CITY]))

    assert found == {(CITY, NATIONAL): (PKG.legalBasis, sentence)}


@pytest.mark.parametrize(
    ("title", "date", "expected"),
    [
        ("中华人民共和国促进科技成果转化法", "2024-05-06", LAW_2015),  # the version in force: the latest before it
        ("促进科技成果转化法", "2024-05-06", LAW_2015),  # the short form
        ("中华人民共和国促进科技成果转化法", "2010-01-01", LAW_1996),  # a text of 2010 means the 1996 law
    ],
)
def test_a_title_resolves_with_or_without_the_country_to_the_version_of_its_date(
    title: str, date: str, expected: URIRef
) -> None:
    graph = corpus()
    graph.set((CITY, ELI.date_document, Literal(date, datatype=XSD.date)))
    preamble(graph, CITY, f"为贯彻落实《{title}》，制定本意见。")

    found = links(citation_links(graph, [CITY]))

    assert list(found) == [(CITY, expected)]
    assert found[(CITY, expected)][0] == PKG.implementation  # 为贯彻落实《…》


def test_a_short_title_two_different_works_answer_stays_unresolved() -> None:
    graph = corpus()
    policy(graph, URIRef(BASE + "cn-zj/local/promoting-transformation"), "促进科技成果转化法")
    preamble(graph, CITY, "根据《促进科技成果转化法》，结合本市实际，制定本意见。")

    result = citation_links(graph, [CITY])

    assert links(result) == {}
    assert [str(t) for t in result.objects(None, PKG.citedTitle)] == ["促进科技成果转化法"]


def test_articles_and_paragraphs_named_after_a_title_are_the_targets_of_the_citing_provision() -> None:
    graph = corpus()
    text = "依照《中华人民共和国促进科技成果转化法》第十条第二款和第十二条的规定，写明成果转化义务。"
    place = item(graph, CITY, 1, 1, text)

    found = links(citation_links(graph, [CITY]))

    assert found == {
        (place, URIRef(f"{LAW_2015}/article/10/paragraph/2")): (PKG.legalBasis, text),
        (place, URIRef(f"{LAW_2015}/article/12")): (PKG.legalBasis, text),
        (CITY, LAW_2015): (PKG.legalBasis, text),
    }
    result = citation_links(graph, [CITY])
    assert (place, ELI.cites, URIRef(f"{LAW_2015}/article/12")) in result  # the shortcut triple


def task(graph: Graph, table: URIRef, number: int, text: str) -> URIRef:
    node = URIRef(f"{table}/task/{number}")
    graph.add((node, RDF.type, PKG.Task))
    graph.add((node, PKG.document, table))
    graph.add((node, PKG.taskNumber, Literal(number)))
    graph.add((node, PKG.text, Literal(text, lang="zh")))
    return node


def test_a_task_cites_an_article_and_an_article_the_graph_lacks_leaves_the_document() -> None:
    graph = corpus()
    table = policy(graph, URIRef(f"{CITY}/attachment/1"), "任务分工表")
    named = task(graph, table, 3, "依照《促进科技成果转化法》第十条，明确项目承担单位的转化义务。")
    lacking = task(graph, table, 4, "按照《促进科技成果转化法》第九十九条办理。")  # the graph has no article 99

    found = links(citation_links(graph, [table]))

    assert {target for source, target in found if source == named} == {URIRef(f"{LAW_2015}/article/10")}
    assert {target for source, target in found if source == lacking} == {LAW_2015}
    assert found[(table, LAW_2015)] == (
        PKG.legalBasis,
        "依照《促进科技成果转化法》第十条，明确项目承担单位的转化义务。",
    )


def test_a_citation_of_the_document_itself_is_no_link_and_no_unresolved_citation() -> None:
    graph = preamble(
        corpus(), CITY, "汐科发〔2024〕9号\n现将《汐河市科学技术局关于加快科技成果转化的实施意见》印发给你们。"
    )

    result = citation_links(graph, [CITY])

    assert len(result) == 0


def test_a_curated_link_wins_over_the_same_link_read_from_the_text() -> None:
    graph = corpus()
    place = item(graph, CITY, 1, 1, "依照《中华人民共和国促进科技成果转化法》第十二条办理。")
    target = URIRef(f"{LAW_2015}/article/12")
    add_link(graph, Link(place, target, PKG.legalBasis, PKG.curated, 1, "人工核对"))

    found = links(citation_links(graph, [CITY]))

    assert (place, target) not in found and (CITY, LAW_2015) in found


def test_a_document_that_implements_another_is_not_also_linked_as_citing_it() -> None:
    graph = preamble(corpus(), CITY, "为贯彻落实《国务院办公厅关于完善科技成果评价机制的指导意见》，制定本意见。")
    place = item(graph, CITY, 2, 2, "按照国办发[2021]26号文件的要求，用好评价结果。")

    found = links(citation_links(graph, [CITY]))

    assert found[(CITY, NATIONAL)][0] == PKG.implementation
    assert found[(place, NATIONAL)] == (PKG.legalBasis, "按照国办发[2021]26号文件的要求，用好评价结果。")


def test_a_citation_nothing_answers_is_kept_and_resolves_when_its_document_is_added() -> None:
    graph = corpus()
    sentence = "高等学校和科研机构按照《汐河市科技成果转化若干规定》每年报送转化情况。"
    place = item(graph, CITY, 2, 1, sentence)
    before = citation_links(graph, [CITY])
    (node,) = before.subjects(RDF.type, PKG.UnresolvedCitation)
    assert before.value(node, PKG.citedIn) == place and before.value(node, PKG.citingDocument) == CITY
    assert str(before.value(node, PKG.citedTitle)) == "汐河市科技成果转化若干规定"
    assert str(before.value(node, PKG.sentence)) == sentence
    assert before.value(node, PKG.citationKind) == PKG.legalBasis

    arriving = Graph()
    policy(arriving, RULES, "汐河市科技成果转化若干规定", date="2024-01-12")
    pending = before + Graph().add((CITY, ELI.date_document, Literal("2024-05-06", datatype=XSD.date)))
    added, removed = resolve_pending(pending, Works.of(arriving))

    assert links(added) == {(place, RULES): (PKG.legalBasis, sentence), (CITY, RULES): (PKG.legalBasis, sentence)}
    assert set(removed) == set(before.triples((node, None, None)))
    assert added.identifier == removed.identifier == CITATIONS_GRAPH


def test_resolving_later_gives_the_links_a_build_with_both_documents_gives() -> None:
    graph = corpus()
    item(graph, CITY, 2, 1, "按照《汐河市科技成果转化若干规定》第二条每年报送转化情况。")
    whole = graph + Graph()
    policy(whole, RULES, "汐河市科技成果转化若干规定", date="2024-01-12")
    article(whole, RULES, 2, "高等学校和科研机构应当建立科技成果转化年度报告制度。")
    arriving = Graph()
    policy(arriving, RULES, "汐河市科技成果转化若干规定", date="2024-01-12")
    article(arriving, RULES, 2, "高等学校和科研机构应当建立科技成果转化年度报告制度。")

    later, _ = resolve_pending(citation_links(graph, [CITY]) + graph, Works.of(arriving))

    assert set(later) == set(citation_links(whole, [CITY]))


# --- the bundled corpus ---------------------------------------------------------------------------------------
CORPUS = bundled.folder("data") / "corpus"


def _citations(built: Built) -> Graph:
    (graph,) = [g for g in built.graphs if g.identifier == CITATIONS_GRAPH]
    return graph


def _sentences(path: Path, needle: str) -> list[str]:
    """The sentences of a corpus file holding `needle` (a sentence ends at 。 or the end of its line)."""
    found = []
    for line in path.read_text("utf-8").splitlines():
        for sentence in re.findall(r"[^。]*(?:。|$)", line):
            if needle in sentence:
                found.append(re.sub(r"^第[一二三四五六七八九十百]+条\s", "", sentence.strip()))
    return found


def test_the_bundled_build_conforms_with_its_citation_links(built: Built) -> None:
    assert built.report.conforms
    citations = _citations(built)
    assert all(
        citations.value(link, PKG.linkMethod) == PKG.automatic for link in citations.subjects(RDF.type, PKG.Link)
    )


def test_the_beijing_opinions_implement_the_guiding_opinions_in_the_words_of_their_notice(built: Built) -> None:
    manifest = load_manifest(bundled.manifest_file())
    opinions = manifest.document("beijing-2022-implementation-opinions").iri
    national = manifest.document("guobanfa-2021-26").iri
    sentences = _sentences(CORPUS / "beijing-2022-implementation-opinions-PARTIAL.txt", "国办发〔2021〕26号")
    assert len(sentences) == 2 and all(s.startswith("为贯彻落实") for s in sentences)

    found = links(_citations(built))

    assert found[(opinions, national)] == (PKG.implementation, sentences[0])  # the first place it says so


def test_the_beijing_regulations_rest_on_the_law_where_their_text_names_it(built: Built) -> None:
    manifest = load_manifest(bundled.manifest_file())
    regulations = manifest.document("beijing-2019-regulations-promoting-transformation").iri
    law = manifest.document("law-2015-promoting-transformation").iri
    sentences = _sentences(
        CORPUS / "beijing-2019-regulations-promoting-transformation.txt", "《中华人民共和国促进科技成果转化法》"
    )
    found = links(_citations(built))

    from_provisions = {
        reason: kind for (source, target), (kind, reason) in found.items() if target == law and source != regulations
    }
    assert from_provisions == {
        s: PKG.implementation if "根据《" in s and "制定" in s else PKG.legalBasis for s in sentences
    }
    assert found[(regulations, law)][0] == PKG.implementation  # 根据《…》…制定本条例
    assert (regulations, ELI.implements, law) in built.union()


def test_a_reference_inside_the_regulations_links_their_own_articles(built: Built) -> None:
    regulations = (
        load_manifest(bundled.manifest_file()).document("beijing-2019-regulations-promoting-transformation").iri
    )
    (sentence,) = _sentences(CORPUS / "beijing-2019-regulations-promoting-transformation.txt", "本条例第十四条第二款")

    inside = {
        (s, t): value for (s, t), value in links(_citations(built)).items() if str(t).startswith(f"{regulations}/")
    }

    assert list(inside.values()) == [(PKG.legalBasis, sentence)]
    assert next(iter(inside))[1] == URIRef(f"{regulations}/article/14/paragraph/2")


def test_what_the_laws_cite_outside_the_graph_is_kept_with_its_sentence(built: Built) -> None:
    manifest = load_manifest(bundled.manifest_file())
    law_2021 = manifest.document("law-2021-science-technology-progress").iri
    law_2015 = manifest.document("law-2015-promoting-transformation").iri
    citations = _citations(built)
    kept = {
        str(citations.value(node, PKG.citationText)): node
        for node in citations.subjects(RDF.type, PKG.UnresolvedCitation)
    }
    (constitution,) = _sentences(CORPUS / "law-2021-science-and-technology-progress.txt", "根据宪法")
    (amendment,) = _sentences(CORPUS / "law-2015-promoting-transformation-of-sci-tech-achievements.txt", "《关于修改")

    assert set(kept) == {"宪法", "《关于修改<中华人民共和国促进科技成果转化法>的决定》"}
    node = kept["宪法"]
    assert citations.value(node, PKG.citedIn) == URIRef(f"{law_2021}/article/1")
    assert (str(citations.value(node, PKG.sentence)), citations.value(node, PKG.citationKind)) == (
        constitution,
        PKG.implementation,
    )
    node = kept["《关于修改<中华人民共和国促进科技成果转化法>的决定》"]
    assert citations.value(node, PKG.citedIn) == law_2015  # the date lines under the title
    assert str(citations.value(node, PKG.sentence)) == amendment
    assert str(citations.value(node, SKOS.prefLabel)).startswith("引用《关于修改")
