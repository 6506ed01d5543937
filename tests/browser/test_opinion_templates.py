"""常用意见 in the browser: an officer saves an opinion on the screen reached from the top bar, picks it in
the return dialog (the box is filled, still editable), and the opinion is the one in the application's
timeline. A 退回 template is not offered when approving."""
from __future__ import annotations

import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

pytestmark = pytest.mark.browser

OPINION = "劳动合同页不清晰，请重新上传劳动合同复印件"


def test_a_saved_opinion_is_picked_in_the_return_dialog_and_reaches_the_timeline(portal):
    # the graduate of the Jianghai demo unit applies (李四: 硕士 at registration)
    portal.login("lisi")
    portal.menu("补助申请")
    portal.choose("degree", value="master")
    portal.fill("start_date", "2026-09-01")
    portal.fill("months", "6")
    portal._navigate(portal.find("#application-submit").click)
    application_no = re.search(r"BZ\d+", portal.find("h1").text).group()
    portal.logout()

    # the unit's officer saves two opinions on 常用意见 (top bar): one for returns, one for approvals
    portal.login("dw_jianghai")
    portal._navigate(portal.find("#opinion-templates-link").click)
    assert portal.path() == "/portal/opinion-templates" and portal.find("h1").text == "常用意见"
    portal.fill("template-text", OPINION)
    portal.choose("template-kind", value="return")
    portal._navigate(portal.find("#template-save").click)
    assert portal.toast() == "常用意见已保存"
    portal.fill("template-text", "材料齐全，同意。")
    portal.choose("template-kind", value="approve")
    portal._navigate(portal.find("#template-save").click)
    portal.fill("template-text", OPINION)                   # the same text again: refused next to the field
    portal.find("#template-save").click()
    assert portal.field_error("text") == "已有相同内容的常用意见"
    saved = [area.get_attribute("value") for area in portal.all("#template-list textarea")]
    assert saved == [OPINION, "材料齐全，同意。"]

    # on the application: the approval's dialog offers the approval's template, the return's the return's;
    # picking one fills the opinion box
    portal.menu("个人补助申请审核")
    portal.click("查看详情", portal.row(application_no))
    assert offered(portal, "审核通过") == ["材料齐全，同意。"]
    portal.find("#action-cancel").click()
    assert offered(portal, "退回修改") == [OPINION]
    Select(portal.find("#opinion-template")).select_by_value(OPINION)
    assert portal.find("#opinion").get_attribute("value") == OPINION
    portal._navigate(portal.find("#action-submit").click)
    assert portal.toast() == "退回修改：办理成功"

    # the opinion is the one in the application's timeline (办理历史; the timeline is fed by the events)
    portal.reload_until(lambda: OPINION in portal.find("details.history").get_attribute("textContent"),
                        message="opinion not in the timeline")
    portal.find("details.history summary").click()
    [returned] = [row.text for row in portal.all("details.history tbody tr") if OPINION in row.text]
    assert "退回" in returned


def offered(portal, action: str) -> list[str]:
    """Open ``action``'s dialog; the saved opinions its picker offers (once they have arrived)."""
    portal.button(action).click()
    picker = portal.wait(lambda d: d.find_element(By.ID, "opinion-template-picker").is_displayed()
                         and d.find_element(By.ID, "opinion-template"), message=f"no opinion picker for {action}")
    return [o.get_attribute("value") for o in Select(picker).options][1:]
