"""A clerk at the portal: what a person does (open a page, type, click, read), as helpers for the
browser tests. Nothing here calls the API: every step goes through the pages."""
from __future__ import annotations

import base64
import io
import re
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

from pypdf import PdfReader
from selenium.common.exceptions import NoSuchElementException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

PASSWORD = "Demo2026"


class Portal:
    def __init__(self, driver, base: str, clock_file: Path, artefacts: Path) -> None:
        self.driver, self.base, self.clock_file, self.artefacts = driver, base, clock_file, artefacts

    # -- reading --------------------------------------------------------------------------------
    def wait(self, condition, timeout: float = 15, message: str = ""):
        # a page being replaced under a lookup (stale nodes) is no failure: look again
        return WebDriverWait(self.driver, timeout, poll_frequency=0.1,
                             ignored_exceptions=(WebDriverException,)).until(condition, message)

    def text(self) -> str:
        return self.driver.find_element(By.TAG_NAME, "body").text

    def find(self, css: str) -> WebElement:
        return self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, css)), message=f"no {css}")

    def all(self, css: str) -> list[WebElement]:
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def path(self) -> str:
        return self.driver.current_url.removeprefix(self.base)

    def wait_text(self, text: str, timeout: float = 15) -> None:
        self.wait(lambda d: text in self.text(), timeout, f"text {text!r} not shown; page: {self.path()}")

    def toast(self) -> str:
        return self.wait(lambda d: d.find_element(By.ID, "toast").text, message="no toast").strip()

    # -- moving around ------------------------------------------------------------------------
    def open(self, path: str) -> None:
        self.driver.get(self.base + path)
        self._loaded()

    def _loaded(self) -> None:
        self.wait(lambda d: d.execute_script("return document.readyState") == "complete")

    def menu(self, label: str) -> None:
        """Click a side-menu item."""
        link = self.driver.find_element(By.XPATH, f"//nav[@id='sidemenu']//a[normalize-space()='{label}']")
        self._navigate(link.click)

    def _navigate(self, action) -> None:
        """Run ``action`` (a click) and wait until the next page has loaded."""
        old = self.driver.find_element(By.TAG_NAME, "html")
        action()
        self.wait(EC.staleness_of(old), message=f"page did not change from {self.path()}")
        self._loaded()

    def click(self, label: str, scope: WebElement | None = None, navigates: bool = True) -> None:
        """Click the button or link whose text is ``label`` (inside ``scope``)."""
        element = self.button(label, scope)
        if navigates:
            self._navigate(element.click)
        else:
            element.click()

    def button(self, label: str, scope: WebElement | None = None) -> WebElement:
        root = scope or self.driver.find_element(By.TAG_NAME, "main")  # not the side menu's links
        xpath = f".//*[(self::button or self::a) and normalize-space()='{label}']"
        return self.wait(lambda d: next((e for e in root.find_elements(By.XPATH, xpath) if e.is_displayed()), None),
                         message=f"no button {label!r} on {self.path()}")

    def reload_until(self, predicate, timeout: float = 30, message: str = "") -> None:
        """Refresh until ``predicate()`` holds: another authority's hand-off is an event on its way."""
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out on {self.path()}: {message}")
            time.sleep(0.4)
            self.driver.refresh()
            self._loaded()

    # -- forms ----------------------------------------------------------------------------------
    def fill(self, field_id: str, value: str) -> None:
        element = self.find(f"[id='{field_id}']")
        if element.get_attribute("type") == "date":  # a date input's typing order depends on the locale
            self.driver.execute_script("arguments[0].value = arguments[1]", element, value)
            return
        element.clear()
        element.send_keys(value)

    def fill_in(self, scope: WebElement, css: str, value: str) -> None:
        element = scope.find_element(By.CSS_SELECTOR, css)
        if element.get_attribute("type") == "date":
            self.driver.execute_script("arguments[0].value = arguments[1]", element, value)
        else:
            element.clear()
            element.send_keys(value)

    def choose(self, field_id: str, *, value: str | None = None, text: str | None = None) -> None:
        select = Select(self.find(f"[id='{field_id}']"))
        if value is not None:
            select.select_by_value(value)
        else:
            option = next(o for o in select.options if text in o.text)
            select.select_by_visible_text(option.text)

    def field_error(self, name: str) -> str:
        """The message shown next to the field named ``name``."""
        return self.wait(lambda d: d.find_element(By.CSS_SELECTOR, f"[name='{name}'] + .field-error").text,
                         message=f"no error next to {name}")

    def value(self, field_id: str) -> str:
        return self.find(f"[id='{field_id}']").get_attribute("value")

    # -- login ----------------------------------------------------------------------------------
    def login(self, username: str, password: str = PASSWORD, *, expect: str = "/portal/") -> None:
        self.logout_if_needed()
        if not self.path().startswith("/?") and self.path() not in ("/", ""):
            self.open("/")
        self.fill("username", username)
        self.fill("password", password)
        self._navigate(self.find("#login-submit").click)
        assert self.path().startswith(expect), f"login of {username} ended on {self.path()}: {self.text()[:200]}"

    def logout_if_needed(self) -> None:
        try:
            if self.driver.find_elements(By.ID, "logout"):
                self.logout()
        except WebDriverException:  # a dialog left open by a failed test: forget the session instead
            self.driver.delete_all_cookies()

    def logout(self) -> None:
        self._navigate(self.find("#logout").click)
        assert self.path() == "/" or self.path().startswith("/?"), self.path()

    # -- lists ------------------------------------------------------------------------------------
    def row(self, text: str) -> WebElement:
        """The table row that shows ``text``."""
        xpath = f"//table//tbody/tr[contains(normalize-space(.), '{text}')]"
        return self.wait(lambda d: d.find_element(By.XPATH, xpath), message=f"no row with {text!r} on {self.path()}")

    def has_row(self, text: str) -> bool:
        return bool(self.driver.find_elements(By.XPATH, f"//table//tbody/tr[contains(normalize-space(.), '{text}')]"))

    def tick(self, text: str) -> None:
        box = self.row(text).find_element(By.CSS_SELECTOR, "input[name='ids']")
        if not box.is_selected():
            box.click()

    def search(self, query: str) -> None:
        self.fill("f-q", query)
        self._navigate(self.find("form.filters button[type='submit']").click)

    def act(self, label: str, scope: WebElement | None = None, *, opinion: str | None = None) -> str:
        """Press an action button; confirm its dialog (typing the opinion); wait for the page to reload.
        Returns the message the page shows afterwards."""
        self.button(label, scope).click()
        dialog = self.wait(EC.visibility_of_element_located((By.ID, "action-dialog")), message="no dialog")
        if opinion is not None:
            area = dialog.find_element(By.ID, "opinion")
            area.clear()
            area.send_keys(opinion)
        self._navigate(dialog.find_element(By.ID, "action-submit").click)
        return self.toast()

    def dialog_error(self) -> str:
        return self.wait(lambda d: d.find_element(By.CSS_SELECTOR, "#action-dialog .field-error").text)

    # -- printed forms ------------------------------------------------------------------------------
    def printed(self, tmp_path: Path) -> tuple[str, str]:
        """The page's 打印（PDF） as the browser fetches it: (its text, the path its QR code opens)."""
        href = self.find("#print-pdf").get_attribute("href")
        answer = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "fetch(arguments[0], {credentials: 'same-origin'}).then(r => r.arrayBuffer()).then(b => {"
            "  let s = ''; new Uint8Array(b).forEach(c => s += String.fromCharCode(c)); done(btoa(s)); });", href)
        pdf = base64.b64decode(answer)
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        (tmp_path / "form.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(tmp_path / "form.pdf"),
                        str(tmp_path / "page")], check=True)
        [png] = list(tmp_path.glob("page*.png"))
        url = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True, text=True,
                             check=True).stdout.strip()
        return text, urlsplit(url).path

    # -- pictures and widths ------------------------------------------------------------------------
    def screenshot(self, name: str) -> Path:
        target = self.artefacts / f"{name}.png"
        self.driver.save_screenshot(str(target))
        return target

    def scroll_width(self) -> int:
        return int(self.driver.execute_script("return document.documentElement.scrollWidth"))

    def narrow(self, width: int = 375, height: int = 800) -> None:
        """Make the page's viewport ``width`` CSS pixels wide (the window has borders of its own)."""
        self.driver.set_window_size(width, height)
        inner = self.driver.execute_script("return window.innerWidth")
        self.driver.set_window_size(width + (width - inner), height)

    def todo(self, pattern: str) -> WebElement:
        """The home page's to-do link whose text matches ``pattern`` (a regex)."""
        regex = re.compile(pattern)
        return self.wait(lambda d: next((a for a in d.find_elements(By.CSS_SELECTOR, ".todo a")
                                         if regex.search(a.text)), None), message=f"no to-do {pattern!r}")

    def element_gone(self, css: str) -> bool:
        try:
            self.driver.find_element(By.CSS_SELECTOR, css)
        except NoSuchElementException:
            return True
        return False
