"""The browser tier: the whole platform started once per session as `make run` starts it (own broker
vhost, database prefix, keys and port, like tests/e2e), driven by Debian's headless Chromium through
Selenium. Chromium and chromedriver come from apt (`apt-get install -y chromium chromium-driver`);
Selenium is pointed at them so Selenium Manager downloads nothing.

Set BROWSER_BASE_URL (and BROWSER_CLOCK_FILE) to drive an already running platform instead, e.g.
while working on the portal with `python -m deploy.stack run`.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.browser.portal import Portal

ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ROOT / "test-artefacts" / "browser"
CHROMIUM = os.environ.get("CHROMIUM_BINARY", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")


@pytest.fixture(scope="session")
def platform(tmp_path_factory):
    """(base url, clock file) of a platform: started here unless BROWSER_BASE_URL names one."""
    if os.environ.get("BROWSER_BASE_URL"):
        yield os.environ["BROWSER_BASE_URL"].rstrip("/"), Path(os.environ["BROWSER_CLOCK_FILE"])
        return
    from tests.support.stack import platform_stack

    # the stack gives every gunicorn worker the same session key, as `make run` does
    with platform_stack(tmp_path_factory.mktemp("var"), "br", supervised=False) as stack:
        yield stack.config.gateway_url, stack.config.clock_file


@pytest.fixture(scope="session")
def driver():
    """One headless Chromium for the session (each test logs in through the login page anyway)."""
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.fail(f"Chromium not installed ({CHROMIUM}, {CHROMEDRIVER}): apt-get install -y chromium chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="portal-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-extensions", "--lang=zh-CN", f"--user-data-dir={profile}",
                "--window-size=1366,768"):
        options.add_argument(arg)
    browser = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    browser.set_page_load_timeout(30)
    try:
        yield browser
    finally:
        browser.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="session")
def artefacts() -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    return ARTEFACTS


@pytest.fixture
def portal(platform, driver, artefacts):
    base, clock_file = platform
    page = Portal(driver, base, clock_file, artefacts)
    driver.set_window_size(1366, 768)
    yield page
    page.logout_if_needed()


@pytest.fixture
def clock(platform):
    """Move the platform's time (every process reads the offset file); back to now afterwards."""
    from shared.clock import set_offset

    _, clock_file = platform

    def forward(days: float) -> None:
        set_offset(clock_file, days * 86400)
    yield forward
    set_offset(clock_file, 0)
