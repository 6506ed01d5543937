"""The components the feature screens reuse, in the browser: 一键审核通过 with the job's progress and
per-item outcomes, export and print, and seed 004's conveniences (collapsible menu, function search,
colour scheme, 便签) remembered in the browser."""
from __future__ import annotations

import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

pytestmark = pytest.mark.browser


def test_one_click_approval_follows_the_job_and_shows_each_outcome(portal):
    portal.login("zhangsan")                           # registered and approved in the demo city
    portal.menu("补助申请")
    portal.choose("degree", value="bachelor")
    portal.fill("start_date", "2026-09-01")
    portal.fill("months", "6")
    portal._navigate(portal.find("#application-submit").click)
    application_no = re.search(r"BZ\d+", portal.find("h1").text).group()
    portal.open(portal.path() + "/print")              # 补助申请表, styled for printing
    assert portal.find("h1").text == "大学生租房补助申请表" and "¥4,800.00" in portal.text()
    portal.open("/portal/")
    portal.logout()

    portal.login("dw_demo")
    portal.menu("个人补助申请审核")
    portal.tick(application_no)
    portal.button("一键审核通过").click()
    portal.find("#action-submit").click()              # the confirmation
    portal.wait(lambda d: "已完成" in d.find_element(By.ID, "job-text").text, 30, "job not finished")
    assert "成功 1" in portal.find("#job-text").text
    outcome = portal.find("#job-items tbody tr").text
    assert application_no in outcome and "成功" in outcome
    assert portal.find("progress#job-progress").get_attribute("value") == "1"
    portal._navigate(portal.find("#job-close").click)
    assert not portal.has_row(application_no)          # approved and reported to the county in one go
    portal.open("/portal/applications?status=pending_county_review")
    assert "待县人社局审核" in portal.row(application_no).text


def test_export_print_menu_search_colours_and_notes(portal, platform):
    portal.login("rsj440703")
    portal.open("/portal/applications?status=pending_county_review")
    # export: the current list, same filters, as CSV the portal builds from the API's pages
    csv_text = portal.driver.execute_async_script(
        "const done = arguments[0];"
        "fetch(document.querySelector('a[href*=\"format=csv\"]').href).then(r => r.text()).then(done);")
    assert csv_text.startswith("申请编号,姓名,证件号码") and "张三" in csv_text   # (fetch drops the BOM)
    assert "status=pending_county_review" in portal.button("导出Excel").get_attribute("href")
    # print: the browser's own print of the print-styled page
    portal.driver.execute_script("window.print = () => { window.printed = true; };")
    portal.click("打印", navigates=False)
    assert portal.driver.execute_script("return window.printed") is True

    # the function search jumps to a menu item
    portal.fill("func-search", "公示批次")
    portal._navigate(lambda: portal.find("#func-search").submit())
    assert portal.path() == "/portal/publicity-batches"

    # the side menu folds away and stays folded
    portal.find("#menu-toggle").click()
    assert not portal.find("#sidemenu").is_displayed()
    portal.driver.refresh()
    assert not portal.find("#sidemenu").is_displayed()
    portal.find("#menu-toggle").click()
    assert portal.find("#sidemenu").is_displayed()

    # colour scheme, remembered
    Select(portal.find("#theme-select")).select_by_value("green")
    portal.driver.refresh()
    assert portal.driver.execute_script("return document.documentElement.dataset.theme") == "green"
    assert Select(portal.find("#theme-select")).first_selected_option.text == "青山绿"

    # 便签: kept per user in this browser
    portal.find("#notes-toggle").click()
    portal.find("#notes-text").send_keys("下午回电李先生")
    portal.wait(lambda d: d.find_element(By.ID, "notes-state").text == "已保存")
    portal.logout()
    portal.login("zjj440700")
    portal.screenshot("home_housing_bureau")
    portal.find("#notes-toggle").click()
    assert portal.find("#notes-text").get_attribute("value") == ""
    portal.logout()
    portal.login("rsj440703")
    portal.find("#notes-toggle").click()
    assert portal.find("#notes-text").get_attribute("value") == "下午回电李先生"
    Select(portal.find("#theme-select")).select_by_value("blue")


def test_the_admin_sets_the_subsidy_standard_in_yuan(portal):
    portal.login("admin")
    portal.menu("补贴标准设置")
    assert portal.value("std-bachelor") == "800.00"
    version = re.search(r"第 (\d+) 版", portal.text()).group(1)
    portal.fill("std-college", "500.5")
    portal.fill("max_months", "abc")
    portal.find("#policy-form button[type='submit']").click()
    assert portal.field_error("max_months")                 # refused next to the field, nothing saved
    portal.fill("max_months", "36")
    portal._navigate(portal.find("#policy-form button[type='submit']").click)
    assert portal.toast() == "补贴标准已保存（生成新版本）"
    assert portal.value("std-college") == "500.50"           # 50050 fen, no floating point on the way
    assert f"第 {int(version) + 1} 版" in portal.text()
    portal.fill("std-college", "500")
    portal._navigate(portal.find("#policy-form button[type='submit']").click)
