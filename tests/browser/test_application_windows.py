"""申报期设置 in the browser: the admin adds a 申报期 with its graduation range on the 补贴标准设置 page;
a submission outside it is refused with the stable code; the admin cancels it (撤销) and the city
accepts applications all year again."""
from __future__ import annotations

from datetime import timedelta

import pytest

from shared.clock import SystemClock
from tests.e2e.walk import ApiError, City

pytestmark = pytest.mark.browser


def test_the_admin_sets_a_window_and_a_submission_outside_it_is_refused(portal, platform):
    base, _ = platform
    today = SystemClock().today_local()
    opens, closes = today + timedelta(days=300), today + timedelta(days=330)   # no other test's date
    portal.login("admin")
    portal.menu("补贴标准设置")
    assert "尚未设置申报期" in portal.find("#windows").text
    portal.fill("window-name", "测试申报期")
    for field, day in (("opens_on", opens), ("closes_on", closes), ("graduated_from", today - timedelta(days=3650)),
                       ("graduated_to", today)):
        portal.driver.execute_script("arguments[0].value = arguments[1]", portal.find(f"#{field}"), day.isoformat())
    portal._navigate(portal.find("#window-submit").click)
    assert "申报期已保存" in portal.toast()
    row = portal.row("测试申报期")
    assert "有效" in row.text and f"{opens.year}年{opens.month}月{opens.day}日" in row.text
    portal.screenshot("application_windows_admin")

    graduate = City(base).new_graduate()
    with pytest.raises(ApiError) as refused:
        graduate.post("/applications", {"degree": "bachelor", "months": 12, "start_date": "2026-07-01"}, expect=201)
    assert refused.value.status == 409 and refused.value.error["code"] == "application.outside_window"

    assert portal.act("撤销", portal.row("测试申报期")).endswith("办理成功")
    assert "已撤销" in portal.row("测试申报期").text
    assert graduate.post("/applications", {"degree": "bachelor", "months": 12, "start_date": "2026-07-01"},
                         expect=201)["status"] == "pending_unit_review"
