"""The 常用意见 routes (gateway/gateway/api/opinion_templates.py) beyond their mapping
(test_route_mapping.py): what the gateway itself refuses before any call, and the documented shape."""
import pytest


@pytest.fixture
def client(app, issue):
    token, _ = issue(role="county_hrss", region="440703")
    test_client = app.test_client()
    test_client.environ_base["HTTP_AUTHORIZATION"] = token
    return test_client


def test_bad_input_is_400_before_any_call(pool, client):
    for method, path, body in [("post", "", {}),                                   # no text
                               ("post", "", {"text": "同意", "kind": "maybe"}),
                               ("post", "", {"text": "同意", "sort_order": "１２"}),   # full-width digits
                               ("post", "", {"text": "同意", "sort_order": 10000}),
                               ("put", "/t1", {"kind": "later"}),
                               ("put", "/t1", {"sort_order": True})]:
        response = client.open("/api/v1/me/opinion-templates" + path, method=method.upper(), json=body)
        assert response.status_code == 400, (path, body)
        assert response.json["error"]["details"]["fields"], (path, body)
    assert client.get("/api/v1/me/opinion-templates?kind=sometimes").status_code == 400
    assert pool.calls == []


def test_only_documented_fields_go_out_and_the_routes_are_documented_in_chinese(pool, client):
    pool.result = {"items": [{"id": "t1", "text": "同意", "kind": "any", "kind_label": "通用", "sort_order": 0,
                              "created_at": "2026-12-01T00:00:00+00:00", "updated_at": "2026-12-01T00:00:00+00:00",
                              "account_id": "a1"}], "total": 1, "max": 50}
    listed = client.get("/api/v1/me/opinion-templates").json
    assert listed["items"][0]["kind_label"] == "通用" and "account_id" not in listed["items"][0]
    spec = client.get("/api/v1/openapi.json").json
    assert spec["paths"]["/api/v1/me/opinion-templates/{template_id}"]["delete"]["summary"].startswith("删除本人")
    kind = spec["components"]["schemas"]["OpinionTemplateArgs"]["properties"]["kind"]
    assert kind["enum"] == ["any", "approve", "return"]
