"""The platform as `make run` starts it: health, demo login, tokens honoured and revoked across the
gateway and identity, and nothing secret on the broker."""
import uuid

from shared import contracts
from shared.testing import rabbit
from shared.testing.helpers import wait_for


def test_health_readiness_and_documents(api):
    assert api.get("/healthz").json() == {"status": "ok"}
    ready = api.get("/readyz")
    assert ready.status_code == 200
    assert set(ready.json()["checks"].values()) == {"ok"} and {"broker", "identity"} <= set(ready.json()["checks"])
    assert api.get("/api/v1/openapi.json").json()["info"]["title"].startswith("大学生租房补助")
    assert api.get("/.well-known/jwks.json").json()["keys"][0]["alg"] == "RS256"


def test_every_demo_login_returns_a_token_for_its_role(api, platform):
    import yaml
    demo = yaml.safe_load(platform.config.demo_file.read_text(encoding="utf-8"))
    for account in demo["accounts"]:
        me = api.login(account["username"], demo["password"]).get("/api/v1/me").json()
        assert (me["username"], me["role"], me.get("region")) == (account["username"], account["role"],
                                                                   account.get("region"))


def test_wrong_password_and_validation_errors_are_clear(api):
    response = api.post("/api/v1/auth/login", json={"username": "admin", "password": "nope"})
    assert response.status_code == 401
    assert response.json()["error"] == {"code": "auth.invalid_credentials", "message": "用户名或密码错误",
                                        "details": {}}
    response = api.post("/api/v1/auth/login", json={"username": "admin"})
    assert response.status_code == 400
    assert response.json()["error"]["details"]["fields"]["password"] == "此项为必填项"


def test_deactivated_account_is_locked_out_everywhere_and_no_token_reaches_the_broker(api, platform):
    tap = rabbit.Tap(platform.vhost, contracts.exchanges())
    admin = api.login("admin")
    name = f"u{uuid.uuid4().hex[:8]}"
    created = admin.post("/api/v1/accounts", json={
        "username": name, "password": "Abc12345", "role": "county_hrss", "region": "440704", "name": "临时经办人",
        "must_change_password": False}, headers={"Idempotency-Key": f"create-{name}"})
    assert created.status_code == 201, created.text
    again = admin.post("/api/v1/accounts", json={
        "username": name, "password": "Abc12345", "role": "county_hrss", "region": "440704", "name": "临时经办人",
        "must_change_password": False}, headers={"Idempotency-Key": f"create-{name}"})
    assert again.status_code == 201 and again.json()["id"] == created.json()["id"]
    user = api.login(name, "Abc12345")
    assert user.get("/api/v1/me").status_code == 200
    assert admin.post(f"/api/v1/accounts/{created.json()['id']}/deactivate").json()["status"] == "deactivated"
    response = user.get("/api/v1/me")
    assert response.status_code == 401 and response.json()["error"]["code"] == "auth.token_revoked"
    assert api.post("/api/v1/auth/login", json={"username": name, "password": "Abc12345"}).status_code == 401

    messages = tap.drain(wait=3)
    types = [m["body"]["type"] for m in messages]
    assert "account.created" in types and "account.deactivated" in types
    for message in messages:
        flat = repr(message).lower()
        assert user.token.lower() not in flat and admin.token.lower() not in flat
        assert "authorization" not in flat and not any(k.startswith("nameko.") for k in message["headers"])


def test_logout_ends_the_session(api):
    user = api.login("rsj440703")
    assert user.post("/api/v1/auth/logout").json() == {"ok": True}
    wait_for(lambda: user.get("/api/v1/me").status_code == 401, message="token refused after logout")
