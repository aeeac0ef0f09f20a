"""Shared by the browser tests: where things are served, following a link, the live SPARQL endpoint."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from selenium.common.exceptions import WebDriverException
from selenium.webdriver import Chrome
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.wait import WebDriverWait

BASE = "https://w3id.org/policykg/"
TABLE = BASE + "eli/cn-bj/jingkezhuanfa/2022/226/attachment/1"


def path(iri: str) -> str:
    assert iri.startswith(BASE), iri
    return "/" + iri[len(BASE) :]


def navigate(browser: Chrome, action: Callable[[], object]) -> None:
    """Do what leaves this page, then wait until the next page has loaded in its place.

    The old page carries a mark on its window; the new page's window has none. Asking while Chrome is between the
    two may fail ("Node with given id does not belong to the document"), so a failed question means "not yet",
    unlike Selenium's staleness_of, which lets that error through.
    """
    browser.execute_script("window.policykgLeaving = true")
    action()

    def arrived(driver: Chrome) -> bool:
        try:
            return bool(driver.execute_script("return !window.policykgLeaving && document.readyState === 'complete'"))
        except WebDriverException:
            return False

    WebDriverWait(browser, 10).until(arrived)


def follow(browser: Chrome, link: WebElement) -> None:
    """Click a link and wait until the next page has replaced this one."""
    navigate(browser, link.click)


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
