"""The OpenAPI document gives every JSON operation a response schema; the subsidy_review routes (and the
to-dos and jobs) document their answers with ``Documented`` schemas that change no body."""
import pytest

#: binary answers (the file itself), documented with their content type only
BINARY = {("get", "/api/v1/attachments/{attachment_id}")}
APPLICATION = {"id": "a1", "application_no": "SQ1", "status": "pending_unit_review", "months": 12,
               "actions": ["approve", "return"], "attachments": [{"id": "sr-1", "filename": "a.pdf", "size": 3}],
               "bank_account": {"holder": "张三", "number": "6222"}, "not_declared": {"kept": True}}


@pytest.fixture
def headers(issue):
    return {"Authorization": issue(role="unit_admin", region="440703")[0]}


def test_every_json_operation_documents_its_answer(app):
    spec = app.test_client().get("/api/v1/openapi.json").json
    undocumented = [(method, path, status) for path, operations in spec["paths"].items()
                    for method, operation in operations.items() if isinstance(operation, dict)
                    for status, response in operation.get("responses", {}).items()
                    if status.startswith("2") and "content" not in response and (method, path) not in BINARY]
    assert undocumented == []


def test_the_application_routes_document_their_fields(app):
    spec = app.test_client().get("/api/v1/openapi.json").json
    schemas = spec["components"]["schemas"]
    detail = spec["paths"]["/api/v1/applications/{application_id}"]["get"]["responses"]["200"]
    properties = schemas[detail["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]]["properties"]
    assert {"application_no", "status_label", "amount_fen", "bank_account", "actions"} <= set(properties)
    bulk = spec["paths"]["/api/v1/applications/bulk-approve"]["post"]["responses"]
    assert "202" in bulk and "content" in bulk["202"]


@pytest.mark.parametrize("method, path, answer", [
    ("get", "/api/v1/applications/a1", APPLICATION),
    ("post", "/api/v1/applications/a1/withdraw", APPLICATION),
    ("get", "/api/v1/applications", {"items": [APPLICATION], "total": 1, "page": 1, "page_size": 20}),
    ("get", "/api/v1/applications/a1/timeline",
     {"application": APPLICATION, "stages": [{"stage": 1, "name": "个人申请", "done": True, "extra": 1}],
      "history": [{"stage": 1, "event_type": "application.submitted", "at": None}]}),
    ("get", "/api/v1/application-statistics", {"by_status": [{"status": "s", "count": 1, "x": 2}],
                                               "total": {"count": 1, "amount_fen": 5}}),
    ("get", "/api/v1/policies/440700", {"city": "440700", "version": 2, "standards_fen": {"bachelor": 80000},
                                        "degrees": [{"degree": "bachelor", "label": "本科", "standard_fen": 80000}]}),
    ("get", "/api/v1/applicant-profile", {"registered": False}),
    ("get", "/api/v1/todos", None),
])
def test_a_documented_answer_goes_out_as_the_service_gave_it(app, pool, headers, method, path, answer):
    pool.result = answer if answer is not None else [{"key": "k", "count": 2, "label": "您有【2】个", "href": "/p"}]
    response = getattr(app.test_client(), method)(path, headers=headers)
    assert response.status_code == 200
    # the to-do list asks the services that count for a unit clerk: unit_registry and subsidy_review
    expected = answer if answer is not None else {"items": pool.result * 2, "unavailable": []}
    assert response.json == expected
