"""The gateway without services: error mapping in one place, validation, OpenAPI, health."""
import json

import pytest
from nameko.exceptions import RemoteError

from shared.errors import Conflict, NotFound, Unavailable
from tests.support.gateway import gateway_app

TEST_SECRET = "f3c1a9d27be04e6f8a5b1c3d7e9f0a2b4c6d8e1f3a5b7c9d"  # a test key, not a placeholder


class FakePool:
    def __init__(self):
        self.calls, self.result, self.error = [], None, None

    def call(self, service, method, *args, context, **kwargs):
        self.calls.append((service, method, args, context))
        if self.error:
            raise self.error
        return self.result


@pytest.fixture
def app(jwks_file):
    app = gateway_app(jwks_file, secure_cookies=False, secret_key=TEST_SECRET)
    app.extensions["rpc_pool"] = FakePool()
    return app


@pytest.fixture
def client(app):
    return app.test_client()


def test_health_and_documents(client):
    assert client.get("/healthz").json == {"status": "ok"}
    spec = client.get("/api/v1/openapi.json").json
    assert "/api/v1/auth/login" in spec["paths"] and "/api/v1/accounts/{account_id}/deactivate" in spec["paths"]
    assert client.get("/api/docs").status_code == 200
    assert client.get("/api/docs/assets/swagger-ui-bundle.js").status_code == 200
    channels = client.get("/api/v1/asyncapi.json").json["channels"]
    assert "subsidy_review.events/application.county_approved" in channels


def test_remote_errors_map_to_status_code_and_chinese_message(app, client, issue):
    token, _ = issue(role="sys_admin", region=None)
    headers = {"Authorization": token}
    for err, status in [(NotFound(), 404), (Conflict(code="illegal_transition"), 409), (Unavailable(), 503)]:
        app.extensions["rpc_pool"].error = RemoteError(type(err).__name__, str(err))
        response = client.get("/api/v1/accounts/x", headers=headers)
        assert response.status_code == status
        assert response.json["error"]["code"] == err.code and response.json["error"]["message"] == err.message
    app.extensions["rpc_pool"].error = RemoteError("ZeroDivisionError", "division by zero")
    response = client.get("/api/v1/accounts/x", headers=headers)
    assert response.status_code == 500 and "division" not in json.dumps(response.json)


def test_invalid_input_is_400_with_field_messages_and_no_call(app, client):
    response = client.post("/api/v1/auth/login", json={"username": ""})
    assert response.status_code == 400
    assert response.json["error"]["details"]["fields"] == {"username": "长度应为1-50个字符", "password": "此项为必填项"}
    assert client.post("/api/v1/auth/login", data="{oops", content_type="application/json").status_code == 400
    assert app.extensions["rpc_pool"].calls == []


def test_missing_or_bad_token_is_401_before_any_call(app, client):
    assert client.get("/api/v1/me").json["error"]["code"] == "auth.token_missing"
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer x.y.z"}).status_code == 401
    assert app.extensions["rpc_pool"].calls == []


def test_commands_carry_token_and_idempotency_key(app, client, issue):
    token, _ = issue(role="sys_admin", region=None)
    pool = app.extensions["rpc_pool"]
    pool.result = {"id": "a", "username": "x"}
    client.post("/api/v1/accounts/a/deactivate", headers={"Authorization": token, "Idempotency-Key": "abc-1"})
    client.post("/api/v1/accounts/a/deactivate", headers={"Authorization": token})
    (_, method, args, first), (_, _, _, second) = pool.calls
    assert method == "deactivate_account" and args == ("a",)
    assert first["authorization"] == token and first["idempotency_key"] == "abc-1"
    assert second["idempotency_key"].startswith("gw:")  # one per request even without a client key
    bad = client.post("/api/v1/accounts/a/deactivate", headers={"Authorization": token, "Idempotency-Key": "ä b"})
    assert bad.status_code == 400 and bad.json["error"]["code"] == "idempotency.key_invalid"


def test_unknown_path_is_json_404(client):
    response = client.get("/nowhere")
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"
