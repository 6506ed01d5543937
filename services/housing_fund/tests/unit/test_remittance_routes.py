"""The gateway's line B part 2 routes without services: each route calls the right RPC with the right
arguments, validates first, documents itself in the OpenAPI; a bank statement goes to the attachment
store and only its SHA-256 travels to the service."""
import base64
import hashlib
import io

import pytest

from tests.support.gateway import gateway_app

PAGE = {"items": [], "total": 0, "page": 1, "page_size": 20}


class FakePool:
    def __init__(self):
        self.calls, self.result = [], None

    def call(self, service, method, *args, context, **kwargs):
        self.calls.append((service, method, args))
        return self.result


@pytest.fixture
def app(jwks_file, tmp_path, monkeypatch):
    monkeypatch.setenv("PLATFORM_VAR_DIR", str(tmp_path))
    app = gateway_app(jwks_file, secure_cookies=False)
    app.extensions["rpc_pool"] = FakePool()
    return app


@pytest.fixture
def headers(issue):
    return {"Authorization": issue(role="housing_bureau", region="440700")[0]}


@pytest.mark.parametrize("http, path, body, expected", [
    ("get", "/api/v1/remittances?status=pending&page=2", None, ("list_remittances", ({"status": "pending"}, 2, 20))),
    ("get", "/api/v1/remittances/roster?month=202612", None, ("remittance_roster", ("202612", "remit"))),
    ("post", "/api/v1/remittances", {"mode": "remit", "month": "202612", "lines": [{"employee_id": "e1"}]},
     ("submit_remittance", ({"mode": "remit", "month": "202612", "back_pay_kind": None, "month_from": None,
                             "month_to": None, "apply_first_page": False,
                             "lines": [{"employee_id": "e1", "month": None, "amount_fen": None, "amount": None,
                                        "override": False}]},))),
    ("post", "/api/v1/remittances/r1/approve", {}, ("approve_remittance", ("r1", None))),
    ("post", "/api/v1/remittances/r1/return", {"opinion": "人数有误"}, ("return_remittance", ("r1", "人数有误"))),
    ("post", "/api/v1/remittances/reminders", {}, ("send_remittance_reminders", (None,))),
    ("get", "/api/v1/payment-notices", None, ("list_payment_notices", ({}, 1, 20))),
    ("get", "/api/v1/bank-lines?status=returned", None, ("list_bank_lines", ({"status": "returned"}, 1, 20))),
    ("get", "/api/v1/bank-statements/report?statement_id=s1", None, ("reconciliation_report", ("s1",))),
    ("post", "/api/v1/withdrawals/w1/reject", {"opinion": "材料不全"}, ("reject_withdrawal", ("w1", "材料不全"))),
    ("post", "/api/v1/backfills/b1/approve", {}, ("approve_backfill", ("b1", None))),
])
def test_routes_call_the_service(app, headers, http, path, body, expected):
    app.extensions["rpc_pool"].result = PAGE if http == "get" else {"id": "x"}
    response = getattr(app.test_client(), http)(path, json=body, headers=headers)
    assert response.status_code in (200, 201), response.json
    service, method, args = app.extensions["rpc_pool"].calls[-1]
    assert (service, method, args) == ("housing_fund", *expected)


def test_bad_input_is_refused_before_any_call(app, headers):
    client = app.test_client()
    assert client.post("/api/v1/remittances", json={"mode": "later", "lines": []}, headers=headers).status_code == 400
    assert client.post("/api/v1/withdrawals", json={"reason_code": "10"}, headers=headers).status_code == 400
    bad = client.post("/api/v1/bank-statements", data={"file": (io.BytesIO(b"x"), "a.txt")}, headers=headers)
    assert bad.status_code == 400 and bad.json["error"]["code"] == "statement.file_type"
    # the gateway asks only `authorise` (401/403 before 400), never the operation itself
    assert [c for c in app.extensions["rpc_pool"].calls if c[1] != "authorise"] == []


def test_a_statement_is_stored_and_only_its_hash_is_sent(app, headers, tmp_path):
    content = "交易日期,金额,付款账号,付款户名,摘要,银行流水号\n2026-12-01,1.00,1,x,m,S1\n".encode()
    app.extensions["rpc_pool"].result = {"id": "s1", "status": "processing"}
    response = app.test_client().post("/api/v1/bank-statements", data={"file": (io.BytesIO(content), "对账单.csv")},
                                      headers=headers, content_type="multipart/form-data")
    assert response.status_code == 202
    sha = hashlib.sha256(content).hexdigest()
    assert app.extensions["rpc_pool"].calls == [("housing_fund", "upload_bank_statement", (sha, "对账单.csv"))]
    assert (tmp_path / "attachments" / sha[:2] / sha[2:4] / sha).read_bytes() == content


def test_documents_download_as_files(app, headers):
    app.extensions["rpc_pool"].result = {"filename": "缴款通知书-A7W5.pdf", "content_type": "application/pdf",
                                         "content_b64": base64.b64encode(b"%PDF-1.4").decode()}
    response = app.test_client().get("/api/v1/payment-notices/r1/form.pdf", headers=headers)
    assert response.status_code == 200 and response.mimetype == "application/pdf" and response.data == b"%PDF-1.4"


def test_routes_are_in_the_openapi_document(app):
    paths = app.test_client().get("/api/v1/openapi.json").json["paths"]
    for path in ("/api/v1/remittances", "/api/v1/remittances/{remittance_id}/approve", "/api/v1/payment-notices",
                 "/api/v1/payment-notices/{remittance_id}/form.pdf", "/api/v1/bank-statements",
                 "/api/v1/bank-statements/report.xlsx", "/api/v1/bank-lines", "/api/v1/backfills",
                 "/api/v1/withdrawals", "/api/v1/withdrawals/{withdrawal_id}/pay", "/api/v1/receiving-account"):
        assert path in paths, path
