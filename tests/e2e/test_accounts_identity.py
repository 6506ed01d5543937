"""identity over HTTP as `make run` serves it: SMS codes and the development inbox, SMS login, first
login of an initial-password account enforced by every service (not only the portal), Retry-After."""
import uuid

from tests.support.helpers import wait_for


def fresh_mobile() -> str:
    return "139" + str(uuid.uuid4().int)[:8]


def inbox_code(api, mobile):
    response = api.get("/api/v1/dev/sms-inbox", params={"mobile": mobile})
    assert response.status_code == 200, response.text
    return response.json()["items"][0]["code"]


def test_sms_codes_over_http_with_retry_after_and_sms_login(api):
    admin = api.login("admin")
    mobile, name = fresh_mobile(), f"s{uuid.uuid4().hex[:8]}"
    assert admin.post("/api/v1/accounts", json={
        "username": name, "password": "Abc12345x", "role": "county_hrss", "region": "440703", "name": "短信用户",
        "mobile": mobile, "must_change_password": False}).status_code == 201
    bad = api.post("/api/v1/auth/sms-codes", json={"mobile": "1380013", "purpose": "login"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "mobile.length"
    bad = api.post("/api/v1/auth/sms-codes", json={"mobile": mobile, "purpose": "anything"})
    assert bad.status_code == 400 and bad.json()["error"]["details"]["fields"]["purpose"]
    sent = api.post("/api/v1/auth/sms-codes", json={"mobile": mobile, "purpose": "login"})
    assert sent.status_code == 200 and sent.json() == {"sent": True, "expires_in": 300, "retry_after": 60}
    again = api.post("/api/v1/auth/sms-codes", json={"mobile": mobile, "purpose": "login"})
    assert again.status_code == 429 and again.json()["error"]["code"] == "sms.too_many_requests"
    assert 1 <= int(again.headers["Retry-After"]) <= 60
    code = inbox_code(api, mobile)
    assert code not in sent.text
    wrong = api.post("/api/v1/auth/sms-login", json={"mobile": mobile, "code": "12345x"})
    assert wrong.status_code == 400 and wrong.json()["error"]["code"] == "sms.invalid_code"
    tokens = api.post("/api/v1/auth/sms-login", json={"mobile": mobile, "code": code})
    assert tokens.status_code == 200, tokens.text
    assert tokens.json()["account"]["username"] == name
    reused = api.post("/api/v1/auth/sms-login", json={"mobile": mobile, "code": code})
    assert reused.status_code == 400 and reused.json()["error"]["code"] == "sms.invalid_code"


def test_an_initial_password_is_enforced_by_every_service(api):
    admin = api.login("admin")
    mobile, name = fresh_mobile(), f"i{uuid.uuid4().hex[:8]}"
    created = admin.post("/api/v1/accounts", json={
        "username": name, "password": "Init2026abc", "role": "county_hrss", "region": "440703", "name": "新同事",
        "mobile": mobile})  # the admin's default: an initial password
    assert created.status_code == 201 and created.json()["must_change_password"] is True
    user = api.login(name, "Init2026abc")
    assert user.get("/api/v1/me").status_code == 200
    for path in ["/api/v1/applications", "/api/v1/individuals", "/api/v1/publicity-batches"]:
        response = user.get(path)
        assert response.status_code == 403, (path, response.text)
        assert response.json()["error"]["code"] == "account.password_change_required", path
    assert user.post("/api/v1/me/first-login/sms-code").json()["mobile"].startswith("139****")
    code = inbox_code(api, mobile)
    weak = user.post("/api/v1/me/first-login", json={"sms_code": code, "new_password": "weakpass"})
    assert weak.status_code == 400 and weak.json()["error"]["code"] == "account.password_weak"
    done = user.post("/api/v1/me/first-login", json={"sms_code": code, "new_password": "Fresh2026x"})
    assert done.status_code == 200, done.text
    assert user.get("/api/v1/me").status_code == 401
    fresh = api.login(name, "Fresh2026x")
    wait_for(lambda: fresh.get("/api/v1/applications").status_code == 200, message="the new token works")
