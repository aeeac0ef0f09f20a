"""The HTML pages, as a browser gets them: parsed with lxml and checked with XPath."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import lxml.html
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.pages import contexts
from api.pages.render import local, with_language
from api.settings import Settings
from graph import bundled
from graph.release.build import Built
from graph.release.write import write_release
from graph.store.queries import load_queries

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
TABLE = "/eli/cn-bj/jingkezhuanfa/2022/226/attachment/1"
TASK_8 = f"{TABLE}/task/8"
TASK_8_TEXT = "深入推进科研管理改革试点，加快建立科技计划成果后评估制度。"
OPINIONS = "/eli/cn-bj/jingkezhuanfa/2022/226"
NATIONAL = "/eli/cn/guobanfa/2021/26"
FINANCE = "/agency/bj-finance"
STI = "/agency/bj-sti-zgc"
Page = lxml.html.HtmlElement


@pytest.fixture(scope="module")
def browser(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    out = tmp_path_factory.mktemp("pages")
    write_release(built, out)
    with TestClient(create_app(Settings(out_dir=out))) as test_client:
        yield test_client


def page(browser: TestClient, url: str) -> Page:
    response = browser.get(url, headers=BROWSER)
    assert response.status_code == 200, f"{url}: {response.status_code} {response.text[:300]}"
    assert response.headers["content-type"].startswith("text/html")
    return lxml.html.fromstring(response.text)


def text(element: Page) -> str:
    return " ".join(element.text_content().split())


def hrefs(document: Page, xpath: str = "//a/@href") -> list[str]:
    return [str(href) for href in document.xpath(xpath)]


def path_of(href: str) -> str:
    return urlsplit(href).path


# --- helpers ---------------------------------------------------------------------------------------------
def test_local_maps_iris_under_the_base_to_paths() -> None:
    base = "https://w3id.org/policykg/"
    assert local(base, base + "agency/bj-finance") == "/agency/bj-finance"
    assert local(base, base + "ontology#Task") == "/ontology#Task"
    assert (
        local(base, "http://www.w3.org/2004/02/skos/core#prefLabel") == "http://www.w3.org/2004/02/skos/core#prefLabel"
    )


def test_with_language_keeps_english_before_the_fragment() -> None:
    assert with_language("/ontology#Task", "en") == "/ontology?lang=en#Task"
    assert with_language("/search?q=x", "en") == "/search?q=x&lang=en"
    assert with_language("/search?q=x", "zh") == "/search?q=x"
    assert with_language("https://example.org/", "en") == "https://example.org/"


# --- task ------------------------------------------------------------------------------------------------
def test_task_page_shows_text_units_and_roles(browser: TestClient) -> None:
    document = page(browser, TASK_8)
    assert text(document.xpath("//p[@class='task-text']")[0]) == TASK_8_TEXT
    rows = document.xpath("//section[@id='units']//tbody/tr")
    found = [(text(row.xpath("td[2]")[0]), text(row.xpath("td[3]")[0]), row.xpath("td[2]//a/@href")) for row in rows]
    assert found == [
        ("北京市科学技术委员会、中关村科技园区管理委员会", "牵头", [STI]),
        ("北京市财政局", "配合", [FINANCE]),
    ]
    assert [text(cell) for cell in document.xpath("//section[@id='units']//tbody/tr/td[4]")] == [
        "市科委、中关村管委会",
        "市财政局",
    ]


def test_task_page_links_up_the_chain_to_the_national_policy(browser: TestClient) -> None:
    document = page(browser, TASK_8)
    steps = document.xpath("//section[@id='chain']/ol/li")
    assert [path_of(step.xpath("a/@href")[0]) for step in steps] == [TABLE, OPINIONS, NATIONAL]
    assert "国办发〔2021〕26号" in [text(span) for span in steps[-1].xpath(".//span[@class='meta']/span")]


def test_task_page_shows_the_verbatim_source_row(browser: TestClient) -> None:
    document = page(browser, TASK_8)
    cells = {text(row.xpath("th")[0]): row for row in document.xpath("//section[@id='source-row']//table/tbody/tr")}
    assert list(cells) == ["分类", "任务编号", "任务内容", "责任单位"]
    assert text(cells["责任单位"].xpath("td/span")[0]) == "市科委、中关村管委会，市财政局"
    assert cells["分类"].xpath("td/span[@class='none']")  # the merged 分类 cell is empty in row 9 ...
    assert cells["分类"].xpath("td/p[@class='continues']/a/@href") == [f"{TABLE}/row/8"]  # ... and continues row 8
    assert document.xpath("//section[@id='source-row']/p/a/@href") == [f"{TABLE}/row/9"]


def test_every_resource_page_shows_its_iri_and_data_formats(browser: TestClient) -> None:
    for path in (TASK_8, FINANCE, TABLE, f"{TABLE}/category/5", f"{TABLE}/row/9"):
        document = page(browser, path)
        assert document.xpath("//dl[@class='about']/dd/code/text()") == [f"https://w3id.org/policykg{path}"]
        formats = hrefs(document, "//dl[@class='about']//a/@href")
        assert formats == [f"{path}.ttl", f"{path}.jsonld", f"{path}.rdf", f"{path}.nt"]


# --- agency, policy, category, generic -------------------------------------------------------------------
def test_finance_bureau_page_lists_the_tasks_it_joins(browser: TestClient) -> None:
    document = page(browser, FINANCE)
    assert text(document.xpath("//h1/span")[0]) == "北京市财政局"
    joined = hrefs(document, "//section[@id='joined']//tr[@class='task']/td[1]/a/@href")
    assert joined == [f"{TABLE}/task/8", f"{TABLE}/task/18"]
    assert document.xpath("//section[@id='led']//tr[@class='task']") == []
    assert "市财政局" in [text(item) for item in document.xpath("//dl[@class='facts']//li")]
    collaborators = {
        row.xpath("td[1]/a/@href")[0]: text(row.xpath("td[2]")[0])
        for row in document.xpath("//section[@id='collaborators']//tbody/tr")
    }
    assert collaborators[STI] == "2"


def test_lead_agency_page_lists_every_task_it_leads(browser: TestClient) -> None:
    document = page(browser, STI)
    assert len(document.xpath("//section[@id='led']//tr[@class='task']")) == 19


def test_table_page_lists_its_categories_and_tasks(browser: TestClient) -> None:
    document = page(browser, TABLE)
    categories = document.xpath("//section[@class='category']")
    assert len(categories) == 8
    tasks = hrefs(document, "//section[@class='category']//tr[@class='task']/td[1]/a/@href")
    assert len(tasks) == 19
    assert len(set(tasks)) == 19
    assert hrefs(document, "//dd[@id='issuer']//a/@href") == ["/agency/bj-sti-zgc-office"]
    assert hrefs(document, "//dl[@class='facts']/dd/a/@href")[:2] == ["/ontology#taskDivisionTable", OPINIONS]


def test_national_policy_page_links_what_implements_it(browser: TestClient) -> None:
    document = page(browser, NATIONAL)
    assert "国办发〔2021〕26号" in [text(dd) for dd in document.xpath("//dl[@class='facts']/dd")]
    assert hrefs(document, "//dd[@id='implemented_by']//a/@href") == [OPINIONS]


def test_category_page_lists_its_tasks(browser: TestClient) -> None:
    document = page(browser, f"{TABLE}/category/5")
    assert text(document.xpath("//h1")[0]).startswith("五、持续推进科研管理改革试点")
    assert f"{TABLE}/task/8" in hrefs(document, "//section[@id='tasks']//tr[@class='task']/td[1]/a/@href")


def test_other_resources_get_a_table_of_their_properties(browser: TestClient) -> None:
    document = page(browser, f"{TABLE}/row/9")
    statements = {
        text(row.xpath("td[1]")[0]): row.xpath("td[2]")[0]
        for row in document.xpath("//section[@id='properties']//tbody/tr")
    }
    assert statements["分类承自"].xpath("a/@href") == [f"{TABLE}/row/8"]
    assert text(statements["“责任单位”原文"]) == "市科委、中关村管委会，市财政局"
    assert hrefs(document, "//section[@id='incoming']//td[1]/a/@href") == [TASK_8]


# --- home, search, language ------------------------------------------------------------------------------
def test_home_page_has_a_search_form_the_documents_and_busiest_units(browser: TestClient) -> None:
    document = page(browser, "/")
    (form,) = document.xpath("//main//form[@action='/search']")
    assert form.method.lower() == "get"
    assert form.xpath(".//input[@name='q']/@type") == ["search"]
    assert form.xpath(".//label/@for") == form.xpath(".//input[@name='q']/@id")
    documents = hrefs(document, "//section[@id='documents']//li/a/@href")
    assert len(documents) == 6
    assert NATIONAL in documents
    assert hrefs(document, "//section[@id='agencies']//tbody/tr[1]/td[1]/a/@href") == [STI]
    counts = {
        text(item.xpath("dt")[0]): text(item.xpath("dd")[0]) for item in document.xpath("//dl[@class='counts']/div")
    }
    assert counts["任务"] == "19"
    assert counts["分类"] == "8"


def test_search_by_short_name_finds_the_agency(browser: TestClient) -> None:
    document = page(browser, "/search?" + urlencode({"q": "市财政局"}))
    assert hrefs(document, "//section[@id='found-units']//a/@href") == [FINANCE]
    assert text(document.xpath("//section[@id='found-units']//a")[0]) == "北京市财政局"


def test_search_finds_english_names_titles_and_task_text(browser: TestClient) -> None:
    english = page(browser, "/search?q=FINANCE+bureau")
    assert hrefs(english, "//section[@id='found-units']//a/@href") == [FINANCE]
    title = page(browser, "/search?" + urlencode({"q": "指导意见"}))
    assert hrefs(title, "//section[@id='found-policies']//a/@href") == [NATIONAL]
    task = page(browser, "/search?" + urlencode({"q": "后评估"}))
    assert hrefs(task, "//section[@id='found-tasks']//tr[@class='task']/td[1]/a/@href") == [TASK_8]


def test_search_shows_input_escaped(browser: TestClient) -> None:
    attack = "<script>alert(1)</script>"
    document = page(browser, "/search?" + urlencode({"q": attack}))
    assert document.xpath("//script") == []
    assert document.xpath("//main//input[@name='q']/@value") == [attack]
    assert document.xpath("//mark[@class='query']/text()") == [attack]
    assert document.xpath("//title/text()")[0].startswith(f"搜索：{attack}")


def test_english_pages_show_english_labels_and_keep_the_language(browser: TestClient) -> None:
    document = page(browser, f"{FINANCE}?lang=en")
    assert document.xpath("/html/@lang") == ["en"]
    (primary, other) = document.xpath("//h1/span")
    assert (text(primary), primary.get("lang")) == ("Beijing Municipal Finance Bureau", "en")
    assert (text(other), other.get("lang")) == ("北京市财政局", "zh-Hans")
    assert document.xpath("//section[@id='joined']/h2/text()")[0].strip() == "Tasks it joins"
    task_links = hrefs(document, "//section[@id='joined']//tr[@class='task']/td[1]/a/@href")
    assert task_links == [f"{TABLE}/task/8?lang=en", f"{TABLE}/task/18?lang=en"]
    assert hrefs(document, "//a[@class='switch']/@href") == [FINANCE]
    english_task = page(browser, task_links[0])
    assert english_task.xpath("//section[@id='units']//tbody/tr/td[3]/text()") == ["lead", "participating"]


def test_chinese_is_the_default_and_other_languages_fall_back_to_it(browser: TestClient) -> None:
    for url in (FINANCE, f"{FINANCE}?lang=fr"):
        document = page(browser, url)
        assert document.xpath("/html/@lang") == ["zh-Hans"]
        assert text(document.xpath("//h1/span")[0]) == "北京市财政局"
        assert text(document.xpath("//h1/span[@class='alt']")[0]) == "Beijing Municipal Finance Bureau"
    assert hrefs(page(browser, FINANCE), "//a[@class='switch']/@href") == [f"{FINANCE}?lang=en"]


# --- graphs ----------------------------------------------------------------------------------------------
def test_graph_page_lists_its_subjects(browser: TestClient) -> None:
    document = page(browser, "/graph/agencies")
    subjects = hrefs(document, "//section[@id='subjects']//tbody/tr/td[2]/a/@href")
    assert FINANCE in subjects
    assert document.xpath("//p[@class='capped']") == []
    assert hrefs(document, "//dl[@class='about']//a/@href")[0] == "/graph/agencies.ttl"


def test_large_graph_pages_say_they_are_paged(browser: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(contexts, "GRAPH_PAGE", 50)
    first = page(browser, "/graph/beijing-2022-task-division-table")
    assert len(first.xpath("//section[@id='subjects']//tbody/tr")) == 50
    assert first.xpath("//p[@class='capped']")
    assert first.xpath("//nav[@class='pages']/a[@rel='prev']") == []
    (second_page,) = hrefs(first, "//nav[@class='pages']/a[@rel='next']/@href")
    second = page(browser, second_page)
    assert second.xpath("//section[@id='subjects']//tbody/tr[1]/td[1]/text()") == ["51"]
    (third_page,) = hrefs(second, "//nav[@class='pages']/a[@rel='next']/@href")
    third = page(browser, third_page)
    assert third.xpath("//nav[@class='pages']/a[@rel='next']") == []
    last = int(third.xpath("//section[@id='subjects']//tbody/tr[last()]/td[1]/text()")[0])
    assert 100 < last <= 150
    assert text(third.xpath("//p[@class='summary']")[0]).endswith(f"{last} 个主语")


def test_ontology_terms_have_anchors_on_the_ontology_page(browser: TestClient) -> None:
    document = page(browser, "/ontology")
    (row,) = document.xpath("//tr[@id='Task']")
    assert text(row.xpath("td[2]")[0]) == "任务"


# --- SPARQL ----------------------------------------------------------------------------------------------
def test_sparql_page_offers_the_stored_queries(browser: TestClient) -> None:
    document = page(browser, "/sparql")
    stored = load_queries(bundled.folder("queries"))
    links = hrefs(document, "//section[@id='examples']/ul/li/a/@href")
    assert len(links) == len(stored) == 6
    loaded = [parse_qs(urlsplit(link).query) for link in links]
    assert [query["query"] for query in loaded] == [[q.text] for q in stored.values()]
    assert all(query["format"] == ["html"] for query in loaded)
    (form,) = document.xpath("//main//form[@action='/sparql']")
    assert form.method.lower() == "get"
    assert form.xpath(".//input[@name='format']/@value") == ["html"]
    assert form.xpath(".//textarea[@name='query']")
    assert document.xpath("//section[@id='results']") == []


def test_sparql_select_renders_a_results_table(browser: TestClient) -> None:
    query = "SELECT ?task ?number WHERE { ?task a pkg:Task ; pkg:taskNumber ?number } ORDER BY ?number"
    document = page(browser, "/sparql?" + urlencode({"query": query, "format": "html"}))
    assert document.xpath("//textarea[@name='query']/text()") == [query]
    assert document.xpath("//table[@class='results']/thead//th/text()") == ["?task", "?number"]
    rows = document.xpath("//table[@class='results']/tbody/tr")
    assert len(rows) == 19
    assert rows[7].xpath("td[1]/a/@href") == [TASK_8]
    assert text(rows[7].xpath("td[1]")[0]) == "任务8"
    assert rows[7].xpath("td[2]/span/text()") == ["8"]
    assert document.xpath("//p[@class='capped']") == []


def test_sparql_shows_language_tags(browser: TestClient) -> None:
    query = f"SELECT ?label WHERE {{ <https://w3id.org/policykg{FINANCE}> skos:prefLabel ?label }} ORDER BY ?label"
    document = page(browser, "/sparql?" + urlencode({"query": query, "format": "html"}))
    cells = document.xpath("//table[@class='results']/tbody/tr/td")
    assert [(cell.xpath("span/text()"), cell.xpath("span/@lang")) for cell in cells] == [
        (["Beijing Municipal Finance Bureau"], ["en"]),
        (["北京市财政局"], ["zh"]),
    ]
    assert [cell.xpath("small/text()") for cell in cells] == [["@en"], ["@zh"]]


def test_sparql_results_are_capped_at_1000_rows(browser: TestClient) -> None:
    document = page(browser, "/sparql?" + urlencode({"query": "SELECT * WHERE { ?s ?p ?o }", "format": "html"}))
    assert len(document.xpath("//table[@class='results']/tbody/tr")) == 1000
    assert document.xpath("//section[@id='results']/p[@class='capped']")


def test_sparql_ask_and_construct(browser: TestClient) -> None:
    ask = page(browser, "/sparql?" + urlencode({"query": "ASK { ?t a pkg:Task }", "format": "html"}))
    assert ask.xpath("//p[@class='answer']/code/text()") == ["true"]
    construct = (
        "CONSTRUCT { ?t pkg:leadAgency ?a } "
        f"WHERE {{ ?t pkg:participatingAgency <https://w3id.org/policykg{FINANCE}> ; pkg:leadAgency ?a }}"
    )
    document = page(browser, "/sparql?" + urlencode({"query": construct, "format": "html"}))
    rows = document.xpath("//table[@class='results']/tbody/tr")
    assert len(rows) == 2
    assert {row.xpath("td[3]/a/@href")[0] for row in rows} == {STI}


# --- links -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("start", ["/", TASK_8, FINANCE, TABLE, "/sparql", f"{TASK_8}?lang=en"])
def test_every_internal_link_resolves(browser: TestClient, start: str) -> None:
    document = page(browser, start)
    targets = {
        href.partition("#")[0] or start
        for href in hrefs(document, "//a/@href | //link/@href | //form/@action")
        if href.startswith("/") and path_of(href) != "/docs"
    }
    assert len(targets) > 10
    broken = []
    for target in sorted(targets):
        response = browser.get(target, headers=BROWSER)
        if response.status_code != 200:
            broken.append((target, response.status_code))
    assert broken == []


def test_the_stylesheet_is_served(browser: TestClient) -> None:
    response = browser.get("/static/policykg.css")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")


def test_static_folder_holds_no_scripts() -> None:
    static = Path(__file__).resolve().parents[2] / "api" / "static"
    assert [path.name for path in static.rglob("*.js")] == []


def test_sparql_result_iris_do_not_fill_the_shared_label_cache(browser: TestClient) -> None:
    def minted(numbers: str) -> str:
        query = f'SELECT ?x WHERE {{ VALUES ?n {{ {numbers} }} BIND(IRI(CONCAT("https://example.org/minted/", STR(?n))) AS ?x) }}'
        return "/sparql?" + urlencode({"query": query, "format": "html"})

    document = page(browser, minted("1 2 3"))
    assert hrefs(document, "//table[@class='results']/tbody/tr/td/a/@href") == [
        f"https://example.org/minted/{n}" for n in (1, 2, 3)
    ]
    cache = browser.app.state.service.current().views.label
    before = cache.cache_info().currsize
    page(browser, minted("4 5 6 7 8 9"))
    assert cache.cache_info().currsize == before


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_feature_is_reachable_from_the_home_page_and_answers(client: TestClient, lang: str) -> None:
    """The matrix, the pictures, the registry services, the feed, the dumps and the query page: each linked from
    the home page (in both languages) and each link answers 200."""
    home = client.get("/", params={"lang": lang} if lang == "en" else None, headers=BROWSER)
    links = {urlsplit(href).path for href in lxml.html.fromstring(home.text).xpath("//a/@href | //link/@href")}
    wanted = {"/matrix", "/network", "/coverage", "/validate", "/reconcile", "/feed.atom", "/shapes", "/sparql",
              "/ontology", "/catalog", "/.well-known/void"}  # fmt: skip
    assert wanted <= links, wanted - links
    assert any(path.startswith("/dumps/") for path in links)
    for path in sorted(wanted | {p for p in links if p.startswith("/dumps/")}):
        assert client.get(path, headers=BROWSER).status_code == 200, path
