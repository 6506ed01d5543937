"""各环节办理时限 and 环节用时统计 in the browser: the admin changes a stage's limit; the city HRSS reads
the report (table, bars, Excel export) and the county's to-do list shows each application's 本环节用时."""
from __future__ import annotations

import pytest

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
