"""Shared by the browser tests: where things are served, following a link, the live SPARQL endpoint."""

from __future__ import annotations

import httpx
from selenium.webdriver import Chrome
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.wait import WebDriverWait

BASE = "https://w3id.org/policykg/"
TABLE = BASE + "eli/cn-bj/jingkezhuanfa/2022/226/attachment/1"


def path(iri: str) -> str:
    assert iri.startswith(BASE), iri
    return "/" + iri[len(BASE) :]


def follow(browser: Chrome, link: WebElement) -> None:
    """Click a link and wait until the next page has replaced this one."""
    page = browser.find_element(By.TAG_NAME, "html")
    link.click()
    WebDriverWait(browser, 10).until(expected_conditions.staleness_of(page))


class Endpoint:
    """Ask the live server's endpoint, as any client would; rows of plain values."""

    PREFIXES = "PREFIX pkg: <https://w3id.org/policykg/ontology#>\n"

    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def select(self, query: str) -> list[dict[str, str]]:
        response = self.client.get(
            "/sparql", params={"query": self.PREFIXES + query}, headers={"Accept": "application/sparql-results+json"}
        )
        response.raise_for_status()
        return [{k: v["value"] for k, v in row.items()} for row in response.json()["results"]["bindings"]]
