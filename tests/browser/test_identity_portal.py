"""identity's functions clicked through the portal: first login of an initial-password account (SMS
code, then the new password), SMS login, a unit managing its people's accounts, messages. Codes are
read from the development SMS inbox, as a demo user of `make run` would."""
from __future__ import annotations

import uuid

import pytest
import requests
from selenium.webdriver.common.by import By

pytestmark = pytest.mark.browser


def api(portal, method, path, token=None, **kwargs):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.request(method, portal.base + path, headers=headers, timeout=30, **kwargs)


def token_of(portal, username, password="Demo2026"):
    response = api(portal, "POST", "/api/v1/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def inbox_code(portal, mobile):
    response = api(portal, "GET", "/api/v1/dev/sms-inbox", params={"mobile": mobile})
    assert response.status_code == 200, response.text
    return response.json()["items"][0]["code"]


def fresh_mobile() -> str:
    return "137" + str(uuid.uuid4().int)[:8]


def test_first_login_takes_an_sms_code_then_the_new_password(portal):
    name, mobile = f"first{uuid.uuid4().hex[:6]}", fresh_mobile()
    created = api(portal, "POST", "/api/v1/accounts", token_of(portal, "admin"), json={
        "username": name, "password": "Init2026abc", "role": "county_hrss", "region": "440703",
        "name": "新来的经办人", "mobile": mobile})
    assert created.status_code == 201, created.text
    portal.login(name, "Init2026abc", expect="/portal/account")
    portal.wait_text("首次登录：设置新密码")
    portal.open("/portal/applications")                  # every other page leads back here
    assert portal.path().startswith("/portal/account")
    send = portal.find("#first-login-send")
    send.click()
    portal.wait(lambda d: "秒后重新获取" in send.text, message="no countdown on the send button")
    assert not send.is_enabled()
    portal.fill("sms_code", inbox_code(portal, mobile))
    portal.fill("new_password", "weakpassword")
    portal.fill("confirm_password", "weakpassword")
    portal.find("#first-login-save").click()
    assert "至少三种" in portal.field_error("new_password")
    portal.fill("new_password", "Fresh2026x!")
    portal.fill("confirm_password", "Fresh2026x!")
    portal._navigate(portal.find("#first-login-save").click)
    assert portal.path() == "/portal/"
    portal.logout()
    portal.login(name, "Fresh2026x!")


def test_a_unit_manages_its_peoples_accounts(portal):
    name = f"staff{uuid.uuid4().hex[:6]}"
    portal.login("dw_demo")
    portal.menu("新增经办人账号")
    portal.fill("username", name)
    portal.fill("password", "Start2026")
    portal.fill("name", "第二经办人")
    portal.choose("role", value="unit_admin")
    portal._navigate(portal.find("#account-create").click)
    assert portal.toast() == "账号已创建"
    portal.menu("账号管理")
    portal.search(name)
    portal._navigate(portal.row(name).find_element(By.LINK_TEXT, name).click)
    assert portal.path().startswith("/portal/accounts/")
    detail = portal.path()
    portal.fill("mobile", "12345")
    portal.find("#account-edit-save").click()
    assert portal.field_error("mobile")
    portal.fill("mobile", "13712345678")
    portal.fill("name", "第二经办人（改）")
    portal._navigate(portal.find("#account-edit-save").click)
    assert portal.toast() == "账号信息已修改"
    assert "第二经办人（改）" in portal.text() and "13712345678" in portal.text()
    portal.fill("new_password", "Again2026")
    portal._navigate(portal.find("#account-password-save").click)
    portal.wait_text("是，首次登录须修改")
    assert portal.act("注销") == "注销：办理成功"
    assert portal.find("#account-status").text == "已注销"
    assert portal.act("撤销注销") == "撤销注销：办理成功"
    assert portal.find("#account-status").text == "正常"
    portal.logout()
    # another unit's operator: the same page is not found
    portal.login("dw_jianghai")
    portal.open(detail)
    assert "不存在" in portal.text() or "404" in portal.text()


def test_sms_login_from_the_login_page(portal):
    portal.logout_if_needed()
    portal.open("/")
    portal.find("#tab-sms").click()
    portal.wait(lambda d: portal.find("#panel-sms").is_displayed(), message="the SMS tab did not open")
    portal.fill("sms-mobile", "1380000")
    portal.find("#sms-send").click()
    assert "11位" in portal.field_error("mobile")
    portal.fill("sms-mobile", "13800000001")               # dw_demo's mobile in the demo city
    send = portal.find("#sms-send")
    send.click()
    portal.wait(lambda d: "秒后重新获取" in send.text, message="no countdown")
    portal.fill("sms-code", inbox_code(portal, "13800000001"))
    portal._navigate(portal.find("#sms-login-submit").click)
    assert portal.path() == "/portal/", portal.text()[:300]
    assert "dw_demo" in portal.find("body").get_attribute("data-user")


def test_messages_with_the_unread_count_in_the_header(portal):
    from tests.e2e.walk import PASSWORD, new_id_number, register_graduate

    name = f"msg{uuid.uuid4().hex[:6]}"
    # 个人注册 (the platform admin opens staff accounts only): account and registration in one step
    person = register_graduate(portal.base, name, "6f1c2a10-0000-4000-8000-000000000001", {
        "name": "消息毕业生", "id_type": "resident_id", "id_number": new_id_number("440703"),
        "degree": "bachelor", "graduated_on": "2025-06-30",
        "bank_account": {"holder": "消息毕业生", "bank": "中国工商银行江门分行", "number": "6222020000001234567"}},
        name="消息毕业生")
    person_id = (person.get("registration") or person.get("individual") or person)["id"]
    approved = api(portal, "POST", f"/api/v1/individuals/{person_id}/approve", token_of(portal, "dw_demo"),
                   json={})
    assert approved.status_code == 200, approved.text
    portal.login(name, PASSWORD)
    portal.reload_until(lambda: portal.all("#unread-count"), message="the approval's message")
    assert portal.find("#unread-count").text == "1"
    portal._navigate(portal.find("#messages-link").click)
    assert "个人注册审核通过" in portal.find("#message-list").text
    assert portal.act("标记为已读") == "标记为已读：办理成功"
    assert not portal.all("#unread-count")


def test_a_user_changes_their_mobile_with_a_code_sent_to_the_new_number(portal):
    from tests.e2e.walk import PASSWORD, new_id_number, register_graduate

    name = f"mob{uuid.uuid4().hex[:6]}"
    registered = register_graduate(portal.base, name, "6f1c2a10-0000-4000-8000-000000000001", {
        "name": "换号毕业生", "id_type": "resident_id", "id_number": new_id_number("440703"),
        "degree": "bachelor", "graduated_on": "2025-06-30",
        "bank_account": {"holder": "换号毕业生", "bank": "中国工商银行江门分行", "number": "6222020000007654321"}},
        name="换号毕业生")
    old, new = registered["account"]["mobile"], fresh_mobile()
    portal.login(name, PASSWORD)
    portal._navigate(portal.find("#account-link").click)
    assert portal.find("#my-mobile").text == old[:3] + "****" + old[-4:]
    portal.fill("new_mobile", old)
    portal.find("#mobile-send").click()
    assert "相同" in portal.field_error("mobile")                # the current number: no code is sent
    portal.fill("new_mobile", new)
    send = portal.find("#mobile-send")
    send.click()
    portal.wait(lambda d: "秒后重新获取" in send.text, message="no countdown on the send button")
    portal.fill("mobile_sms_code", inbox_code(portal, new))
    portal.fill("mobile_password", "Wrong2026x")
    portal.find("#mobile-save").click()
    assert portal.field_error("password") == "登录密码不正确"
    portal.fill("mobile_password", PASSWORD)
    portal._navigate(portal.find("#mobile-save").click)
    assert portal.toast() == "手机号码已修改"
    assert portal.find("#my-mobile").text == new[:3] + "****" + new[-4:]
    # (that the old number then finds no account at 短信登录 is the service test's: a code to it needs 60 s)
    # 修改密码 on the same page: the old password is checked, then the new one works and the old does not
    portal.fill("old_password", "Wrong2026x")
    portal.fill("new_password", "Changed2026x")
    portal.fill("confirm_password", "Changed2026x")
    portal.find("#password-save").click()
    assert portal.field_error("old_password") == "原密码不正确"
    portal.fill("old_password", PASSWORD)
    portal._navigate(portal.find("#password-save").click)
    assert portal.path() == "/portal/"
    portal.logout()
    assert api(portal, "POST", "/api/v1/auth/login", json={"username": name, "password": PASSWORD}).status_code == 401
    portal.login(name, "Changed2026x")


def test_a_unit_logs_in_with_its_uscc(portal):
    """登录 (seed 000): a unit's 统一社会信用代码 names its operator account."""
    portal.login("91440703MA5X12349J")
    assert "dw_demo" in portal.find("body").get_attribute("data-user")
