"""Printed forms, read back as a person would: the PDF's text (pypdf) holds the name and the amount in
the embedded CJK font, and the QR code on the rendered page (pdftoppm + zbarimg) opens a public
verification page that shows the status and no personal data."""
from __future__ import annotations

import io
import shutil
import subprocess
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from nameko.exceptions import RemoteError
from pypdf import PdfReader

from gateway.printing import forms
from shared.errors import Unavailable
from shared.verification import VERIFICATION_KEYS, verification_answer

ID = "0b5e4a52-7c1e-4a57-9d0e-3c1f2a6b8d90"
APPLICATION = {
    "id": ID, "application_no": "BZ4407032026000007", "applicant_name": "王小明", "id_type": "resident_id",
    "id_number": "440703199803151233", "mobile": "13800000002", "unit_name": "测试科技有限公司",
    "county_name": "蓬江区", "degree_label": "本科", "start_date": "2026-07-01", "months": 12, "standard_fen": 80000,
    "amount_fen": 960000, "submitted_at": "2026-11-20T02:00:00+00:00", "status": "pending_county_review",
    "status_label": "待县人社局审核",
    "bank_account": {"holder": "王小明", "bank": "工商银行", "number": "6222020000000000011"},
    "work_history": [{"employer": "测试科技有限公司", "position": "工程师", "from": "2025-07", "to": ""}]}
CURRENT = {"application_no": "BZ4407032026000007", "status": "funds_released", "status_label": "市财政局已拨付",
           "stage": 12, "stage_name": "县财政局拨付", "county_name": "蓬江区", "amount_fen": 960000}
TRANSFER = {"id": ID, "transfer_no": "BF440703-20261125-01", "batch_no": "HZ440700-20261120-01",
            "county_name": "蓬江区", "count": 1, "amount_fen": 960000, "status": "released", "status_label": "待拨付",
            "items": [{"application_no": "BZ4407032026000007", "applicant_name": "王小明",
                       "unit_name": "测试科技有限公司", "bank_name": "工商银行", "bank_number": "****0011",
                       "amount_fen": 960000, "status_label": "待拨付"}]}
BATCH = {"id": ID, "batch_no": "GS440703-20261125-01", "county_name": "蓬江区", "starts_on": "2026-11-25",
         "ends_on": "2026-12-02", "status_label": "公示中", "cases": [APPLICATION]}
CITY_BATCH = {"id": ID, "batch_no": "HZ440700-20261120-01", "city_name": "江门市", "count": 1, "amount_fen": 960000,
              "status_label": "待市组织部确认", "cases": [APPLICATION],
              "counties": [{"county_name": "蓬江区", "count": 1, "amount_fen": 960000}]}
PERSONAL = ("王小明", "440703199803151233", "6222020000000000011", "13800000002", "小明")
# line B: a payment notice as housing_fund's get_payment_notice / get_payment_receipt answer it
NOTICE = {"id": ID, "employer_name": "江门示范汇缴单位", "mode_label": "汇缴", "months": "202612",
          "employee_count": 2, "total_fen": 170000, "trade_code": "75256", "payment_code": "A7W5",
          "memo": "75256xA7W5o", "status": "approved", "status_label": "待缴款",
          "receiving_account": {"account_name": "江门市住房和城乡建设局", "account_no": "4400123456789012",
                                "bank_name": "工商银行江门分行"},
          "paid_at": None, "notes": ["划款单的摘要必须严格按以下格式填写，并写在摘要开头，否则资金将被原路退回："],
          "lines": [{"name": "赵大", "id_number": "440703********1233", "amount_fen": 85000}]}
RECEIPT = {**NOTICE, "status": "paid", "status_label": "已到账", "paid_at": "2026-12-03T02:30:00+00:00",
           "notes": ["本凭证由住房补贴汇缴系统根据银行到账流水生成。"]}
# what the public page must not show of a line B form: the employer, its people, the accounts
UNDISCLOSED = ("江门示范汇缴单位", "赵大", "4400123456789012", "75256xA7W5o")

needs_tools = pytest.mark.skipif(not (shutil.which("pdftoppm") and shutil.which("zbarimg")),
                                 reason="poppler-utils and zbar-tools: make pdf-deps")


@pytest.fixture
def token(issue):
    return issue(role="county_hrss", region="440703")[0]


def text_of(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def qr_of(pdf: bytes, tmp_path) -> str:
    (tmp_path / "form.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(tmp_path / "form.pdf"),
                    str(tmp_path / "page")], check=True)
    [png] = list(tmp_path.glob("page*.png"))
    found = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True, text=True, check=True)
    return found.stdout.strip()


@needs_tools
def test_application_form_reads_back_and_its_qr_code_verifies_without_personal_data(app, pool, token, tmp_path):
    pool.results.update({"get_application": APPLICATION, "verify_application": CURRENT})
    client = app.test_client()
    response = client.get(f"/api/v1/applications/{ID}/form.pdf", headers={"Authorization": token})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = text_of(response.data)
    assert "王小明" in text and "9,600.00 元" in text and "大学生租房补助申请表" in text
    assert b"/FontFile2" in response.data        # the TrueType CJK font is embedded (a subset)
    url = qr_of(response.data, tmp_path)
    parts = urlsplit(url)
    assert parts.path.startswith("/verify/")
    page = client.get(parts.path)                         # no login
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "BZ4407032026000007" in html and "市财政局已拨付" in html
    assert not any(p in html for p in PERSONAL)
    answer = client.get("/api/v1/public/verifications/" + parts.path.rsplit("/", 1)[1])
    assert answer.status_code == 200 and answer.json["current"]["status_label"] == "市财政局已拨付"
    assert answer.json["number"] == "BZ4407032026000007" and answer.json["amount_fen"] == 960000
    assert not any(p in answer.get_data(as_text=True) for p in PERSONAL)
    assert ("subsidy_review", "verify_application", (ID,)) in pool.calls


@needs_tools
@pytest.mark.parametrize("path, rpc, record, expected", [
    (f"/api/v1/county-transfers/{ID}/detail.pdf", "get_transfer", TRANSFER, ("王小明", "9,600.00", "拨付明细表")),
    (f"/api/v1/city-batches/{ID}/table.pdf", "get_batch", CITY_BATCH, ("王小明", "9,600.00", "市级汇总表")),
    (f"/api/v1/publicity-batches/{ID}/notice.pdf", "get_batch", BATCH, ("王**", "9,600.00", "公示名单")),
])
def test_each_form_holds_its_names_and_amounts_and_a_verifying_qr_code(app, pool, token, tmp_path, path, rpc,
                                                                      record, expected):
    pool.results[rpc] = record
    client = app.test_client()
    response = client.get(path, headers={"Authorization": token})
    assert response.status_code == 200
    text = text_of(response.data)
    assert all(e in text for e in expected), text[:300]
    if "公示" in expected[2]:
        assert "王小明" not in text                          # the notice is public: names masked
    verify = client.get(urlsplit(qr_of(response.data, tmp_path)).path)
    number = record.get("transfer_no") or record["batch_no"]
    assert verify.status_code == 200 and number in verify.get_data(as_text=True), verify.get_data(as_text=True)
    assert not any(p in verify.get_data(as_text=True) for p in PERSONAL)


@needs_tools
@pytest.mark.parametrize("path, rpc, record, expected, now_label", [
    (f"/api/v1/payment-notices/{ID}/form.pdf", "get_payment_notice", NOTICE,
     ("住房补贴缴款通知书", "江门示范汇缴单位", "1,700.00 元", "75256xA7W5o", "4400123456789012", "待缴款"), "已到账"),
    (f"/api/v1/payment-notices/{ID}/receipt.pdf", "get_payment_receipt", RECEIPT,
     ("住房补贴缴款凭证", "江门示范汇缴单位", "1,700.00 元", "75256xA7W5o", "2026年12月3日 10:30"), "已到账"),
])
def test_line_b_forms_have_the_cjk_font_and_a_qr_code_that_verifies(app, pool, issue, tmp_path, path, rpc, record,
                                                                    expected, now_label):
    """缴款通知书 and 缴款凭证 drawn as line A's forms are: the text in the embedded TrueType CJK font, the
    QR code opening the public page with the payment code and the status now (housing_fund's
    verify_remittance) and nothing of the employer, its people or the accounts."""
    pool.results.update({rpc: record, "verify_remittance": verification_answer(
        number="A7W5", status="paid", status_label=now_label, count=2, amount_fen=170000)})
    client = app.test_client()
    response = client.get(path, headers={"Authorization": issue(role="employer", region="440703", unit_id="e1")[0]})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert b"/FontFile2" in response.data and b"STSong" not in response.data
    text = text_of(response.data)
    assert all(e in text for e in expected), text[:400]
    url = qr_of(response.data, tmp_path)
    parts = urlsplit(url)
    assert parts.path.startswith("/verify/")
    page = client.get(parts.path)                                        # no login
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "A7W5" in html and now_label in html and record["status_label"] in html
    assert not any(u in html for u in UNDISCLOSED)
    answer = client.get("/api/v1/public/verifications/" + parts.path.rsplit("/", 1)[1])
    assert answer.json["kind_label"] == expected[0]
    assert (answer.json["number"], answer.json["amount_fen"], answer.json["count"]) == ("A7W5", 170000, 2)
    assert set(answer.json["current"]) == VERIFICATION_KEYS
    assert not any(u in answer.get_data(as_text=True) for u in UNDISCLOSED)
    assert pool.calls[0] == ("housing_fund", rpc, (ID,))
    assert ("housing_fund", "verify_remittance", (ID,)) in pool.calls


def test_a_pdf_is_refused_as_its_json_route_is(app, pool, token):
    pool.error = RemoteError("NotFound", '{"status": 404, "code": "application.not_found", "message": "未找到"}')
    response = app.test_client().get(f"/api/v1/applications/{ID}/form.pdf", headers={"Authorization": token})
    assert response.status_code == 404 and response.json["error"]["code"] == "application.not_found"
    assert app.test_client().get(f"/api/v1/applications/{ID}/form.pdf").status_code == 401


def test_a_forged_or_altered_token_is_404(app, pool, token):
    pool.results["get_application"] = APPLICATION
    client = app.test_client()
    pdf = client.get(f"/api/v1/applications/{ID}/form.pdf", headers={"Authorization": token})
    assert pdf.status_code == 200
    assert client.get("/verify/eyJrIjoiYXBwbGljYXRpb24ifQ.forged").status_code == 404
    assert client.get("/api/v1/public/verifications/eyJrIjoiYXBwbGljYXRpb24ifQ.forged").status_code == 404


# -- 当前状态 of the batches and transfers (their owning services' public verify_* RPC) ----------------
PRINTED_AT = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
BATCH_KINDS = [
    ("publicity_notice", "publicity_assessment", "verify_batch", "GS440703-20261125-01", "公示中", "公示结束"),
    ("city_table", "org_confirmation", "verify_batch", "HZ440700-20261120-01", "待市组织部确认",
     "市组织部已确认，已通知市财政局"),
    ("payment_detail", "finance_disbursement", "verify_transfer", "BF440703-20261125-01", "待拨付", "已拨付至个人"),
]


def printed(app, kind, number, status_label):
    with app.test_request_context():
        return forms.verification_token(kind, ID, number=number, status_label=status_label, printed_at=PRINTED_AT,
                                        amount_fen=960000, count=1)


@pytest.mark.parametrize("kind, service, rpc, number, printed_label, now_label", BATCH_KINDS)
def test_a_batch_or_transfer_shows_its_status_now_beside_the_printed_one(app, pool, kind, service, rpc, number,
                                                                        printed_label, now_label):
    pool.results[rpc] = verification_answer(number=number, status="now", status_label=now_label, count=1,
                                            amount_fen=960000)
    client = app.test_client()
    token = printed(app, kind, number, printed_label)
    answer = client.get("/api/v1/public/verifications/" + token)      # no login
    assert answer.status_code == 200, answer.json
    assert answer.json["status_label_printed"] == printed_label and answer.json["current"]["status_label"] == now_label
    assert answer.json["current_unavailable"] is False
    assert set(answer.json["current"]) == VERIFICATION_KEYS            # nothing personal can be in it
    assert pool.calls == [(service, rpc, (ID,))]
    page = client.get("/verify/" + token)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and printed_label in html and now_label in html and number in html
    assert "暂不可查" not in html
    assert pool.calls == [(service, rpc, (ID,))] * 2


@pytest.mark.parametrize("kind, service, rpc, number, printed_label, now_label", BATCH_KINDS)
@pytest.mark.parametrize("error", [Unavailable("服务暂不可用", code="service_unavailable"),   # as the real pool raises
                                   RemoteError("NotFound", '{"status": 404, "code": "x.not_found", "message": "无"}')])
def test_a_service_that_cannot_answer_leaves_the_printed_note_with_a_hint(app, pool, kind, service, rpc, number,
                                                                         printed_label, now_label, error):
    pool.error = error
    client = app.test_client()
    token = printed(app, kind, number, printed_label)
    page = client.get("/verify/" + token)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and number in html and printed_label in html and "当前状态暂不可查" in html
    answer = client.get("/api/v1/public/verifications/" + token)
    assert answer.status_code == 200 and answer.json["current"] is None and answer.json["current_unavailable"] is True
    assert answer.json["number"] == number and answer.json["status_label_printed"] == printed_label
