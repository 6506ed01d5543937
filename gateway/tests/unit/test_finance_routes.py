"""The gateway's finance routes beyond their mapping (test_route_mapping.py): input validated before any
call, the routes documented in Chinese in the OpenAPI."""
import pytest


@pytest.fixture
def headers(issue):
    token, _ = issue(role="city_finance", region="440700")
    return {"Authorization": token}


def test_bad_input_is_refused_before_any_call(app, pool, headers):
    client = app.test_client()
    assert client.post("/api/v1/payments/p1/dispute", json={"opinion": ""}, headers=headers).status_code == 400
    assert client.post("/api/v1/disbursement-batches/b1/release", json={"county": "4407"},
                       headers=headers).status_code == 400
    assert client.get("/api/v1/disbursement-batches?status=lost", headers=headers).status_code == 400
    assert pool.calls == []  # only the check-order pre-check (kept apart), never the operation itself


def test_routes_are_documented_in_chinese(app):
    paths = app.test_client().get("/api/v1/openapi.json").json["paths"]
    assert paths["/api/v1/disbursement-batches/{batch_id}/release"]["post"]["summary"].startswith("确认拨付")
    assert "/api/v1/payments/{payment_id}/confirm-receipt" in paths and "/api/v1/disbursement-statistics" in paths
