"""缴款历史补录 and 支取申请 against the real broker and database: back-fill review into the ledger;
withdrawals never take a balance below zero (at submission and again at approval); the books close:
Σ balances = Σ paid − Σ withdrawals, transfers included. The proofs are the employer's own uploads,
linked to the record and readable by the reviewing bureau within its jurisdiction only."""
import json

from housing_fund.domain.transfers import ledger_entries
from shared.testing.helpers import execute, rows, scalar
from shared.testing.service import callers

from .line_b import credit, employee, employer

rpc, error_of = callers("housing_fund")




def test_backfill_rows_enter_the_ledger_after_review(housing_fund, housing_fund_config, housing_fund_db, issue,
                                                     upload):
    cfg, db = housing_fund_config, housing_fund_db
    bureau = issue(role="housing_bureau", region="440700")[0]
    e = employer(db)
    a = employee(db, e, "张三")
    other = employer(db, "别的单位", trade_code="90001")
    stranger = employee(db, other, "外人")
    clerk = issue(role="employer", region="440703", unit_id=e)[0]
    ATTACHMENT = [{"id": upload(clerk, "payment_proof", "缴款凭证.pdf")}]
    rows_ = [{"employee_id": a, "month": "202401", "amount_fen": 80000}, {"employee_id": a, "month": "202402",
                                                                          "amount_fen": 80000, "periods": 1}]
    assert error_of(cfg, "submit_backfill", {"rows": rows_}, token=clerk) == (400, "attachment.required")
    no_amount = {"rows": [{"employee_id": a, "month": "202401"}], "attachments": ATTACHMENT}
    assert error_of(cfg, "submit_backfill", no_amount, token=clerk) == (400, "backfill.amount_invalid")
    assert error_of(cfg, "submit_backfill", {"rows": [{**rows_[0], "employee_id": stranger}],
                                             "attachments": ATTACHMENT}, token=clerk) == (404, "employee.not_found")
    b = rpc(cfg, "submit_backfill", {"rows": rows_, "attachments": ATTACHMENT, "reason": "系统上线前缴款"}, token=clerk)
    assert b["status"] == "pending" and b["total_fen"] == 160000 and b["rows"][0]["name"] == "张三"
    assert [(x["filename"], x["kind_label"]) for x in b["attachments"]] == [("缴款凭证.pdf", "缴款证明材料")]
    # the proof is the record's now: not usable for a second one
    assert error_of(cfg, "submit_backfill", {"rows": rows_, "attachments": ATTACHMENT}, token=clerk) == (
        400, "attachment.unknown")
    assert scalar(db, "SELECT count(*) FROM ledger") == 0
    assert error_of(cfg, "return_backfill", b["id"], "", token=bureau) == (400, "opinion.required")
    approved = rpc(cfg, "approve_backfill", b["id"], "核实无误", token=bureau)
    assert approved["status"] == "approved"
    assert scalar(db, "SELECT sum(amount_fen) FROM ledger WHERE ref_type='backfill'") == 160000
    assert error_of(cfg, "approve_backfill", b["id"], token=bureau) == (409, "backfill.illegal_transition")


def test_withdrawals_never_overdraw_and_the_books_close(housing_fund, housing_fund_config, housing_fund_db, issue,
                                                        upload):
    cfg, db = housing_fund_config, housing_fund_db
    bureau = issue(role="housing_bureau", region="440700")[0]
    e1, e2 = employer(db, "甲单位", trade_code="91001"), employer(db, "乙单位", trade_code="91002")
    a, b = employee(db, e1, "张三"), employee(db, e1, "李四")
    credit(db, a, e1, 100000, "202501")
    credit(db, a, e1, 100000, "202502", code="02")
    credit(db, b, e1, 50000, "202501")
    clerk = issue(role="employer", region="440703", unit_id=e1)[0]

    def proof():
        return [{"id": upload(clerk, "withdrawal_proof", "租房合同.pdf"), "filename": "租房合同.pdf"}]
    req = {"employee_id": a, "reason_code": "07", "amount_fen": 150000, "payee_name": "张三", "payee_bank": "建设银行",
           "payee_account": "6222000011112222", "attachments": proof()}
    assert error_of(cfg, "submit_withdrawal", {**req, "reason_code": "10"}, token=clerk) == (
        400, "withdrawal.reason_unknown")
    assert error_of(cfg, "submit_withdrawal", {**req, "amount_fen": 200001}, token=clerk) == (
        409, "withdrawal.insufficient_balance")
    first = rpc(cfg, "submit_withdrawal", req, token=clerk)
    assert first["reason_label"] == "租房" and first["status"] == "pending"
    # the pending one counts at submission: 200000 - 150000 leaves 50000
    assert error_of(cfg, "submit_withdrawal", {**req, "amount_fen": 60000}, token=clerk) == (
        409, "withdrawal.insufficient_balance")
    second = rpc(cfg, "submit_withdrawal", {**req, "amount_fen": 50000, "attachments": proof()}, token=clerk)
    # the balance falls behind the bureau's back (a correction booked elsewhere): approval checks again
    credit(db, a, e1, -30000, None, code="10")
    assert rpc(cfg, "approve_withdrawal", first["id"], "同意", token=bureau)["status"] == "approved"
    assert error_of(cfg, "approve_withdrawal", second["id"], token=bureau) == (409, "withdrawal.insufficient_balance")
    assert rpc(cfg, "reject_withdrawal", second["id"], "余额不足", token=bureau)["status"] == "rejected"
    payout = rpc(cfg, "list_withdrawals", {"status": "approved"}, token=bureau)
    assert [w["id"] for w in payout["items"]] == [first["id"]]
    assert rpc(cfg, "pay_withdrawal", first["id"], token=bureau)["status"] == "paid"
    assert scalar(db, "SELECT sum(amount_fen) FROM ledger WHERE employee_id=:a", a=a) == 20000
    integration = [json.loads(r["body"]) for r in rows(
        db, "SELECT body FROM platform_outbox WHERE exchange='platform.events' AND event_type LIKE 'withdrawal.%'")]
    assert integration and all("payee_account" not in r["data"] and r["data"]["name"] != "张三" for r in integration)

    # a transfer moves b's balance to another employer: equal and opposite entries
    (out_p, out_f), (in_p, in_f) = ledger_entries(50000, 1)
    for emp, periods, fen, code in ((e1, out_p, out_f, "07"), (e2, in_p, in_f, "08")):
        execute(db, "INSERT INTO ledger (employee_id, employer_id, business_code, periods, amount_fen, at) "
                    "VALUES (:b, :e, :c, :p, :f, now())", b=b, e=emp, c=code, p=periods, f=fen)
    balances = scalar(db, "SELECT sum(amount_fen) FROM ledger")
    paid = scalar(db, "SELECT sum(amount_fen) FROM ledger WHERE business_code IN ('01', '02', '10')")
    withdrawn = scalar(db, "SELECT coalesce(sum(amount_fen), 0) FROM withdrawals WHERE status IN ('approved', 'paid')")
    assert balances == paid - withdrawn == 20000 + 50000
    assert all(r["b"] >= 0 for r in rows(db, "SELECT sum(amount_fen) AS b FROM ledger GROUP BY employee_id"))


def test_proofs_are_linked_to_their_record_and_shown_to_the_reviewing_bureau_only(
        housing_fund, housing_fund_config, housing_fund_db, issue, upload):
    cfg, db = housing_fund_config, housing_fund_db
    e, other = employer(db, "甲单位", trade_code="92001"), employer(db, "乙单位", trade_code="92002")
    a = employee(db, e, "张三")
    credit(db, a, e, 100000, "202501")
    clerk = issue(role="employer", region="440703", unit_id=e)[0]
    clerk2 = issue(role="employer", region="440703", unit_id=e)[0]    # another operator of the same employer
    outsider = issue(role="employer", region="440703", unit_id=other)[0]
    row = {"employee_id": a, "month": "202401", "amount_fen": 80000}
    wd = {"employee_id": a, "reason_code": "01", "amount_fen": 10000, "payee_name": "张三", "payee_bank": "建设银行",
          "payee_account": "6222000011112222"}
    from shared.attachments import new_attachment_id

    unknown = [{"id": new_attachment_id("housing_fund")}]
    someone_elses = [{"id": upload(outsider, "payment_proof")}]
    wrong_kind = [{"id": upload(clerk, "employee_material")}]
    for method, body, kind in (("submit_backfill", {"rows": [row]}, "payment_proof"),
                               ("submit_withdrawal", wd, "withdrawal_proof")):
        assert error_of(cfg, method, {**body, "attachments": unknown}, token=clerk) == (400, "attachment.unknown")
        assert error_of(cfg, method, {**body, "attachments": someone_elses}, token=clerk) == (400, "attachment.unknown")
        assert error_of(cfg, method, {**body, "attachments": [{"id": upload(clerk2, kind)}]}, token=clerk) == (
            400, "attachment.unknown")
        assert error_of(cfg, method, {**body, "attachments": wrong_kind}, token=clerk) == (
            400, "attachment.kind_not_allowed")
        assert error_of(cfg, method, {**body, "attachments": ["not-an-id"]}, token=clerk)[0] == 400
    # nothing stored by any refused submission, and the refused uploads are still unlinked
    assert scalar(db, "SELECT count(*) FROM backfills") == 0 and scalar(db, "SELECT count(*) FROM withdrawals") == 0
    assert scalar(db, "SELECT count(*) FROM attachments WHERE subject_id IS NOT NULL") == 0

    b = rpc(cfg, "submit_backfill", {"rows": [row], "attachments": [{"id": upload(clerk, "payment_proof")}]},
            token=clerk)
    w = rpc(cfg, "submit_withdrawal", {**wd, "attachments": [{"id": upload(clerk, "withdrawal_proof")}]}, token=clerk)
    city, county, elsewhere = (issue(role="housing_bureau", region=r)[0] for r in ("440700", "440703", "440704"))
    for record, method in ((b, "get_backfill"), (w, "get_withdrawal")):
        [proof] = record["attachments"]
        assert scalar(db, "SELECT subject_id FROM attachments WHERE id=:i", i=proof["id"]) == record["id"]
        # the reviewing bureau sees the proof with the record and may download it
        assert rpc(cfg, method, record["id"], token=county)["attachments"][0]["id"] == proof["id"]
        for token in (city, county, clerk, clerk2):
            assert rpc(cfg, "attachment_for_download", proof["id"], token=token)["id"] == proof["id"]
        # outside the jurisdiction, or another employer: 404 as if it did not exist
        for token in (elsewhere, outsider):
            assert error_of(cfg, "attachment_for_download", proof["id"], token=token) == (404, "attachment.not_found")
