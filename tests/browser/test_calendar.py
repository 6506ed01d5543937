"""节假日安排 in the browser: the admin enters a later year's holidays and make-up working days and
confirms the year; until then the page says the year cannot be used for a working-day publicity."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

pytestmark = pytest.mark.browser

YEAR = 2031  # a year no test stack confirms (tests.support.calendar confirms the coming ones only)


def test_the_admin_enters_and_confirms_a_later_year(portal):
    portal.login("admin")
    portal.menu("节假日安排")
    portal.fill("year", str(YEAR))
    portal._navigate(portal.find("form.filters button[type='submit']").click)
    assert "尚未确认" in portal.find("#calendar-status").text and "暂无记录" in portal.text()

    portal.click(f"确认{YEAR}年节假日安排已录入完整", navigates=False)   # nothing entered yet: refused
    portal.find("#action-submit").click()
    shown = portal.wait(lambda d: d.find_element(By.CSS_SELECTOR, "#action-dialog .form-error").text
                        or d.find_element(By.CSS_SELECTOR, "#action-dialog").text.count("请先录入"),
                        message="no error in the dialog")
    assert shown and f"请先录入{YEAR}年的法定节假日" in portal.find("#action-dialog").text
    portal.find("#action-cancel").click()

    for day, kind, name in ((f"{YEAR}-01-01", "holiday", "元旦"), (f"{YEAR}-01-04", "workday", "元旦调休")):
        portal.fill("day", day)
        portal.choose("kind", value=kind)
        portal.fill("name", name)
        portal._navigate(portal.find("#calendar-day-submit").click)
        assert "节假日安排已保存" in portal.toast()
    assert "星期三" in portal.row(f"{YEAR}年1月1日").text and "法定节假日" in portal.row(f"{YEAR}年1月1日").text
    assert "调休上班" in portal.row("元旦调休").text

    assert portal.act(f"确认{YEAR}年节假日安排已录入完整") == "确认节假日安排：办理成功"
    assert "已确认" in portal.find("#calendar-status").text
    assert not portal.all("[data-act$='/confirm']")
    portal.screenshot("calendar_admin")
