"""The HTML pages of provisions, links and coverage, and the links section of task and policy pages (lxml, XPath)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import lxml.html
import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import BROWSER

HTML = {"Accept": BROWSER}
BASE = "https://w3id.org/policykg"
TABLE = "/eli/cn-bj/jingkezhuanfa/2022/226/attachment/1"
TASK = f"{TABLE}/task"
NATIONAL = "/eli/cn/guobanfa/2021/26"
MEASURE = f"{NATIONAL}/part/2/item"
LAW_2021 = "/eli/cn/law/2021/science-and-technology-progress"
REGULATIONS_2019 = "/eli/cn-bj/local-regulation/2019/promoting-transformation-of-sci-tech-achievements"
STI = "/agency/bj-sti-zgc"
CANDIDATE = f"{BASE}/link/test-automatic-candidate"
INSERT_CANDIDATE = f"""
PREFIX pkg: <https://w3id.org/policykg/ontology#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
INSERT DATA {{ GRAPH <{BASE}/graph/links-automatic> {{
  <{CANDIDATE}> a pkg:Link ; pkg:linkSource <{BASE}{TASK}/8> ; pkg:linkTarget <{BASE}{MEASURE}/9> ;
    pkg:linkKind pkg:similarity ; pkg:linkMethod pkg:automatic ; pkg:rank 1 ; pkg:score "0.8125"^^xsd:decimal .
}} }}
"""
Page = lxml.html.HtmlElement


def page(client: TestClient, url: str) -> Page:
    response = client.get(url, headers=HTML)
    assert response.status_code == 200, f"{url}: {response.status_code} {response.text[:300]}"
    assert response.headers["content-type"].startswith("text/html")
    return lxml.html.fromstring(response.text)


def text(element: Page) -> str:
    return " ".join(element.text_content().split())


def hrefs(document: Page, xpath: str) -> list[str]:
    return [str(href) for href in document.xpath(xpath)]


def paths(document: Page, xpath: str) -> list[str]:
    return [urlsplit(href).path for href in hrefs(document, xpath)]


def link_path(client: TestClient, task: int, kind: str) -> str:
    """The page of a task's primary curated link of a kind, found through the JSON API."""
    items = client.get(f"/api/tasks{TASK}/{task}/related", params={"kind": kind, "method": "curated"}).json()["items"]
    return "/" + items[0]["link"]["id"]


@pytest.fixture
def with_candidate(writable_client: Callable[..., TestClient]) -> TestClient:
    client = writable_client(token="s3cret")
    headers = {"content-type": "application/sparql-update", "authorization": "Bearer s3cret"}
    assert client.post("/sparql", content=INSERT_CANDIDATE, headers=headers).status_code == 204
    return client


# --- provision pages -------------------------------------------------------------------------------------
def test_measure_page_shows_where_it_sits_its_text_and_the_tasks_implementing_it(client: TestClient) -> None:
    document = page(client, f"{MEASURE}/10")
    assert paths(document, "//nav[@class='breadcrumb']//a/@href") == [NATIONAL, f"{NATIONAL}/part/2"]
    assert text(document.xpath("//nav[@class='breadcrumb']//li[@aria-current='page']")[0]).startswith("二（十）")
    assert text(document.xpath("//h1/span")[0]) == "二（十）完善科技成果评价激励和免责机制"
    assert text(document.xpath("//h1/span[@class='alt']")[0]) == "Measure 2.10"
    (body,) = document.xpath("//section[@id='text']/div[@class='provision-text']")
    assert body.get("lang") == "zh-Hans"
    assert text(body.xpath("p")[0]).startswith("把科技成果转化绩效作为核心要求")
    rows = document.xpath("//section[@id='implemented-by']//tr[@class='task']")
    assert paths(document, "//section[@id='implemented-by']//tr[@class='task']/td[1]/a/@href") == [
        f"{TASK}/17",
        f"{TASK}/18",
        f"{TASK}/19",
    ]
    assert [paths(row, "td[@class='lead']/a/@href") for row in rows] == [[STI]] * 3
    assert [text(row.xpath("td[@class='lead']")[0]) for row in rows] == [
        "北京市科学技术委员会、中关村科技园区管理委员会"
    ] * 3
    assert "/agency/bj-finance" in paths(rows[1], "td[@class='participating']/a/@href")
    assert [text(row.xpath("td[6]")[0]) for row in rows] == ["主要"] * 3
    assert paths(rows[0], "td[5]/a/@href") == [TABLE]
    assert document.xpath("//section[@id='cited-by']//p[@class='none']")


def test_article_page_shows_its_chapter_paragraphs_and_the_task_resting_on_it(client: TestClient) -> None:
    document = page(client, f"{LAW_2021}/article/68")
    assert paths(document, "//nav[@class='breadcrumb']//a/@href") == [LAW_2021, f"{LAW_2021}/chapter/6"]
    assert text(document.xpath("//h1/span")[0]) == "第六十八条"
    assert paths(document, "//section[@id='children']//li/a/@href") == [f"{LAW_2021}/article/68/paragraph/1"]
    assert paths(document, "//section[@id='cited-by']//tr[@class='task']/td[1]/a/@href") == [f"{TASK}/19"]
    assert document.xpath("//section[@id='implemented-by']//p[@class='none']")
    reason = document.xpath("//section[@id='cited-by']//tr[@class='task']/td[7]")[0]
    assert text(reason) == "履行了勤勉尽责义务的予以免责"


def test_an_article_with_several_paragraphs_sets_each_apart(client: TestClient) -> None:
    document = page(client, f"{LAW_2021}/article/14")
    paragraphs = document.xpath("//section[@id='text']/div[@class='provision-text']/p")
    children = document.xpath("//section[@id='children']//li")
    assert len(paragraphs) >= len(children) >= 2
    assert text(paragraphs[0]) == "国家建立和完善有利于创新的科学技术评价制度。"


def test_provision_and_link_pages_show_their_iri_and_data_formats(client: TestClient) -> None:
    for path in (f"{MEASURE}/3", f"{LAW_2021}/article/68", link_path(client, 19, "cites")):
        document = page(client, path)
        assert document.xpath("//dl[@class='about']/dd/code/text()") == [f"{BASE}{path}"]
        assert hrefs(document, "//dl[@class='about']//a/@href") == [
            f"{path}.{ext}" for ext in ("ttl", "jsonld", "rdf", "nt")
        ]


def test_english_provision_pages_lead_with_english_and_keep_the_language(client: TestClient) -> None:
    document = page(client, f"{MEASURE}/10?lang=en")
    assert document.xpath("/html/@lang") == ["en"]
    assert text(document.xpath("//h1/span")[0]) == "Measure 2.10"
    assert document.xpath("//section[@id='implemented-by']/h2/text()")[0].strip() == "Tasks that implement it"
    assert (
        hrefs(document, "//section[@id='implemented-by']//tr[@class='task']/td[1]/a/@href")[0] == f"{TASK}/17?lang=en"
    )
    assert text(document.xpath("//section[@id='implemented-by']//tr[@class='task']/td[6]")[0]) == "primary"


# --- link pages ------------------------------------------------------------------------------------------
def test_link_page_shows_source_target_kind_method_rank_and_reason(client: TestClient) -> None:
    path = link_path(client, 19, "cites")
    document = page(client, path)
    facts = {
        text(dt): dd
        for dt, dd in zip(
            document.xpath("//dl[@class='facts']/dt"), document.xpath("//dl[@class='facts']/dd"), strict=True
        )
    }
    assert paths(facts["起点"], "a/@href") == [f"{TASK}/19", TABLE]
    assert paths(facts["目标"], "a/@href") == [f"{LAW_2021}/article/68", LAW_2021]
    assert text(facts["关联类型"]) == "依据"
    assert text(facts["关联来源"]) == "人工整理"
    assert text(facts["次序"]) == "1 （主要）"
    assert [text(span) for span in facts["理由"].xpath("span")] == [
        "履行了勤勉尽责义务的予以免责",
        "Exemption for those who acted with due diligence",
    ]
    assert "分值" not in facts
    assert paths(document, "//section[@id='source']//tr[@class='task']/td[1]/a/@href") == [f"{TASK}/19"]
    assert text(document.xpath("//section[@id='target']//div[@class='provision-text']/p")[0]).startswith(
        "国家鼓励科学技术人员自由探索"
    )


def test_an_automatic_link_page_shows_its_score_and_says_it_is_unchecked(with_candidate: TestClient) -> None:
    document = page(with_candidate, "/link/test-automatic-candidate?lang=en")
    facts = {
        text(dt): text(dd)
        for dt, dd in zip(
            document.xpath("//dl[@class='facts']/dt"), document.xpath("//dl[@class='facts']/dd"), strict=True
        )
    }
    assert (facts["Kind"], facts["Method"], facts["Score"]) == ("similar to", "automatic", "0.8125")
    assert "not been checked" in text(document.xpath("//main/p[@class='hint']")[0])


# --- task pages ------------------------------------------------------------------------------------------
def test_task_page_lists_what_it_implements_and_rests_on(client: TestClient) -> None:
    document = page(client, f"{TASK}/19")
    rows = document.xpath("//section[@id='related']/div//tr[contains(@class, 'link')]")
    found = [(text(row.xpath("td[1]")[0]), paths(row, "td[2]/a/@href")[0], text(row.xpath("td[4]")[0])) for row in rows]
    assert found == [
        ("落实", f"{MEASURE}/10", "主要"),
        ("依据", f"{LAW_2021}/article/68", "主要"),
        ("依据", f"{REGULATIONS_2019}/article/19", "次要"),
    ]
    assert paths(rows[0], "td[1]/a/@href")[0].startswith("/link/")
    assert paths(rows[1], "td[3]/a/@href") == [LAW_2021]


def test_task_page_lists_automatic_candidates_separately(with_candidate: TestClient) -> None:
    document = page(with_candidate, f"{TASK}/8")
    curated = paths(document, "//section[@id='related']/div//tr/td[2]/a/@href")
    assert curated == [f"{MEASURE}/3"]
    (candidates,) = document.xpath("//section[@id='candidates']")
    assert text(candidates.xpath("h3")[0]).startswith("自动推荐（未经人工核对）")
    (row,) = candidates.xpath(".//tbody/tr[td[1]/a/@href = '/link/test-automatic-candidate']")
    assert (paths(row, "td[2]/a/@href"), text(row.xpath("td[1]")[0]), text(row.xpath("td[4]")[0])) == (
        [f"{MEASURE}/9"],
        "相似",
        "0.81",
    )


# --- policy pages and coverage ---------------------------------------------------------------------------
def coverage_rows(document: Page) -> dict[str, tuple[str, list[str]]]:
    """Measure path -> (row class, task paths), from a coverage table."""
    return {
        paths(row, "th/a/@href")[0]: (str(row.get("class")), paths(row, "td//a/@href"))
        for row in document.xpath("//table[@class='coverage']/tbody/tr")
    }


def test_national_policy_page_has_contents_and_coverage(client: TestClient) -> None:
    document = page(client, NATIONAL)
    parts = document.xpath("//section[@id='contents']/ol/li")
    assert paths(document, "//section[@id='contents']/ol/li/a/@href") == [f"{NATIONAL}/part/{n}" for n in (1, 2, 3)]
    assert [len(part.xpath("ol/li")) for part in parts] == [2, 10, 4]
    assert paths(parts[1], "ol/li/a/@href") == [f"{MEASURE}/{n}" for n in range(1, 11)]
    rows = coverage_rows(document)
    assert len(rows) == 10
    assert rows[f"{MEASURE}/8"] == ("measure uncovered", [])
    assert [path for path, (kind, _) in rows.items() if kind == "measure uncovered"] == [f"{MEASURE}/8"]
    assert rows[f"{MEASURE}/10"][1] == [f"{TASK}/17", f"{TASK}/18", f"{TASK}/19"]
    secondary = document.xpath("//table[@class='coverage']/tbody/tr[1]//li[@class='secondary']/a/@href")
    assert [urlsplit(str(href)).path for href in secondary] == [f"{TASK}/9", f"{TASK}/10", f"{TASK}/11"]
    summary = text(document.xpath("//section[@id='coverage']/p[@class='summary']")[0])
    assert summary == "共 10 项措施，9 项已有任务落实，1 项尚无任务落实。"


def test_law_page_has_chapters_with_their_articles_and_no_coverage(client: TestClient) -> None:
    document = page(client, LAW_2021)
    chapters = document.xpath("//section[@id='contents']/ol/li")
    assert text(chapters[0].xpath("a")[0]) == "第一章 总则"
    assert paths(chapters[5], "a/@href") == [f"{LAW_2021}/chapter/6"]
    assert f"{LAW_2021}/article/68" in paths(chapters[5], "ol/li/a/@href")
    assert document.xpath("//section[@id='coverage']") == []


def test_task_table_page_has_no_contents(client: TestClient) -> None:
    document = page(client, TABLE)
    assert document.xpath("//section[@id='contents']") == document.xpath("//section[@id='coverage']") == []


@pytest.mark.parametrize(
    "url", ["/coverage", "/coverage?document=guobanfa-2021-26", f"/coverage?document={NATIONAL[1:]}"]
)
def test_coverage_page(client: TestClient, url: str) -> None:
    document = page(client, url)
    assert paths(document, "//section[@class='document-coverage']/h2/a/@href") == [NATIONAL]
    rows = coverage_rows(document)
    assert len(rows) == 10 and rows[f"{MEASURE}/8"] == ("measure uncovered", [])
    assert text(document.xpath("//tr[contains(@class, 'uncovered')]//strong[@class='gap']")[0]) == "尚无任务落实"


def test_coverage_page_in_english(client: TestClient) -> None:
    document = page(client, "/coverage?lang=en")
    assert text(document.xpath("//h1")[0]) == "Coverage of measures"
    (uncovered,) = document.xpath("//tr[contains(@class, 'uncovered')]")
    assert text(uncovered.xpath("th/a/span")[0]) == "Measure 2.8"
    assert hrefs(uncovered, "th/a/@href") == [f"{MEASURE}/8?lang=en"]


@pytest.mark.parametrize(
    ("url", "status"), [("/coverage?document=no-such-document", 404), ("/coverage?document=a%20b", 422)]
)
def test_coverage_page_for_a_bad_document(client: TestClient, url: str, status: int) -> None:
    response = client.get(url, headers=HTML)
    assert response.status_code == status
    assert set(response.json()) == {"error", "message"}


# --- links -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "start",
    [f"{MEASURE}/10", f"{LAW_2021}/article/68", "LINK", f"{TASK}/19", NATIONAL, "/coverage", f"{MEASURE}/3?lang=en"],
)
def test_every_internal_link_on_the_new_pages_resolves(client: TestClient, start: str) -> None:
    start = link_path(client, 19, "cites") if start == "LINK" else start
    document = page(client, start)
    targets = {
        str(href).partition("#")[0] or start
        for href in document.xpath("//a/@href | //link/@href | //form/@action")
        if str(href).startswith("/") and urlsplit(str(href)).path != "/docs"
    }
    assert len(targets) > 10
    broken = []
    for target in sorted(targets):
        response = client.get(target, headers=HTML)
        if response.status_code != 200:
            broken.append((target, response.status_code))
    assert broken == []
