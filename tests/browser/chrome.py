"""Debian's Chromium driven by Selenium through the system chromedriver: nothing is downloaded at test time.

The browser tests need the Debian packages chromium, chromium-driver and fonts-noto-cjk (`.ci/run` installs them);
without them the tests fail with a message saying so, never skip.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
PACKAGES = "chromium chromium-driver fonts-noto-cjk"
DESKTOP = (1280, 900)
PHONE = (375, 740)


def missing() -> list[str]:
    """What the browser tests need from the system and cannot find."""
    gaps = [
        f"{path} (Debian package {package})"
        for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver"))
        if not path.exists()
    ]
    if not _has_cjk_font():
        gaps.append("a Chinese font (Debian package fonts-noto-cjk)")
    return gaps


def _has_cjk_font() -> bool:
    if shutil.which("fc-list") is None:
        return False
    families = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False).stdout
    return bool(families.strip())


def start() -> webdriver.Chrome:
    """Headless Chromium at desktop size (`--no-sandbox`: CI runs as root)."""
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=zh-CN"):
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
