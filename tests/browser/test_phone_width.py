"""At a phone's width (375 × 740 CSS pixels) pages fit the screen and their text stays readable."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from selenium.webdriver import Chrome
from selenium.webdriver.common.by import By

from tests.browser import chrome

PAGES = {
    "home": "/",
    "agency": "/agency/bj-finance",
    "task": "/eli/cn-bj/jingkezhuanfa/2022/226/attachment/1/task/8",
    "policy": "/eli/cn/guobanfa/2021/26",  # its source file's name is one long word
    "search": "/search?q=%E8%B4%A2%E6%94%BF",  # 财政: units with their English names beside them
    "matrix": "/matrix",  # a wide table whose cells hold visually hidden text
    "network": "/network",  # pictures: their text must stay readable, not shrink with the picture
    "coverage": "/coverage",
    "validate": "/validate",  # the upload form: a file input and labelled fields
}
SMALLEST_TEXT = 12  # CSS pixels

# Each visible piece of text, with the computed font size of the element holding it.
TEXT_SIZES = """
const found = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  const text = node.textContent.trim();
  const element = node.parentElement;
  if (!text || !element.checkVisibility() || element.closest('.visually-hidden, .skip')) continue;
  let size = parseFloat(getComputedStyle(element).fontSize);
  const svg = element.closest('svg');
  if (svg && svg.viewBox.baseVal && svg.viewBox.baseVal.width) {  // a picture scaled to fit shrinks its text too
    size *= svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  }
  found.push([text.slice(0, 40), size]);
}
return found;
"""


@pytest.fixture
def phone(browser: Chrome) -> Iterator[Chrome]:
    chrome.emulate(browser, *chrome.PHONE, mobile=True)
    yield browser
    chrome.reset(browser)


@pytest.mark.parametrize("page", PAGES)
def test_page_fits_a_phone_screen(phone: Chrome, site: str, page: str) -> None:
    phone.get(site + PAGES[page])
    width = phone.execute_script("return window.innerWidth")
    assert width == chrome.PHONE[0], f"the phone zoomed out to lay the page out {width} px wide"
    overflow = phone.execute_script("return document.documentElement.scrollWidth")
    assert overflow <= width, f"the page is {overflow} px wide on a {width} px screen"


@pytest.mark.parametrize("page", PAGES)
def test_text_is_not_tiny_on_a_phone(phone: Chrome, site: str, page: str) -> None:
    phone.get(site + PAGES[page])
    sizes = phone.execute_script(TEXT_SIZES)
    assert sizes
    tiny = [(text, size) for text, size in sizes if size < SMALLEST_TEXT]
    assert not tiny, f"text smaller than {SMALLEST_TEXT} px: {tiny[:10]}"


def test_home_search_box_is_one_line_on_a_phone(phone: Chrome, site: str) -> None:
    phone.get(site + "/")
    box = phone.find_element(By.CSS_SELECTOR, "main form[role=search] input[type=search]")
    button = phone.find_element(By.CSS_SELECTOR, "main form[role=search] button")
    line = phone.execute_script("return parseFloat(getComputedStyle(arguments[0]).fontSize)", box)
    assert box.size["height"] < 3 * line, f"the search box is {box.size['height']} px tall"
    assert box.size["width"] >= chrome.PHONE[0] * 0.8
    assert box.location["y"] < button.location["y"] < box.location["y"] + 3 * box.size["height"]
