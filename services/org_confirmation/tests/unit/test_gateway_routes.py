"""The gateway routes of stages 8-10 (gateway/gateway/api/org.py) with a fake RPC pool: which RPC each
route calls with which arguments, input refused before any call, the OpenAPI summaries."""
import pytest

from gateway.api import org
from tests.support.gateway import gateway_app

ID = "0b5e4a52-7c1e-4a57-9d0e-3c1f2a6b8d90"
CASE = {"application_id": ID, "application_no": "SQ1", "round": 1, "county": "440703", "county_name": "蓬江区",
        "city": "440700", "unit_id": ID, "unit_name": "单位", "applicant_name": "张三", "degree": "bachelor",
        "degree_label": "本科", "months": 12, "amount_fen": 960000, "status": "county_org_confirmed",
        "status_label": "县组织部已确认，待市人社局汇总", "application_status": "county_org_confirmed",
        "city_batch_id": None, "city_batch_no": None, "opinion": None, "received_at": None, "updated_at": None,
        "snapshot": {"bank_account": {"number": "6222"}}}


class FakePool:
    def __init__(self):
        self.calls, self.result = [], None

    def call(self, service, method, *args, context, **kwargs):
        self.calls.append((service, method, args, context))
        return self.result


@pytest.fixture
def app(jwks_file):
    app = gateway_app(jwks_file, secure_cookies=False)
    if "org" not in app.blueprints:  # until the lead lists the blueprint in app.py
        app.extensions["flask-smorest"]["apis"][""]["ext_obj"].register_blueprint(org.bp)
    app.extensions["rpc_pool"] = FakePool()
    return app


@pytest.fixture
def client(app, issue):
    token, _ = issue(role="county_org", region="440703")
    test_client = app.test_client()
    test_client.environ_base["HTTP_AUTHORIZATION"] = token
    return test_client


def last_call(app):
    service, method, args, context = app.extensions["rpc_pool"].calls[-1]
    return service, method, args, context


def test_county_routes_call_the_county_rpcs(app, client):
    pool = app.extensions["rpc_pool"]
    pool.result = {"count": 1, "items": [CASE]}
    response = client.post("/api/v1/org-reviews/confirm", json={"application_ids": [ID], "opinion": "同意"},
                           headers={"Idempotency-Key": "confirm-1"})
    assert response.status_code == 200 and response.json["items"][0]["status_label"].startswith("县组织部已确认")
    assert "snapshot" not in response.json["items"][0]       # only what the schema documents goes out
    service, method, args, context = last_call(app)
    assert (service, method, args) == ("org_confirmation", "county_confirm", ([ID], "同意"))
    assert context["idempotency_key"] == "confirm-1"

    pool.result = {"items": [CASE], "total": 1, "page": 2, "page_size": 10}
    assert client.get("/api/v1/org-reviews?status=pending_county_org&page=2&page_size=10&q=张").status_code == 200
    assert last_call(app)[1:3] == ("list_cases", ({"status": "pending_county_org", "q": "张"}, 2, 10))

    pool.result = CASE
    client.post(f"/api/v1/org-reviews/{ID}/return", json={"opinion": "材料不全"})
    assert last_call(app)[1:3] == ("county_return", (ID, "材料不全"))


def test_city_batch_routes_call_the_batch_rpcs(app, client):
    pool = app.extensions["rpc_pool"]
    pool.result = {"id": ID, "batch_no": "HZ440700-20261125-01", "count": 1, "amount_fen": 960000,
                   "counties": [{"county": "440703", "county_name": "蓬江区", "count": 1, "amount_fen": 960000}],
                   "status": "aggregated", "status_label": "已汇总，待市组织部确认", "cases": [CASE]}
    response = client.post("/api/v1/city-batches", json={"application_ids": [ID]})
    assert response.status_code == 201 and response.json["counties"][0]["amount_fen"] == 960000
    assert last_call(app)[1:3] == ("aggregate", ([ID],))
    client.post(f"/api/v1/city-batches/{ID}/confirm", json={})
    assert last_call(app)[1:3] == ("city_confirm", (ID, None))
    client.post(f"/api/v1/city-batches/{ID}/return", json={"opinion": "核对有误"})
    assert last_call(app)[1:3] == ("city_return", (ID, "核对有误"))
    client.get(f"/api/v1/city-batches/{ID}")
    assert last_call(app)[1:3] == ("get_batch", (ID,))


def test_bad_input_is_400_before_any_call(app, client):
    for path, body in [("/api/v1/org-reviews/confirm", {"application_ids": []}),
                       (f"/api/v1/org-reviews/{ID}/return", {}),
                       (f"/api/v1/city-batches/{ID}/return", {"opinion": ""}),
                       ("/api/v1/city-batches", {"application_ids": "all"})]:
        response = client.post(path, json=body)
        assert response.status_code == 400, path
        assert response.json["error"]["code"] == "invalid_input" and response.json["error"]["details"]["fields"]
    assert client.get("/api/v1/city-batches?status=lost").status_code == 400
    # only the check-order question (may this caller call it at all?), never the operation itself
    assert {call[1] for call in app.extensions["rpc_pool"].calls} <= {"authorise"}


def test_the_routes_are_documented_in_chinese(client):
    spec = client.get("/api/v1/openapi.json").json
    confirm = spec["paths"]["/api/v1/city-batches/{batch_id}/confirm"]["post"]
    assert confirm["summary"] == "市组织部确认汇总批次，通知市财政局拨付"
    assert {"/api/v1/org-reviews", "/api/v1/org-reviews/confirm", "/api/v1/org-reviews/{application_id}",
            "/api/v1/org-reviews/{application_id}/return", "/api/v1/city-batches",
            "/api/v1/city-batches/{batch_id}", "/api/v1/city-batches/{batch_id}/return"} <= set(spec["paths"])
