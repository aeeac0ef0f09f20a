"""Fixtures for the browser tests: a real `policykg serve` over the bundled build, and one headless Chromium.

A failing test leaves a screenshot of the page it was on in $POLICYKG_ARTIFACTS (default test-artifacts/browser/).
"""

from __future__ import annotations

import os
import re
from collections.abc import Generator, Iterator
from pathlib import Path

import httpx
import pytest
from selenium import webdriver

from graph.release.build import Built
from graph.release.write import write_release
from tests.browser import chrome
from tests.browser.site import Endpoint
from tests.helpers import ROOT
from tests.live import serving


def artifacts() -> Path:
    return Path(os.environ.get("POLICYKG_ARTIFACTS") or ROOT / "test-artifacts" / "browser")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, built: Built) -> Iterator[str]:
    """The base URL of the service over the bundled build, as `policykg serve` runs it."""
    out = tmp_path_factory.mktemp("browser") / "build"
    write_release(built, out)
    with serving("--out", out) as base:
        yield base


@pytest.fixture(scope="session")
def driver() -> Iterator[webdriver.Chrome]:
    gaps = chrome.missing()
    if gaps:
        pytest.fail(
            "The browser tests need " + "; ".join(gaps) + f". Install them: apt-get install {chrome.PACKAGES}",
            pytrace=False,
        )
    browser = chrome.start()
    try:
        yield browser
    finally:
        browser.quit()


@pytest.fixture
def browser(driver: webdriver.Chrome) -> webdriver.Chrome:
    """The session's browser, at desktop size, on a blank page."""
    chrome.reset(driver)
    driver.get("about:blank")
    return driver


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    browser = getattr(item, "funcargs", {}).get("browser")
    if report.when == "call" and report.failed and browser is not None:
        folder = artifacts()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / (re.sub(r"[^\w.-]+", "_", item.nodeid.split("::", 1)[-1]) + ".png")
        browser.save_screenshot(str(path))
        report.sections.append(("browser", f"screenshot of {browser.current_url}: {path}"))
    return report


@pytest.fixture(scope="session")
def sparql(site: str) -> Iterator[Endpoint]:
    with httpx.Client(base_url=site, timeout=30) as client:
        yield Endpoint(client)
