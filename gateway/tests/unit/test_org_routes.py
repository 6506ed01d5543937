"""The gateway routes of stages 8-10 (gateway/gateway/api/org.py) beyond their mapping
(test_route_mapping.py): the idempotency key travels, only documented fields go out, input refused before
any call, the OpenAPI summaries."""
import pytest

ID = "0b5e4a52-7c1e-4a57-9d0e-3c1f2a6b8d90"
CASE = {"application_id": ID, "application_no": "SQ1", "round": 1, "county": "440703", "county_name": "蓬江区",
        "city": "440700", "unit_id": ID, "unit_name": "单位", "applicant_name": "张三", "degree": "bachelor",
        "degree_label": "本科", "months": 12, "amount_fen": 960000, "status": "county_org_confirmed",
        "status_label": "县组织部已确认，待市人社局汇总", "application_status": "county_org_confirmed",
        "city_batch_id": None, "city_batch_no": None, "opinion": None, "received_at": None, "updated_at": None,
        "snapshot": {"bank_account": {"number": "6222"}}}


@pytest.fixture
def client(app, issue):
    token, _ = issue(role="county_org", region="440703")
    test_client = app.test_client()
    test_client.environ_base["HTTP_AUTHORIZATION"] = token
    return test_client


def test_a_confirmation_carries_its_key_and_answers_only_documented_fields(pool, client):
    pool.result = {"count": 1, "items": [CASE]}
    response = client.post("/api/v1/org-reviews/confirm", json={"application_ids": [ID], "opinion": "同意"},
                           headers={"Idempotency-Key": "confirm-1"})
    assert response.status_code == 200 and response.json["items"][0]["status_label"].startswith("县组织部已确认")
    assert "snapshot" not in response.json["items"][0]       # only what the schema documents goes out
    assert pool.calls == [("org_confirmation", "county_confirm", ([ID], "同意"))]
    assert pool.contexts[0]["idempotency_key"] == "confirm-1"


def test_a_city_batch_answers_its_county_totals(pool, client):
    pool.result = {"id": ID, "batch_no": "HZ440700-20261125-01", "count": 1, "amount_fen": 960000,
                   "counties": [{"county": "440703", "county_name": "蓬江区", "count": 1, "amount_fen": 960000}],
                   "status": "aggregated", "status_label": "已汇总，待市组织部确认", "cases": [CASE]}
    response = client.post("/api/v1/city-batches", json={"application_ids": [ID]})
    assert response.status_code == 201 and response.json["counties"][0]["amount_fen"] == 960000
    assert "snapshot" not in response.json["cases"][0]


def test_bad_input_is_400_before_any_call(pool, client):
    for path, body in [("/api/v1/org-reviews/confirm", {"application_ids": []}),
                       (f"/api/v1/org-reviews/{ID}/return", {}),
                       (f"/api/v1/city-batches/{ID}/return", {"opinion": ""}),
                       ("/api/v1/city-batches", {"application_ids": "all"})]:
        response = client.post(path, json=body)
        assert response.status_code == 400, path
        assert response.json["error"]["code"] == "invalid_input" and response.json["error"]["details"]["fields"]
    assert client.get("/api/v1/city-batches?status=lost").status_code == 400
    assert pool.calls == []  # only the check-order pre-check (kept apart), never the operation itself


def test_the_routes_are_documented_in_chinese(client):
    spec = client.get("/api/v1/openapi.json").json
    confirm = spec["paths"]["/api/v1/city-batches/{batch_id}/confirm"]["post"]
    assert confirm["summary"] == "市组织部确认汇总批次，通知市财政局拨付"
    assert {"/api/v1/org-reviews", "/api/v1/org-reviews/confirm", "/api/v1/org-reviews/{application_id}",
            "/api/v1/org-reviews/{application_id}/return", "/api/v1/city-batches",
            "/api/v1/city-batches/{batch_id}", "/api/v1/city-batches/{batch_id}/return"} <= set(spec["paths"])
