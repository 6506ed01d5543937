"""Bank reconciliation against the real broker and database: memo at the start, full-width and lower
case, two lines for one notice, one line for two notices, wrong amounts and codes, the same statement
twice, bad files refused whole; the report, its export and the 缴款凭证."""
import base64
import io

import openpyxl
import pytest
from nameko.exceptions import RemoteError

from shared.testing.helpers import execute, remote_code, rows, scalar, wait_for
from shared.testing.service import callers

from .line_b import csv_of, employee, employer, store_file


@pytest.fixture
def housing_fund_config(housing_fund_config, tmp_path):
    return {**housing_fund_config, "PLATFORM_VAR_DIR": str(tmp_path)}


rpc, error_of = callers("housing_fund")




def notice(cfg, db, issue, bureau, trade_code, code, amounts):
    """An approved remittance of a new employer whose payment code is set to ``code``."""
    e = employer(db, f"单位{trade_code}", trade_code=trade_code)
    people = [employee(db, e, f"职工{trade_code}{i}", monthly_fen=a) for i, a in enumerate(amounts)]
    clerk = issue(role="employer", region="440703", unit_id=e)[0]
    month = scalar(db, "SELECT to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYYMM')")
    r = rpc(cfg, "submit_remittance", {"mode": "remit", "month": month,
                                       "lines": [{"employee_id": p} for p in people]}, token=clerk)
    rpc(cfg, "approve_remittance", r["id"], token=bureau)
    execute(db, "UPDATE remittances SET payment_code=:c, memo=:m WHERE id=:i", c=code, m=f"{trade_code}x{code}o",
            i=r["id"])
    return {"id": r["id"], "employer_id": e, "people": people, "total": sum(amounts), "clerk": clerk}


def upload(cfg, var_dir, content, bureau, name="statement.csv"):
    statement = rpc(cfg, "upload_bank_statement", store_file(var_dir, content), name, token=bureau)
    return wait_for(lambda: (lambda s: s if s["status"] == "done" else None)(
        rpc(cfg, "get_bank_statement", statement["id"], token=bureau)), timeout=30, message="matching to finish")


def test_statement_lines_are_matched_by_memo_and_amount(housing_fund, housing_fund_config, housing_fund_db, issue,
                                                        tmp_path):
    cfg, db = housing_fund_config, housing_fund_db
    bureau = issue(role="housing_bureau", region="440700")[0]
    rpc(cfg, "set_receiving_account", {"account_name": "住房补贴专户", "account_no": "44001234",
                                       "bank_name": "建设银行"}, token=bureau)
    n1 = notice(cfg, db, issue, bureau, "75256", "A7W5", [80000, 90000])
    n2 = notice(cfg, db, issue, bureau, "80001", "B8C9", [100000])
    n3 = notice(cfg, db, issue, bureau, "80002", "C2D3", [110000])
    n4 = notice(cfg, db, issue, bureau, "80003", "D4E5", [120000])
    content = csv_of([
        ("2026-12-01", "1700.00", "62220001", "单位75256", "７５２５６ｘＡ７Ｗ５ｏ", "S1"),           # full-width
        ("2026-12-01", "1700.00", "62220001", "单位75256", "75256xA7W5o，2020年4月份雇员汇缴款", "S2"),  # twice
        ("2026-12-01", "1000.00", "62220002", "单位80001", "  80001xb8c9o 汇缴 ", "S3"),          # lower case
        ("2026-12-02", "1000.00", "62220003", "单位80002", "80002xC2D3o", "S4"),                  # wrong amount
        ("2026-12-02", "1100.00", "62220003", "单位80002", "12月汇缴80002xC2D3o", "S5"),            # not at start
        ("2026-12-02", "500.00", "62220009", "某人", "汇缴款", "S6"),                               # malformed
        ("2026-12-02", "800.00", "62220009", "某人", "80001xZZZZo", "S7"),                         # unknown code
        ("2026-12-03", "2300.00", "62220003", "单位80002", "80002xC2D3o80003xD4E5o", "S8"),        # two notices
        ("2026-12-03", "1000.00", "62220003", "单位80009", "80009xC2D3o", "S9"),                    # other trade code
        ("2026-12-03", "-50.00", "", "手续费", "", "S10"),                                          # a debit
    ])
    s = upload(cfg, tmp_path, content, bureau)
    outcome = {r["serial"]: (r["outcome"], r["reason"]) for r in rows(db, "SELECT * FROM bank_lines")}
    assert outcome == {"S1": ("matched", None), "S2": ("returned", "already_paid"), "S3": ("matched", None),
                       "S4": ("returned", "amount_mismatch"), "S5": ("returned", "code_not_at_start"),
                       "S6": ("returned", "malformed_memo"), "S7": ("returned", "unknown_code"),
                       "S8": ("returned", "multiple_notices"), "S9": ("returned", "trade_code_mismatch"),
                       "S10": ("debit", None)}
    assert s["credit_count"] == 9 and s["matched_count"] + s["returned_count"] == s["credit_count"]
    assert s["matched_fen"] + s["returned_fen"] == s["credit_fen"] == 1110000
    status = {r["id"]: r["status"] for r in rows(db, "SELECT id, status FROM remittances")}
    assert status == {n1["id"]: "paid", n2["id"]: "paid", n3["id"]: "approved", n4["id"]: "approved"}
    ledger = rows(db, "SELECT employee_id, amount_fen, business_code FROM ledger ORDER BY amount_fen")
    assert [(r_["employee_id"], r_["amount_fen"]) for r_ in ledger] == [
        (n1["people"][0], 80000), (n1["people"][1], 90000), (n2["people"][0], 100000)]
    assert scalar(db, "SELECT count(*) FROM remittance_holds WHERE remittance_id IN (:a, :b)",
                  a=n1["id"], b=n2["id"]) == 0

    report = rpc(cfg, "reconciliation_report", s["id"], token=bureau)
    assert (report["matched_count"], report["returned_count"], report["outstanding_count"]) == (2, 7, 2)
    assert report["outstanding_fen"] == 230000
    assert {r_["reason"]: r_["count"] for r_ in report["returned_by_reason"]}["already_paid"] == 1
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(
        rpc(cfg, "reconciliation_report_xlsx", s["id"], token=bureau)["content_b64"])))
    assert book.sheetnames == ["汇总", "已匹配", "原路退回", "待缴款"] and book["原路退回"].max_row == 8
    returns = rpc(cfg, "list_bank_lines", {"status": "returned"}, 1, 50, token=bureau)
    assert returns["total"] == 7 and all(r_["reason_label"] for r_ in returns["items"])
    receipt = rpc(cfg, "get_payment_receipt", n1["id"], token=n1["clerk"])  # what the printed 缴款凭证 shows
    assert (receipt["memo"], receipt["total_fen"], receipt["status"]) == ("75256xA7W5o", 170000, "paid")
    assert receipt["paid_at"] and receipt["notes"]
    assert rpc(cfg, "verify_remittance", n1["id"], token=None)["status_label"] == receipt["status_label"]
    types = [r_["event_type"] for r_ in rows(db, "SELECT event_type FROM platform_outbox "
                                                 "WHERE exchange='housing_fund.events'")]
    assert types.count("remittance.paid") == 2 and types.count("bank_line.matched") == 2
    assert types.count("bank_line.returned") == 7
    # integrators get the notices paid (masked), not one event per statement line
    integration = [r_["event_type"] for r_ in rows(db, "SELECT event_type FROM platform_outbox "
                                                       "WHERE exchange='platform.events'")]
    assert integration.count("remittance.paid") == 2 and not [t for t in integration if t.startswith("bank_line.")]

    # the same statement again: the same statement, nothing booked twice
    again = rpc(cfg, "upload_bank_statement", store_file(tmp_path, content), "statement.csv", token=bureau)
    assert again["id"] == s["id"]
    # an overlapping statement: known serials recognised, a new line for n3 with the right amount pays it
    overlap = csv_of([("2026-12-01", "1700.00", "62220001", "单位75256", "75256xA7W5o", "S1"),
                      ("2026-12-04", "1100.00", "62220003", "单位80002", "80002xC2D3o", "S11")])
    s2 = upload(cfg, tmp_path, overlap, bureau, "second.csv")
    assert s2["id"] != s["id"] and s2["matched_count"] == 1 and s2["already_recorded_count"] == 1
    assert scalar(db, "SELECT count(*) FROM ledger") == 4
    assert scalar(db, "SELECT sum(amount_fen) FROM ledger") == 80000 + 90000 + 100000 + 110000


def test_bad_statement_files_are_refused_whole(housing_fund, housing_fund_config, housing_fund_db, issue, tmp_path):
    cfg, db = housing_fund_config, housing_fund_db
    bureau = issue(role="housing_bureau", region="440700")[0]
    missing = "交易日期,金额,付款账号,付款户名,摘要\n2026-12-01,1.00,1,2,3\n".encode()
    code = error_of(cfg, "upload_bank_statement", store_file(tmp_path, missing), "a.csv", token=bureau)
    assert code == (400, "statement.missing_column")
    bad_amount = csv_of([("2026-12-01", "1.00", "1", "x", "m", "A1"), ("2026-12-01", "abc", "1", "x", "m", "A2")])
    with pytest.raises(RemoteError) as info:
        rpc(cfg, "upload_bank_statement", store_file(tmp_path, bad_amount), "b.csv", token=bureau)
    assert remote_code(info.value) == (400, "statement.amount_invalid") and "第3行" in str(info.value)
    # an .xlsx statement with a missing column
    book = openpyxl.Workbook()
    book.active.append(["交易日期", "金额", "付款户名", "摘要", "银行流水号"])
    book.active.append(["2026-12-01", 10.5, "x", "m", "X1"])
    buf = io.BytesIO()
    book.save(buf)
    assert error_of(cfg, "upload_bank_statement", store_file(tmp_path, buf.getvalue()), "c.xlsx",
                    token=bureau) == (400, "statement.missing_column")
    assert scalar(db, "SELECT count(*) FROM bank_statements") == 0
    assert scalar(db, "SELECT count(*) FROM bank_lines") == 0
    assert scalar(db, "SELECT count(*) FROM platform_jobs") == 0
    assert error_of(cfg, "upload_bank_statement", "0" * 64, "d.csv", token=bureau) == (404, "attachment.not_found")
    assert error_of(cfg, "upload_bank_statement", "0" * 64, "d.csv",
                    token=issue(role="employer", region="440703")[0]) == (403, "auth.forbidden")
