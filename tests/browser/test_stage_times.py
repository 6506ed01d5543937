"""各环节办理时限 and 环节用时统计 in the browser: the admin changes a stage's limit; the city HRSS reads
the report (table, bars, Excel export) and the county's to-do list shows each application's 本环节用时;
a publicity batch kept past the limit of 公示 is flagged 已超时 on the county's list of batches, and the home
counter of 待公示 says 其中超时 of an application left waiting as long."""
from __future__ import annotations

import re

import pytest

from shared.clock import SystemClock
from tests.e2e.walk import City, Walk, eventually

pytestmark = pytest.mark.browser


def test_the_admin_sets_a_limit_and_the_city_reads_the_stage_times(portal):
    portal.login("admin")
    portal.menu("各环节办理时限")
    assert "5" in portal.row("2 单位审核").text and "单位经办人" in portal.row("2 单位审核").text  # the demo's limit
    portal.choose("stage", value="2")
    portal.fill("working_days", "4")
    portal._navigate(portal.find("#stage-limit-submit").click)
    assert "办理时限已保存" in portal.toast()
    assert "个工作日" in portal.row("2 单位审核").text and "4" in portal.row("2 单位审核").text
    portal.logout()

    portal.login("rsj440700")
    portal.menu("环节用时统计")
    assert portal.find("#stage-times") and "工作日" in portal.text()
    export = portal.find("#stage-times-export").get_attribute("href")
    assert "/api/v1/stage-times/export.xlsx?from=" in export
    content_type = portal.driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0], {credentials: 'same-origin'})"
        ".then(r => done(r.status + ' ' + r.headers.get('content-type')));", export)
    assert content_type.startswith("200 application/vnd.openxmlformats"), content_type
    portal.screenshot("stage_times")
    portal.logout()

    portal.login("rsj440703")
    portal.open("/portal/applications?status=pending_county_review")
    assert "本环节用时" in portal.find("table.grid thead").text


def test_the_graduate_prints_the_application_form_and_its_qr_code_verifies_it(portal, platform, tmp_path):
    # a graduate of its own (硕士研究生 of 江海区): a demo graduate may already have an application in
    # progress from another test of the tier (one at a time per person)
    graduate = City(platform[0]).new_graduate("440704", degree="master")
    portal.login(graduate.username)
    portal.menu("补助申请")
    portal.choose("degree", value="master")
    portal.fill("start_date", "2026-09-01")
    portal.fill("months", "6")
    portal._navigate(portal.find("#application-submit").click)
    application_no = re.search(r"BZ\d+", portal.find("h1").text).group()
    assert portal.find("#print-pdf").get_attribute("href").endswith("/form.pdf")
    text, verify_path = portal.printed(tmp_path)
    assert "测试毕业生" in text and application_no in text and "9,000.00 元" in text
    portal.logout()

    portal.open(verify_path)                           # anyone, not logged in
    shown = portal.find("#verify-facts").text
    assert application_no in shown and "待单位审核" in shown
    assert "测试毕业生" not in portal.text() and "62220200" not in portal.text()
    portal.screenshot("verify_application")


def test_a_batch_kept_past_its_stage_limit_is_flagged_on_the_to_do_list(portal, platform, clock):
    city = City(platform[0])
    admin = city.actor("admin")
    # the demo city's 公示 limit (10 working days) outlasts the publicity itself, which the timer ends after
    # 5: the city keeps its counties to 1 working day for the test (and back to the demo's afterwards)
    [demo] = [s for s in admin.get("/stage-limits/440700")["stages"] if s["stage"] == 5]
    # the version in force today is changed (and restored), none added
    today = SystemClock().today_local().isoformat()
    since = max(v["effective_from"] for v in demo["versions"] if v["effective_from"] <= today)
    admin.request("PUT", "/stage-limits/440700",
                  json={"limits": [{"stage": 5, "working_days": 1}], "effective_from": since})
    try:
        walk, waiting = Walk(city, "440703"), Walk(city, "440703")    # one into a batch, one left 待公示
        for stage in ("stage1_submit", "stage2_unit_approve", "stage3_report", "stage4_county_approve"):
            getattr(walk, stage)()
            getattr(waiting, stage)()
        county = walk.officer("county")
        batch = eventually(lambda: county.post("/publicity-batches", {"application_ids": [walk.app_id]},
                                               expect=(200, 201)))
        assert batch["waiting"]["stage"] == 5

        def flag_after(days: int) -> dict:
            """The batch's 本环节用时 on the county's list (API) with the platform's clock ``days`` ahead."""
            clock(days)
            city.relogin()
            listed = walk.officer("county").get("/publicity-batches", params={"status": "open", "page_size": 200})
            return {b["id"]: b for b in listed["items"]}[batch["id"]]["stage_clock"]

        # a day at a time (the platform's own holiday schedule decides what is a working day): in time up to
        # the limit, overdue from the working day after it; the publicity itself is still open
        days, flag, seen = 0, flag_after(0), set()
        while flag["working_days"] < 2 and days < 15:
            assert (flag["limit_days"], flag["overdue"]) == (1, False), flag
            seen.add(flag["working_days"])
            days += 1
            flag = flag_after(days)
        assert 1 in seen and (flag["working_days"], flag["limit_days"], flag["overdue"]) == (2, 1, True), flag

        portal.login("rsj440703")
        # the home counter of 待公示 counts the application left there as long (its clock, the same rule)
        counter = portal.todo(r"您有【\d+】个申请待公示").find_element("xpath", "..")
        assert re.search(r"其中超时 [1-9]", counter.text), counter.text
        portal.open("/portal/publicity-batches?status=open")
        assert "本环节用时" in portal.find("table.grid thead").text
        row = portal.row(batch["batch_no"])
        assert "2/1个工作日" in row.text and "已超时 1 个工作日" in row.text
        assert row.find_element("css selector", ".stage-clock.overdue .badge").text == flag["overdue_label"]
        portal.screenshot("overdue_batch")
    finally:
        admin.login()
        admin.request("PUT", "/stage-limits/440700",
                      json={"limits": [{"stage": 5, "working_days": demo["working_days"]}], "effective_from": since})
