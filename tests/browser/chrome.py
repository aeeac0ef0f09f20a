"""Debian's Chromium driven by Selenium through the system chromedriver: nothing is downloaded at test time.

The browser tests need the Debian packages chromium, chromium-driver and fonts-noto-cjk (`.ci/run` installs them);
without them the tests fail with a message saying so, never skip.
"""

from __future__ import annotations

from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")  # without it Chinese shows as boxes
PACKAGES = "chromium chromium-driver fonts-noto-cjk"
DESKTOP = (1280, 900)
PHONE = (375, 740)


def missing() -> list[str]:
    """What the browser tests need from the system and cannot find."""
    needed = ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver"), (CJK_FONT, "fonts-noto-cjk"))
    return [f"{path} (Debian package {package})" for path, package in needed if not path.exists()]


def start() -> webdriver.Chrome:
    """Headless Chromium at desktop size (`--no-sandbox`: CI runs as root)."""
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--hide-scrollbars", "--lang=zh-CN"):
        options.add_argument(argument)
    options.add_argument("--window-size={},{}".format(*DESKTOP))
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    return driver


def emulate(driver: webdriver.Chrome, width: int, height: int, *, mobile: bool) -> None:
    """Give pages a viewport of exactly width × height CSS pixels (a phone: mobile, scale factor 2)."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 2 if mobile else 1, "mobile": mobile},
    )


def reset(driver: webdriver.Chrome) -> None:
    """Back to the desktop window, as `start` made it."""
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
