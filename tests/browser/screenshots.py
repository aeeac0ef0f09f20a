"""Write the README's screenshots from the bundled corpus: `python -m tests.browser.screenshots`.

Builds the corpus into a temporary folder, serves it with `policykg serve`, and saves docs/screenshots/agency.png
(北京市财政局's page) and docs/screenshots/matrix.png (the task table's matrix, when the table's page links to one).
Needs the same Debian packages as the browser tests.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from selenium.webdriver import Chrome
from selenium.webdriver.common.by import By

from graph.release.build import build
from graph.release.write import write_release
from tests.browser import chrome
from tests.helpers import ROOT
from tests.live import serving

FOLDER = ROOT / "docs" / "screenshots"
WIDTH = 1100
TALLEST = 1400
AGENCY = "/agency/bj-finance"
TABLE = "/eli/cn-bj/jingkezhuanfa/2022/226/attachment/1"


def shoot(driver: Chrome, url: str, target: Path) -> None:
    """Save the top of the page at `url` (up to TALLEST pixels of it) as a PNG."""
    driver.get(url)
    chrome.emulate(driver, WIDTH, 800, mobile=False)
    height = min(int(driver.execute_script("return document.documentElement.scrollHeight")), TALLEST)
    chrome.emulate(driver, WIDTH, height, mobile=False)
    target.parent.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(target))
    print(f"wrote {target.relative_to(ROOT)} ({WIDTH}×{height})")


def matrix_url(driver: Chrome, base: str) -> str | None:
    driver.get(base + TABLE)
    for link in driver.find_elements(By.CSS_SELECTOR, "main a[href]"):
        href = link.get_attribute("href") or ""
        if "matrix" in href:
            return href
    return None


def main() -> int:
    gaps = chrome.missing()
    if gaps:
        print("Missing: " + "; ".join(gaps) + f". Install: apt-get install {chrome.PACKAGES}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "build"
        write_release(build(), out)
        with serving("--out", out) as base:
            driver = chrome.start()
            try:
                shoot(driver, base + AGENCY, FOLDER / "agency.png")
                matrix = matrix_url(driver, base)
                if matrix is None:
                    print("no matrix page linked from the task table's page: matrix.png not written", file=sys.stderr)
                else:
                    shoot(driver, matrix, FOLDER / "matrix.png")
            finally:
                driver.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
