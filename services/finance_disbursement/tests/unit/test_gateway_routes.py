"""The gateway's finance routes without services: each route calls the right RPC with the right
arguments, validates its input first and documents itself in the OpenAPI."""
import pytest

from gateway.api import finance
from tests.support.gateway import gateway_app

PAGE = {"items": [], "total": 0, "page": 1, "page_size": 20}


class FakePool:
    def __init__(self):
        self.calls, self.result = [], None

    def call(self, service, method, *args, context, **kwargs):
        self.calls.append((service, method, args))
        return self.result


@pytest.fixture
def app(jwks_file):
    app = gateway_app(jwks_file, secure_cookies=False)
    if finance.bp.name not in app.blueprints:  # until the lead registers it in app.py
        app.extensions["flask-smorest"]["blp_name_to_api"]["auth"].register_blueprint(finance.bp)
    app.extensions["rpc_pool"] = FakePool()
    return app


@pytest.fixture
def headers(issue):
    token, _ = issue(role="city_finance", region="440700")
    return {"Authorization": token}


@pytest.mark.parametrize("http, path, body, result, expected", [
    ("get", "/api/v1/disbursement-batches?status=ready&page=2", None, PAGE,
     ("list_batches", ({"status": "ready"}, 2, 20))),
    ("get", "/api/v1/disbursement-batches/b1", None, {"id": "b1", "items": []}, ("get_batch", ("b1",))),
    ("post", "/api/v1/disbursement-batches/b1/release", {"county": "440703"}, {"id": "b1", "items": []},
     ("release", ("b1", "440703"))),
    ("post", "/api/v1/disbursement-batches/b1/release", None, {"id": "b1", "items": []}, ("release", ("b1", None))),
    ("get", "/api/v1/county-transfers?status=released", None, PAGE,
     ("list_transfers", ({"status": "released"}, 1, 20))),
    ("get", "/api/v1/county-transfers/t1", None, {"id": "t1", "items": []}, ("get_transfer", ("t1",))),
    ("post", "/api/v1/county-transfers/t1/pay", None, {"id": "t1", "items": []}, ("pay", ("t1",))),
    ("get", "/api/v1/payments", None, PAGE, ("my_payments", ({}, 1, 20))),
    ("post", "/api/v1/payments/p1/confirm-receipt", None, {"id": "p1"}, ("confirm_receipt", ("p1",))),
    ("post", "/api/v1/payments/p1/dispute", {"opinion": "未到账"}, {"id": "p1"}, ("dispute_receipt", ("p1", "未到账"))),
    ("get", "/api/v1/disbursement-statistics?county=440703", None, {"total": {"count": 0}},
     ("statistics", ({"county": "440703"},))),
])
def test_each_route_calls_its_rpc(app, headers, http, path, body, result, expected):
    pool = app.extensions["rpc_pool"]
    pool.result = result
    response = getattr(app.test_client(), http)(path, json=body, headers=headers)
    assert response.status_code == 200, response.json
    assert pool.calls == [("finance_disbursement", *expected)]


def test_bad_input_is_refused_before_any_call(app, headers):
    client = app.test_client()
    assert client.post("/api/v1/payments/p1/dispute", json={"opinion": ""}, headers=headers).status_code == 400
    assert client.post("/api/v1/disbursement-batches/b1/release", json={"county": "4407"},
                       headers=headers).status_code == 400
    assert client.get("/api/v1/disbursement-batches?status=lost", headers=headers).status_code == 400
    # only the check-order question (may this caller call it at all?), never the operation itself
    assert {call[1] for call in app.extensions["rpc_pool"].calls} <= {"authorise"}


def test_routes_are_documented_in_chinese(app):
    paths = app.test_client().get("/api/v1/openapi.json").json["paths"]
    assert paths["/api/v1/disbursement-batches/{batch_id}/release"]["post"]["summary"].startswith("确认拨付")
    assert "/api/v1/payments/{payment_id}/confirm-receipt" in paths and "/api/v1/disbursement-statistics" in paths
