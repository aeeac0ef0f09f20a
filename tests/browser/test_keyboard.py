"""Keyboard only: a skip link comes first, then the navigation and the search; focus shows; the language switches."""

from __future__ import annotations

import re

from selenium.webdriver import ActionChains, Chrome
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement

from tests.browser.site import navigate

AGENCY = "/agency/bj-finance"
REACH = 20  # Tab presses within which the navigation, the search and the language switch must come


def press(browser: Chrome, key: str) -> WebElement:
    """Press a key where the focus is; the element focused afterwards."""
    ActionChains(browser).send_keys(key).perform()
    return browser.switch_to.active_element


def tab_order(browser: Chrome, presses: int = REACH) -> list[WebElement]:
    return [press(browser, Keys.TAB) for _ in range(presses)]


def tab_to(browser: Chrome, css: str) -> WebElement:
    """Press Tab until the element matching `css` has the focus."""
    for _ in range(REACH):
        element = press(browser, Keys.TAB)
        if browser.execute_script("return arguments[0].matches(arguments[1])", element, css):
            return element
    raise AssertionError(f"{css} not reached within {REACH} Tab presses")


# The focused element's outline, and the colour behind it (the nearest ancestor's opaque background).
FOCUS_RING = """
const style = getComputedStyle(arguments[0]);
let behind = arguments[0].parentElement, background = 'rgb(255, 255, 255)';
for (; behind; behind = behind.parentElement) {
  const colour = getComputedStyle(behind).backgroundColor;
  if (colour !== 'rgba(0, 0, 0, 0)' && colour !== 'transparent') { background = colour; break; }
}
return [style.outlineStyle, parseFloat(style.outlineWidth), style.outlineColor, background];
"""


def luminance(colour: str) -> float:
    """Relative luminance (WCAG) of a computed `rgb(…)` colour."""
    channels = [int(c) / 255 for c in re.findall(r"\d+", colour)[:3]]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def on_screen(browser: Chrome, element: WebElement) -> bool:
    return browser.execute_script(
        "const r = arguments[0].getBoundingClientRect();"
        "return r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0 && r.right <= innerWidth;",
        element,
    )


def test_first_tab_reaches_a_visible_skip_link_that_skips(browser: Chrome, site: str) -> None:
    browser.get(site + AGENCY)
    skip = press(browser, Keys.TAB)
    assert skip.tag_name == "a" and skip.text == "跳到正文"
    assert on_screen(browser, skip)
    target = skip.get_attribute("href") or ""
    assert target.endswith("#main")

    landed = press(browser, Keys.ENTER)
    assert landed.get_attribute("id") == "main"
    first = press(browser, Keys.TAB)  # past the header: the first link of the page's own content
    assert browser.execute_script("return document.querySelector('main').contains(arguments[0])", first)


def test_tab_goes_through_the_navigation_then_the_search(browser: Chrome, site: str) -> None:
    browser.get(site + AGENCY)
    nav = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "header nav a")]
    order = tab_order(browser)
    hrefs = [e.get_attribute("href") for e in order]
    assert order[0].get_attribute("textContent") == "跳到正文"
    assert nav and all(href in hrefs for href in nav)
    search = next(i for i, e in enumerate(order) if e.get_attribute("type") == "search")
    assert max(hrefs.index(href) for href in nav) < search
    assert order[search + 1].tag_name == "button"


def test_home_page_search_comes_right_after_the_navigation(browser: Chrome, site: str) -> None:
    browser.get(site + "/")
    order = tab_order(browser)
    search = next(i for i, e in enumerate(order) if e.get_attribute("type") == "search")
    assert order[search].get_attribute("id") == browser.find_element(
        By.CSS_SELECTOR, "main input[type=search]"
    ).get_attribute("id")
    assert "switch" in (order[search - 1].get_attribute("class") or "")  # the last item of the navigation


def test_focus_is_visible(browser: Chrome, site: str) -> None:
    browser.get(site + AGENCY)
    for _ in range(REACH):
        element = press(browser, Keys.TAB)
        style, width, colour, background = browser.execute_script(FOCUS_RING, element)
        shown = element.get_attribute("outerHTML")[:80]
        assert style != "none" and width >= 2, f"no visible focus on {shown}"
        assert contrast(colour, background) >= 3, f"the focus ring {colour} hardly shows on {background}: {shown}"


def switch_language(browser: Chrome) -> None:
    """Tab to the language switch and press Enter on it."""
    tab_to(browser, "a.switch")
    navigate(browser, ActionChains(browser).send_keys(Keys.ENTER).perform)


def nav_labels(browser: Chrome) -> list[str]:
    return [a.text for a in browser.find_elements(By.CSS_SELECTOR, "header nav a")]


def test_language_switch_works_from_the_keyboard(browser: Chrome, site: str) -> None:
    browser.get(site + AGENCY)
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-Hans"
    assert "首页" in nav_labels(browser)

    switch_language(browser)
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert "Home" in nav_labels(browser)
    assert browser.find_element(By.CSS_SELECTOR, "#led-h").text.startswith("Tasks it leads")
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Beijing Municipal Finance Bureau")

    switch_language(browser)
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-Hans"
    assert "首页" in nav_labels(browser)
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("北京市财政局")
