"""The gateway's request-hardening layer, check order, security headers, the encrypted session cookie,
the secret check, the OpenAPI error schema, 405/414 (issue 9 items 1-3, 9, 11, 12; no broker)."""
import json

import marshmallow as ma
import pytest

from gateway.api.schemas import StrictInteger
from gateway.app import create_app
from gateway.config import Settings
from gateway.cookies import check_secret
from gateway.hardening import MAX_URL_LENGTH, call_targets
from gateway.server import write_json_error
from gateway.testing import TEST_SECRET
from shared.errors import Forbidden, Unauthenticated


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def admin(issue):
    return {"Authorization": issue(role="sys_admin", region=None)[0]}


@pytest.mark.parametrize("path", ["/api/v1/public/units?q=%00", "/api/v1/public/units?q=a%1Bb",
                                  "/api/v1/public/units?region=%00", "/api/v1/public/units?%00=1"])
def test_control_characters_in_the_query_are_400(app, client, path):
    response = client.get(path)
    assert response.status_code == 400 and response.json["error"]["code"] == "input.control_character"
    assert app.extensions["rpc_pool"].calls == app.extensions["rpc_pool"].prechecks == []


@pytest.mark.parametrize("page", ["9223372036854775807", "100001", "0", "-1", "1.5", "%EF%BC%91"])
def test_page_out_of_bounds_is_400_everywhere(client, page):
    for path in ("/api/v1/public/units", "/api/v1/public/publicity"):
        response = client.get(f"{path}?page={page}")
        assert response.status_code == 400, (path, page)
        assert set(response.json["error"]) == {"code", "message", "details"}


@pytest.mark.parametrize("body, code", [
    ('{"username": "a\\u0000", "password": "x"}', "input.control_character"),
    ('{"username": "\\ud800", "password": "x"}', "input.invalid_text"),
    ("[" * 1000 + "]" * 1000, "input.too_deep"),
    ('{"username": ' + "[" * 40 + "]" * 40 + ', "password": "x"}', "input.too_deep"),
    ('{"username": "a", ', "input.malformed_json"),
])
def test_hostile_json_bodies_are_400_before_any_call(app, client, body, code):
    response = client.post("/api/v1/auth/login", data=body, content_type="application/json")
    assert response.status_code == 400 and response.json["error"]["code"] == code
    assert app.extensions["rpc_pool"].calls == app.extensions["rpc_pool"].prechecks == []


def test_json_strings_reach_the_service_normalised(app, client):
    client.post("/api/v1/auth/login", json={"username": "e\u0301", "password": "pw"})
    [(_, method, args)] = app.extensions["rpc_pool"].calls
    assert method == "login" and args[:2] == ("\u00e9", "pw")


def test_too_large_json_body_is_refused(client):
    response = client.post("/api/v1/auth/login", data='{"username": "' + "a" * (1 << 20) + '"}',
                           content_type="application/json")
    assert response.status_code == 400 and response.json["error"]["code"] == "input.too_large"


@pytest.mark.parametrize("months", [12.9, 12.0, "１２", True, 0, 121])
def test_months_must_be_a_true_integer_in_range(client, issue, months):
    token, _ = issue(role="individual", region=None)
    response = client.post("/api/v1/applications", headers={"Authorization": token},
                           json={"degree": "bachelor", "months": months, "start_date": "2026-07-01"})
    assert response.status_code == 400 and "months" in response.json["error"]["details"]["fields"]


def test_degree_must_be_one_of_the_enum(client, issue):
    token, _ = issue(role="individual", region=None)
    response = client.post("/api/v1/applications", headers={"Authorization": token},
                           json={"degree": "phd", "months": 12, "start_date": "2026-07-01"})
    assert response.status_code == 400 and "degree" in response.json["error"]["details"]["fields"]


def test_every_integer_of_a_request_schema_is_strict(app):
    """A schema added later with ma.fields.Integer would accept 12.9 as 12 again: this finds it."""
    loose = []
    for schema in _request_schemas():
        for name, field in schema().fields.items():
            if isinstance(field, ma.fields.Integer) and not isinstance(field, StrictInteger):
                loose.append(f"{schema.__name__}.{name}")
    assert loose == []


def _request_schemas():
    """Every Schema class of gateway.api (subclasses walked from ma.Schema: no scan of the whole heap)."""
    found, todo = [], [ma.Schema]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("gateway.api"):
                found.append(sub)
    return found


def test_check_order_no_token_401_before_400(app, client):
    pool = app.extensions["rpc_pool"]
    pool.authorise = Unauthenticated(code="auth.token_missing")
    response = client.post("/api/v1/applications", json={"months": "bad"})
    assert response.status_code == 401 and response.json["error"]["code"] == "auth.token_missing"
    response = client.post("/api/v1/applications", data="[" * 500, content_type="application/json")
    assert response.status_code == 401
    assert [c[:2] for c in pool.prechecks] == [("subsidy_review", "submit_application")] * 2
    assert pool.calls == []


def test_check_order_wrong_role_403_before_400(app, client, issue):
    pool = app.extensions["rpc_pool"]
    pool.authorise = Forbidden()
    token, _ = issue(role="county_hrss")
    response = client.post("/api/v1/applications/x/return", headers={"Authorization": token}, json={})
    assert response.status_code == 403
    service, rpc, context = pool.prechecks[0]
    assert (service, rpc) == ("subsidy_review", "return_application")
    assert context["authorization"] == token
    pool.authorise = None  # allowed: the 400 stands
    response = client.post("/api/v1/applications/x/return", headers={"Authorization": token}, json={})
    assert response.status_code == 400 and "opinion" in response.json["error"]["details"]["fields"]


def test_route_targets_are_what_the_views_declare(app):
    targets = call_targets(app)
    assert targets["applications.submit"] == ("subsidy_review", "submit_application")
    assert targets["registry.register_individual"] == ("unit_registry", "register_individual")
    assert "auth.login" not in targets  # public: called with authenticated=False


def test_a_view_delegating_to_a_helper_keeps_its_check_order(app):
    """The target is declared, not read from the view's source: a view whose call sits in a helper still
    gets its 401 before its 400."""
    from flask import Flask

    from gateway.context import authorised_as, call

    def helper():
        return call("subsidy_review", "submit_application")

    @authorised_as("subsidy_review", "submit_application")
    def view():
        return helper()

    other = Flask("t")
    other.add_url_rule("/x", view_func=view)
    assert call_targets(other) == {"view": ("subsidy_review", "submit_application")}


def test_a_target_naming_no_service_fails_the_start():
    from flask import Flask

    from gateway.context import authorised_as
    from gateway.hardening import check_targets
    other = Flask("t")
    other.add_url_rule("/x", view_func=authorised_as("subsidy_reveiw", "submit_application")(lambda: ""))
    with pytest.raises(RuntimeError, match="subsidy_reveiw"):
        check_targets(other, ["subsidy_review"])


def test_long_url_is_json_414_and_405_has_allow(client):
    response = client.get("/api/v1/public/units?q=" + "a" * MAX_URL_LENGTH)
    assert response.status_code == 414 and response.json["error"]["code"] == "request.uri_too_long"
    response = client.delete("/api/v1/auth/login")
    assert response.status_code == 405 and response.headers["Allow"] == "OPTIONS, POST"
    assert response.json["error"]["code"] == "method_not_allowed"


def test_gunicorn_error_pages_are_json():
    import socket
    ours, theirs = socket.socketpair()
    with ours, theirs:
        write_json_error(ours, 414, "URI Too Long", "line too long")
        ours.shutdown(socket.SHUT_WR)
        data = b"".join(iter(lambda: theirs.recv(4096), b""))
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 414") and b"application/json" in head
    assert json.loads(body) == {"error": {"code": "request.uri_too_long", "message": "请求地址过长", "details": {}}}


def test_security_headers_and_no_store(client):
    for path in ("/portal/login", "/api/v1/public/units", "/healthz"):
        response = client.get(path)
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["Cache-Control"] == "no-store", path
    assert "no-store" not in client.get("/api/docs/assets/swagger-ui-bundle.js").headers.get("Cache-Control", "")


def test_session_cookie_is_encrypted_not_just_signed(app):
    from flask import session
    with app.test_request_context("/"):
        session["access_token"] = "eyJhbGciOi.secret-token"
        serializer = app.session_interface.get_signing_serializer(app)
        cookie = serializer.dumps(dict(session))
    assert "secret-token" not in cookie and "access_token" not in cookie
    import base64
    for chunk in cookie.split("."):
        padded = chunk + "=" * (-len(chunk) % 4)
        assert b"secret-token" not in base64.urlsafe_b64decode(padded.encode())
    assert serializer.loads(cookie)["access_token"] == "eyJhbGciOi.secret-token"
    from itsdangerous import BadSignature
    with pytest.raises(BadSignature):
        serializer.loads(cookie[:-4] + "AAAA")


@pytest.mark.parametrize("secret", [None, "", "change-me-in-production", "short", "a" * 64,
                                    "my-secret-key-that-is-long-enough-1234567890"])
def test_placeholder_secret_refuses_to_start(jwks_file, secret):
    with pytest.raises(RuntimeError):
        create_app(Settings(jwks_file=str(jwks_file), secret_key=secret))
    assert check_secret(TEST_SECRET) == TEST_SECRET


def test_compose_has_no_default_secret_and_gunicorn_answers_json():
    from pathlib import Path

    import yaml
    root = Path(__file__).resolve().parents[3]
    compose = yaml.safe_load((root / "docker-compose.yml").read_text())
    gateway = compose["services"]["gateway"]
    assert ":?" in gateway["environment"]["GATEWAY_SECRET_KEY"]  # no fixed fallback: compose refuses to start
    assert "gateway.server.JsonErrorThreadWorker" in gateway["command"]
    assert "gateway.server.JsonErrorThreadWorker" in (root / "Procfile").read_text()


def test_openapi_documents_the_real_error_body_and_limits(client):
    spec = client.get("/api/v1/openapi.json").json
    error = spec["components"]["schemas"]["Error"]
    assert set(error["properties"]) == {"error"}
    body = spec["components"]["schemas"][error["properties"]["error"]["$ref"].rsplit("/", 1)[-1]]
    assert set(body["properties"]) == {"code", "message", "details"}
    submit = spec["paths"]["/api/v1/applications"]["post"]
    assert "422" not in submit["responses"]
    assert submit["responses"]["400"]["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/Error"
    args = spec["components"]["schemas"]["ApplicationArgs"]["properties"]
    assert args["months"]["minimum"] == 1 and args["months"]["maximum"] == 120
    assert args["degree"]["enum"] == ["college", "bachelor", "master", "doctor"]


def test_unknown_unit_for_a_unit_account_is_400(app, client, admin):
    pool = app.extensions["rpc_pool"]
    account = {"username": "u1", "password": "Abc12345", "role": "unit_admin", "name": "某人", "unit_id": "nope"}
    response = client.post("/api/v1/accounts", headers=admin, json=account)
    assert response.status_code == 400 and response.json["error"]["code"] == "account.unit_id_invalid"
    assert pool.calls == pool.prechecks == []

