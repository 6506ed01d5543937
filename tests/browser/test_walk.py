"""Line A clicked through the portal by every role, as the clerks would: the graduate registers from the
login page (个人注册 with proof materials) and applies, the unit returns it once and the graduate resubmits,
then each authority takes its stage until the graduate confirms the money arrived. Logins go through
the login page; the only step that is not a click is moving the platform's clock past the publicity
period."""
from __future__ import annotations

import re
import uuid

import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By

from tests.browser.test_onboarding import register_graduate_in_portal

pytestmark = pytest.mark.browser

UNIT = "江门市蓬江区示范科技有限公司"
INDIVIDUAL_PAGES = ["/portal/", "/portal/applications", "/portal/payments", "/portal/register/individual",
                    "/portal/applications/new", "/portal/account"]


def check_no_sideways_scroll(portal, paths):
    """The individual's pages at 375 px: cards instead of tables, nothing wider than the phone."""
    portal.narrow(375)
    try:
        for path in paths:
            portal.open(path)
            assert portal.scroll_width() <= 375, f"{path} is {portal.scroll_width()} px wide at 375 px"
    finally:
        portal.driver.set_window_size(1366, 768)


@pytest.mark.timeout(600)  # every role of all 13 stages and the self-registration: minutes on a loaded machine
def test_line_a_walk_through_the_portal(portal, clock, tmp_path):
    suffix = uuid.uuid4().hex[:6]
    username, name = f"grad{suffix}", "王小明"
    password = "Grad2026new"

    # -- the graduate registers from the login page (个人注册: SMS code, the unit by name, proof) ------------
    portal.login("admin")
    portal.screenshot("home_sys_admin")
    portal.fill("func-search", "新建账号")          # the function search jumps to the menu item
    portal._navigate(lambda: portal.find("#func-search").submit())
    assert portal.path() == "/portal/accounts/new"
    assert "个人" not in [o.text for o in portal.all("#role option")]   # graduates register themselves
    portal.logout()
    register_graduate_in_portal(portal, tmp_path, username, name, password)
    portal.logout()

    # -- the unit approves the registration (个人注册审核) -----------------------------------------------
    portal.login("dw_demo")
    portal.screenshot("home_unit_admin")
    portal._navigate(portal.todo(r"您有【\d+】个个人注册账号待审核").click)
    portal.search("小明")
    assert portal.row(name).find_element(By.TAG_NAME, "mark").text == "小明"
    portal.click("查看详情", portal.row(name))
    assert "毕业证书.pdf" in portal.text()              # the proof materials, in the review
    portal.menu("个人注册审核")
    portal.click("查看详情", portal.row(name))
    assert portal.act("审核通过") == "审核通过：办理成功"
    portal.wait_text("审核通过")
    portal.logout()

    # -- stage 1: the graduate applies, with a proof upload and one mistake first --------------------------
    portal.login(username, password)
    portal.screenshot("home_individual")
    portal.menu("补助申请")
    portal.reload_until(lambda: portal.all("#application-form"), message="registration known to the review")
    portal.choose("degree", value="bachelor")
    portal.fill("start_date", "2026-07-01")
    portal.fill("months", "99")
    portal.click("添加工作经历", navigates=False)
    row = portal.find(".repeat-rows .repeat-row")
    portal.fill_in(row, "[data-name='employer']", UNIT)
    portal.fill_in(row, "[data-name='position']", "软件工程师")
    portal.fill_in(row, "[data-name='from']", "2025-07-01")
    proof = tmp_path / "毕业证书.png"
    proof.write_bytes(PNG)
    portal.find("[id='attachment_ids-file']").send_keys(str(proof))
    submit = portal.find("#application-submit")
    assert not submit.is_enabled()                     # chosen but not uploaded: no submission yet
    portal.click("上传", navigates=False)
    portal.wait(lambda d: "上传成功" in portal.find(".upload-list").text, message="upload not finished")
    assert submit.is_enabled()
    submit.click()
    assert portal.field_error("months") == "补贴月数应为1-36个月"
    assert portal.find("[name='work_history.0.employer']").get_attribute("value") == UNIT
    portal.fill("months", "12")
    portal._navigate(submit.click)
    application_no = re.search(r"BZ\d+", portal.find("h1").text).group()
    assert "待单位审核" in portal.text()
    check_no_sideways_scroll(portal, INDIVIDUAL_PAGES + [portal.path()])
    portal.logout()

    # -- stage 2, returned: the unit sends it back with an opinion (required) ---------------------------
    portal.login("dw_demo")
    portal.menu("个人补助申请审核")
    portal.button("退回修改", portal.row(application_no)).click()
    portal.find("#action-submit").click()               # no opinion: refused next to the field
    assert portal.dialog_error() == "请填写审核意见"
    portal.find("#opinion").send_keys("请补充劳动合同")
    portal._navigate(portal.find("#action-submit").click)
    portal.logout()

    # -- stage 1 again: the graduate sees the return and resubmits ------------------------------------------
    portal.login(username, password)
    portal._navigate(portal.todo(r"您有【1】个补助申请被退回待修改").click)
    portal.click("修改后再次提交", portal.row(application_no))
    portal.wait_text("退回意见：请补充劳动合同")
    portal.fill("months", "10")
    portal._navigate(portal.find("#application-submit").click)
    assert portal.toast() == "已重新提交，等待单位审核"
    assert "¥8,000.00" in portal.text()               # 800 yuan × 10 months, in Chinese money format
    portal.logout()

    # -- stages 2 and 3: the unit approves, then reports to the county HRSS -----------------------------
    portal.login("dw_demo")
    portal._navigate(portal.todo(r"您有【\d+】个大学生租房补助申请待审核").click)
    portal.click("查看详情", portal.row(application_no))
    portal.act("审核通过", opinion="情况属实")
    portal.menu("个人补助申请上报")
    portal.tick(application_no)
    portal.act("上报至县人社局")
    assert not portal.has_row(application_no)
    portal.logout()

    # -- stage 4: the county HRSS approves ------------------------------------------------------------
    portal.login("rsj440703")
    portal.screenshot("home_county_hrss")
    portal._navigate(portal.todo(r"您有【\d+】个大学生租房补助申请待审核").click)
    portal.click("查看详情", portal.row(application_no))
    portal.act("审核通过", opinion="审核通过")

    # -- stage 5: publicity (公示) ------------------------------------------------------------------
    portal.menu("待公示")
    portal.reload_until(lambda: portal.has_row(application_no), message="the approval reaching publicity")
    portal.tick(application_no)
    portal.act("开始公示")
    assert portal.path().startswith("/portal/publicity-batches")
    batch_row = portal.all("table tbody tr")[0]          # newest first
    assert "公示中" in batch_row.text
    publicity_batch_no = batch_row.find_element(By.TAG_NAME, "a").text
    portal.logout()

    # anyone may read the publicity list (names masked) and object to it
    portal.open("/gongshi")
    public_row = portal.row(application_no)
    assert "王**" in public_row.text and name not in portal.text()
    portal.click("提出异议", public_row)
    assert portal.value("application_no") == application_no
    portal.fill("contact_name", "李先生")
    portal.fill("contact_phone", "13800138000")
    portal.fill("reason", "短")
    portal.find("#objection-submit").click()
    assert "5-500" in portal.field_error("reason")
    portal.fill("reason", "该申请人已在外地工作，不符合条件")
    portal._navigate(portal.find("#objection-submit").click)
    assert "异议已受理" in portal.toast()

    portal.login("rsj440703")
    portal.menu("公示异议处理")
    portal.act("异议不成立", portal.row(application_no), opinion="经核查，申请人在本单位工作，异议不成立")

    # the publicity period passes: the one step that is not a click
    clock(days=15)
    portal.driver.refresh()
    portal.wait_text("登录已失效，请重新登录")          # the old token expired with the clock
    portal.login("rsj440703")
    portal.menu("公示批次")
    # the timer ends the batch within a minute of its last day; a clerk who comes first ends it by hand
    row = portal.row(publicity_batch_no)
    if row.find_elements(By.XPATH, ".//*[(self::button or self::a) and normalize-space()='结束公示']"):
        try:
            portal.act("结束公示", row)
        except TimeoutException:    # the timer ended it between the look and the click; the case goes on below
            pass

    # -- stages 6 and 7: assessment and report to the county organisation department ----------------------
    portal.menu("评审")
    portal.reload_until(lambda: portal.has_row(application_no), message="case after publicity")
    portal.tick(application_no)
    portal.act("评审通过")
    portal.menu("上报县组织部")
    portal.tick(application_no)
    portal.act("上报县组织部")
    portal.logout()

    # -- stage 8: the county organisation department confirms ------------------------------------------
    portal.login("zzb440703")
    portal.screenshot("home_county_org")
    portal._navigate(portal.todo(r"您有【\d+】个申请待确认").click)
    portal.reload_until(lambda: portal.has_row(application_no), message="report reaching the county org")
    portal.click("查看详情", portal.row(application_no))   # the application materials reach stage 8
    material = portal.driver.find_element(By.LINK_TEXT, "毕业证书.png").get_attribute("href")
    assert material.split("/")[-1].startswith("sr-")
    portal.driver.back()
    portal._loaded()
    portal.tick(application_no)
    portal.act("确认")
    portal.logout()

    # -- stage 9: the city HRSS aggregates -----------------------------------------------------------
    portal.login("rsj440700")
    portal.screenshot("home_city_hrss")
    portal.menu("待汇总申请")
    portal.reload_until(lambda: portal.has_row(application_no), message="confirmed case at the city")
    portal.tick(application_no)
    portal.act("汇总上报市组织部")
    portal.click("查看详情", portal.all("table tbody tr")[0])
    portal.row(application_no)
    batch_no = portal.find("h1").text.split("：")[-1]
    portal.logout()

    # -- stage 10: the city organisation department confirms the batch ----------------------------------
    portal.login("zzb440700")
    portal.screenshot("home_city_org")
    portal._navigate(portal.todo(r"您有【\d+】个汇总批次待确认").click)
    portal.act("确认并通知市财政局", portal.row(batch_no), opinion="")
    portal.logout()

    # -- stage 11: city finance releases the county's money ---------------------------------------------
    portal.login("czj440700")
    portal.screenshot("home_city_finance")
    portal.menu("待拨付批次")
    portal.reload_until(lambda: portal.has_row(batch_no), message="batch ready at city finance")
    portal.click("查看并拨付", portal.row(batch_no))
    portal.act("确认拨付", portal.row("蓬江区"))
    assert "已拨付" in portal.row("蓬江区").text or "待支付到个人" in portal.row("蓬江区").text
    portal.logout()

    # -- stage 12: county finance confirms the money arrived, then pays the graduate -----------------------
    portal.login("czj440703")
    portal.screenshot("home_county_finance")
    portal.menu("待确认到账")
    portal.reload_until(lambda: portal.has_row(batch_no), message="transfer at county finance")
    portal.act("确认到账", portal.row(batch_no))
    portal.menu("待拨付至个人")
    portal.act("拨付至个人", portal.row(batch_no))
    portal.logout()

    # -- stage 13: the graduate confirms the receipt, and sees the whole path -----------------------------
    portal.login(username, password)
    portal.reload_until(lambda: bool(portal.all(".todo.has-count a")) and
                        "补助待确认收款" in portal.find(".todo.has-count a").text, message="payment to confirm")
    portal._navigate(portal.todo(r"您有【1】笔补助待确认收款").click)
    portal.act("确认收到", portal.row(application_no))
    portal.menu("补助拨付确认")
    assert "已确认收到" in portal.row(application_no).text
    portal.menu("我的申请")
    portal.click("查看详情", portal.row(application_no))
    portal.reload_until(lambda: len(portal.all(".timeline .stage.done")) == 13, message="all 13 stages done")
    stages = portal.all(".timeline .stage")
    assert "单位审核" in stages[1].text and "李经办" in stages[1].text and "情况属实" in stages[1].text
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}", stages[0].text)
    portal.find(".history summary").click()
    assert "请补充劳动合同" in portal.find(".history").text
    check_no_sideways_scroll(portal, ["/portal/payments", portal.path()])


# a 1x1 PNG: the store sniffs the type from the bytes
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")
