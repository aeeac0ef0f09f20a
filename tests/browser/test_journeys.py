"""What a reader does in a real browser: search, follow links, run a query; expectations come from the live graph."""

from __future__ import annotations

from urllib.parse import urlsplit

from selenium.webdriver import Chrome
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement

from tests.browser.site import TABLE, Endpoint, follow, navigate, path

NATIONAL = "国办发〔2021〕26号"


def submit_with_enter(browser: Chrome, field: WebElement, text: str) -> None:
    navigate(browser, lambda: field.send_keys(text, Keys.ENTER))


def agency_named(sparql: Endpoint, name: str) -> str:
    (row,) = sparql.select(f'SELECT ?a WHERE {{ ?a a pkg:Agency ; skos:altLabel "{name}"@zh }}')
    return row["a"]


def test_home_page_search_finds_the_finance_bureau(browser: Chrome, site: str, sparql: Endpoint) -> None:
    agency = agency_named(sparql, "市财政局")
    browser.get(site + "/")
    box = browser.find_element(By.CSS_SELECTOR, "main form[role=search] input[type=search]")
    submit_with_enter(browser, box, "市财政局")

    assert urlsplit(browser.current_url).path == "/search"
    units = {a.text: a for a in browser.find_elements(By.CSS_SELECTOR, "#found-units li a")}
    assert "北京市财政局" in units
    follow(browser, units["北京市财政局"])

    assert urlsplit(browser.current_url).path == path(agency)
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("北京市财政局")


def task_numbers(browser: Chrome, section: str) -> set[int]:
    cells = browser.find_elements(By.CSS_SELECTOR, f"#{section} table.tasks tbody td.number")
    return {int(cell.text) for cell in cells}


def test_agency_page_shows_the_finance_bureaus_tasks(browser: Chrome, site: str, sparql: Endpoint) -> None:
    agency = agency_named(sparql, "市财政局")
    roles = sparql.select(
        f"SELECT ?number ?role WHERE {{ ?task pkg:assignment [ pkg:unit <{agency}> ; pkg:role ?role ] ; "
        "pkg:taskNumber ?number }"
    )
    expected = {
        role: {int(row["number"]) for row in roles if row["role"].endswith("#" + role)}
        for role in ("lead", "participating")
    }
    browser.get(site + path(agency))

    assert task_numbers(browser, "led") == expected["lead"]
    assert task_numbers(browser, "joined") == expected["participating"]
    assert task_numbers(browser, "led") | task_numbers(browser, "joined") == {8, 18}  # as the issue names them


def test_task_page_links_to_the_national_measure_it_implements(browser: Chrome, site: str, sparql: Endpoint) -> None:
    measures = sparql.select(
        f"SELECT ?measure ?label ?document WHERE {{ <{TABLE}/task/8> eli:implements ?measure . "
        f"?measure a pkg:Measure ; pkg:document ?document ; skos:prefLabel ?label . "
        f'?document pkg:documentNumber "{NATIONAL}" . FILTER(lang(?label) = "zh") }}'
    )
    assert measures, "task 8 implements no measure of " + NATIONAL
    browser.get(site + path(TABLE + "/task/8"))

    curated = browser.find_elements(
        By.CSS_SELECTOR, "#related > .table-wrap table.links tr.link.implements td:nth-child(2) a"
    )
    shown = {urlsplit(a.get_attribute("href") or "").path: a for a in curated}
    assert set(shown) == {path(m["measure"]) for m in measures}

    measure = measures[0]
    follow(browser, shown[path(measure["measure"])])
    assert urlsplit(browser.current_url).path == path(measure["measure"])
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith(measure["label"])
    crumbs = browser.find_elements(By.CSS_SELECTOR, "nav.breadcrumb a")
    assert urlsplit(crumbs[0].get_attribute("href") or "").path == path(measure["document"])


QUERY = """SELECT ?task ?agency WHERE {
  ?task pkg:leadAgency ?agency .
}"""


def test_query_page_runs_a_query_and_shows_a_table(browser: Chrome, site: str, sparql: Endpoint) -> None:
    expected = sparql.select(QUERY)
    assert expected
    browser.get(site + "/sparql")
    box = browser.find_element(By.CSS_SELECTOR, "form.sparql textarea")
    box.clear()
    box.send_keys(QUERY)
    follow(browser, browser.find_element(By.CSS_SELECTOR, "form.sparql button[type=submit]"))

    table = browser.find_element(By.CSS_SELECTOR, "#results table.results")
    headers = [th.text for th in table.find_elements(By.CSS_SELECTOR, "thead th")]
    assert headers == ["?task", "?agency"]
    assert len(table.find_elements(By.CSS_SELECTOR, "tbody tr")) == len(expected)
    assert browser.find_element(By.CSS_SELECTOR, "#results .summary").text == f"{len(expected)} 行"
