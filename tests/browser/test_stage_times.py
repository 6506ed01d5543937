"""各环节办理时限 and 环节用时统计 in the browser: the admin changes a stage's limit; the city HRSS reads
the report (table, bars, Excel export) and the county's to-do list shows each application's 本环节用时."""
from __future__ import annotations

import re

import pytest

from tests.e2e.walk import City

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
