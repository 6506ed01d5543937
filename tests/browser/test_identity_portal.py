"""identity's functions clicked through the portal: first login of an initial-password account (SMS
code, then the new password), SMS login, a unit managing its people's accounts, messages. Codes are
read from the development SMS inbox, as a demo user of `make run` would."""
from __future__ import annotations

import uuid

import pytest
import requests

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
