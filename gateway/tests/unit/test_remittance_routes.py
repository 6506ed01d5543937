"""The gateway's line B part 2 routes beyond their mapping (test_route_mapping.py): input validated first,
the routes documented in the OpenAPI; a bank statement goes to the attachment store and only its SHA-256
travels to the service; documents download as files."""
import base64
import hashlib
import io
import os
from pathlib import Path

import pytest

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def headers(issue):
    return {"Authorization": issue(role="housing_bureau", region="440700")[0]}


def test_bad_input_is_refused_before_any_call(app, headers):
    client = app.test_client()
    assert client.post("/api/v1/remittances", json={"mode": "later", "lines": []}, headers=headers).status_code == 400
    assert client.post("/api/v1/withdrawals", json={"reason_code": "10"}, headers=headers).status_code == 400
    bad = client.post("/api/v1/bank-statements", data={"file": (io.BytesIO(b"x"), "a.txt")}, headers=headers)
    assert bad.status_code == 400 and bad.json["error"]["code"] == "statement.file_type"
    # the gateway asks only `authorise` (401/403 before 400, kept apart), never the operation itself
    assert app.extensions["rpc_pool"].calls == []


def test_a_statement_is_stored_and_only_its_hash_is_sent(app, headers):
    content = "交易日期,金额,付款账号,付款户名,摘要,银行流水号\n2026-12-01,1.00,1,x,m,S1\n".encode()
    app.extensions["rpc_pool"].result = {"id": "s1", "status": "processing"}
    response = app.test_client().post("/api/v1/bank-statements", data={"file": (io.BytesIO(content), "对账单.csv")},
                                      headers=headers, content_type="multipart/form-data")
    assert response.status_code == 202
    sha = hashlib.sha256(content).hexdigest()
    assert app.extensions["rpc_pool"].calls == [("housing_fund", "upload_bank_statement", (sha, "对账单.csv"))]
    stored = Path(os.environ["PLATFORM_VAR_DIR"]) / "attachments" / sha[:2] / sha[2:4] / sha
    assert stored.read_bytes() == content


def test_documents_download_as_files(app, headers):
    app.extensions["rpc_pool"].result = {"filename": "对账报告.xlsx", "content_b64": base64.b64encode(b"PK").decode(),
                                         "content_type": XLSX}
    response = app.test_client().get("/api/v1/bank-statements/report.xlsx?statement_id=s1", headers=headers)
    assert response.status_code == 200 and response.mimetype == XLSX and response.data == b"PK"


def test_routes_are_in_the_openapi_document(app):
    paths = app.test_client().get("/api/v1/openapi.json").json["paths"]
    for path in ("/api/v1/remittances", "/api/v1/remittances/{remittance_id}/approve", "/api/v1/payment-notices",
                 "/api/v1/payment-notices/{remittance_id}/form.pdf", "/api/v1/bank-statements",
                 "/api/v1/bank-statements/report.xlsx", "/api/v1/bank-lines", "/api/v1/backfills",
                 "/api/v1/withdrawals", "/api/v1/withdrawals/{withdrawal_id}/pay", "/api/v1/receiving-account"):
        assert path in paths, path
