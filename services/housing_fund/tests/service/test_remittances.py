"""汇缴申请 and 缴费通知 against the real broker and database: the roster, 指定汇缴 copied forward,
back-payment rules, one unfinished remittance, approval into a payment notice (what its printed form shows and
its public 扫码核验), return,
and the monthly reminder."""
import json
import re

import pytest

from housing_fund.domain.payment_codes import ALPHABET
from shared.testing.helpers import execute, rows, scalar
from shared.testing.service import callers
from shared.verification import VERIFICATION_KEYS

from .line_b import credit, employee, employer

rpc, error_of = callers("housing_fund")




def month_now(db):
    return scalar(db, "SELECT to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYYMM')")


def month_add(month, n):
    i = int(month[:4]) * 12 + int(month[4:]) - 1 + n
    return f"{i // 12:04d}{i % 12 + 1:02d}"


@pytest.fixture
def bureau(issue):
    return issue(role="housing_bureau", region="440700", name="住建局经办人")[0]


def account(cfg, bureau):
    return rpc(cfg, "set_receiving_account", {"account_name": "江门市住房补贴专户", "account_no": "4400 1234 5678 9012",
                                              "bank_name": "建设银行江门分行"}, token=bureau)


def test_remit_with_an_override_becomes_a_payment_notice_with_its_pdf(housing_fund, housing_fund_config,
                                                                       housing_fund_db, issue, bureau):
    cfg, db = housing_fund_config, housing_fund_db
    e = employer(db, "蓬江示范单位", trade_code="75256")
    a, b, c = (employee(db, e, n, monthly_fen=f) for n, f in (("张三", 80000), ("李四", 90000), ("王五", 100000)))
    employee(db, e, "赵六", status="02")  # sealed: not on the roster
    clerk = issue(role="employer", region="440703", unit_id=e)[0]
    month = month_now(db)
    roster = rpc(cfg, "remittance_roster", month, token=clerk)
    assert [i["name"] for i in roster["items"]] == ["张三", "李四", "王五"] or len(roster["items"]) == 3
    assert roster["total_fen"] == 270000

    # 指定汇缴 for 李四 in yuan, rounded HALF_UP per line: 1234.565 -> 1234.57
    r = rpc(cfg, "submit_remittance", {"mode": "remit", "month": month, "lines": [
        {"employee_id": a}, {"employee_id": b, "amount_fen": None, "amount": "1234.565", "override": True},
        {"employee_id": c}]},
        token=clerk)
    assert r["status"] == "pending" and r["total_fen"] == 80000 + 123457 + 100000 and r["employee_count"] == 3
    assert error_of(cfg, "submit_remittance", {"mode": "remit", "month": month, "lines": [{"employee_id": a}]},
                    token=clerk) == (409, "remittance.unfinished_exists")
    assert error_of(cfg, "approve_remittance", r["id"], token=bureau) == (409, "payment_notice.no_receiving_account")
    account(cfg, bureau)
    other_county = issue(role="housing_bureau", region="440704")[0]
    assert error_of(cfg, "approve_remittance", r["id"], token=other_county) == (404, "remittance.not_found")
    approved = rpc(cfg, "approve_remittance", r["id"], "同意", token=bureau)
    code = approved["payment_code"]
    assert len(code) == 4 and set(code) <= set(ALPHABET) and not set(code) & set("XOI01")
    assert approved["memo"] == f"75256x{code}o" and approved["status"] == "approved"
    assert approved["receiving_account"]["account_no"] == "4400123456789012"
    assert error_of(cfg, "approve_remittance", r["id"], token=bureau) == (409, "remittance.illegal_transition")

    notices = rpc(cfg, "list_payment_notices", {}, token=clerk)
    assert [n["memo"] for n in notices["items"]] == [approved["memo"]]
    # what the printed 缴款通知书 shows (the gateway draws it: gateway/tests/unit/test_printing.py)
    notice = rpc(cfg, "get_payment_notice", r["id"], token=clerk)
    assert (notice["memo"], notice["total_fen"], notice["payment_code"]) == (approved["memo"], 303457, code)
    assert notice["notes"] and notice["receiving_account"]["account_no"] == "4400123456789012"
    assert error_of(cfg, "get_payment_receipt", r["id"], token=clerk) == (409, "payment_notice.not_paid")
    # its QR code's public check: anyone (no token) learns the code, the status now, count and amount only
    shown = rpc(cfg, "verify_remittance", r["id"], token=None)
    assert shown == {"number": code, "status": "approved", "status_label": approved["status_label"], "count": 3,
                     "amount_fen": 303457}
    assert set(shown) == VERIFICATION_KEYS
    assert error_of(cfg, "verify_remittance", "no-such-remittance", token=None) == (404, "payment_notice.not_found")

    # the override is copied to later months
    later = rpc(cfg, "remittance_roster", month_add(month, 1), token=clerk)
    li = next(i for i in later["items"] if i["employee_id"] == b)
    assert li["amount_fen"] == 123457 and li["overridden"] is True and li["held"] is True
    events = [r_["event_type"] for r_ in rows(db, "SELECT event_type FROM platform_outbox "
                                                   "WHERE exchange='housing_fund.events' ORDER BY seq")]
    assert events.count("remittance.submitted") == 1 and events.count("remittance.approved") == 1
    assert scalar(db, "SELECT count(*) FROM platform_audit_log WHERE action LIKE 'remittance.%'") == 2


def test_back_payment_rules(housing_fund, housing_fund_config, housing_fund_db, issue, bureau):
    cfg, db = housing_fund_config, housing_fund_db
    e = employer(db)
    now = month_now(db)
    start = month_add(now, -2)
    new = employee(db, e, "新职工", start_month=start)
    old = employee(db, e, "老职工", start_month=month_add(now, -30))
    credit(db, old, e, 80000, month_add(now, -30))
    clerk = issue(role="employer", region="440703", unit_id=e)[0]
    first = month_add(now, -20)
    # 13 months in one submission
    thirteen = {"mode": "back_pay", "month_from": first, "month_to": month_add(first, 12),
                "lines": [{"employee_id": old}], "apply_first_page": True}
    assert error_of(cfg, "submit_remittance", thirteen,
                    token=clerk) == (400, "remittance.too_many_months")
    # a new employee back-pays only months before the start month
    late = {"mode": "back_pay", "month_from": month_add(start, -1), "month_to": start,
            "lines": [{"employee_id": new}], "apply_first_page": True}
    assert error_of(cfg, "submit_remittance", late,
                    token=clerk) == (400, "remittance.back_pay_after_start")
    assert scalar(db, "SELECT count(*) FROM remittances") == 0
    # 全部应用第一页信息: the first month's people and amounts copied to the other months
    r = rpc(cfg, "submit_remittance", {"mode": "back_pay", "back_pay_kind": "monthly",
                                       "month_from": month_add(start, -3), "month_to": month_add(start, -1),
                                       "apply_first_page": True,
                                       "lines": [{"employee_id": new, "amount_fen": 50000},
                                                 {"employee_id": old, "amount_fen": 60000}]}, token=clerk)
    assert r["line_count"] == 6 and r["total_fen"] == 3 * 110000
    assert r["months"] == f"{month_add(start, -3)}-{month_add(start, -1)}"
    assert {ln["month"] for ln in r["lines"]} == {month_add(start, -3), month_add(start, -2), month_add(start, -1)}
    rpc(cfg, "return_remittance", r["id"], "金额有误", token=bureau)
    assert error_of(cfg, "return_remittance", r["id"], "x", token=bureau) == (409, "remittance.illegal_transition")
    # lump sum: one month and a total
    lump = rpc(cfg, "submit_remittance", {"mode": "back_pay", "back_pay_kind": "lump_sum", "month": month_add(now, -6),
                                          "lines": [{"employee_id": old, "amount": "4800.00"}]}, token=clerk)
    assert lump["total_fen"] == 480000 and lump["line_count"] == 1 and lump["back_pay_kind_label"] == "一次性补缴"


def test_status_holds_and_return(housing_fund, housing_fund_config, housing_fund_db, issue, bureau):
    cfg, db = housing_fund_config, housing_fund_db
    now = month_now(db)
    closed = employer(db, "已销户单位", status="04", trade_code="11111")
    deferred = employer(db, "缓缴单位", status="03", trade_code="22222")
    other = employer(db, "另一单位", trade_code="33333")
    x = employee(db, closed, "甲")
    y = employee(db, deferred, "乙")
    t = lambda e: issue(role="employer", region="440703", unit_id=e)[0]  # noqa: E731
    assert error_of(cfg, "submit_remittance", {"mode": "remit", "month": now, "lines": [{"employee_id": x}]},
                    token=t(closed)) == (409, "employer.not_active")
    r = rpc(cfg, "submit_remittance", {"mode": "remit", "month": now, "lines": [{"employee_id": y}]}, token=t(deferred))
    # the employee moves to another employer while the remittance is unfinished: never in two
    execute(db, "UPDATE employees SET employer_id=:o WHERE id=:y", o=other, y=y)
    assert error_of(cfg, "submit_remittance", {"mode": "remit", "month": now, "lines": [{"employee_id": y}]},
                    token=t(other)) == (409, "remittance.employee_held")
    assert error_of(cfg, "return_remittance", r["id"], "", token=bureau) == (400, "opinion.required")
    returned = rpc(cfg, "return_remittance", r["id"], "人员有误", token=bureau)
    assert returned["status"] == "returned" and returned["opinion"] == "人员有误"
    assert rpc(cfg, "submit_remittance", {"mode": "remit", "month": now, "lines": [{"employee_id": y}]},
               token=t(other))["status"] == "pending"
    assert error_of(cfg, "submit_remittance", {"mode": "remit", "month": now, "lines": [{"employee_id": x}]},
                    token=t(other)) == (409, "remittance.unfinished_exists")
    todos = {t["key"]: t for t in rpc(cfg, "todos", token=bureau)}
    assert todos["remittances.pending_review"]["count"] == 1


def test_monthly_reminder_once_per_employer_and_month(housing_fund, housing_fund_config, housing_fund_db, issue,
                                                      bureau):
    cfg, db = housing_fund_config, housing_fund_db
    now = month_now(db)
    quiet = employer(db, "未汇缴单位", trade_code="44444")
    busy = employer(db, "已汇缴单位", trade_code="55555")
    employer(db, "封存单位", status="05", trade_code="66666")
    z = employee(db, busy, "丙")
    rpc(cfg, "submit_remittance", {"mode": "remit", "month": now, "lines": [{"employee_id": z}]},
        token=issue(role="employer", region="440703", unit_id=busy)[0])
    assert rpc(cfg, "send_remittance_reminders", token=bureau) == {"sent": 1}
    assert rpc(cfg, "send_remittance_reminders", token=bureau) == {"sent": 0}
    [body] = [json.loads(r_["body"]) for r_ in rows(
        db, "SELECT body FROM platform_outbox WHERE event_type='remittance.reminder_due' "
            "AND exchange='housing_fund.events'")]
    assert body["data"]["employer_id"] == quiet and body["data"]["month"] == now
    todo = {t["key"]: t for t in rpc(cfg, "todos", token=issue(role="employer", region="440703", unit_id=quiet)[0])}
    assert re.search(now, todo["remittances.reminder"]["label"])


def test_a_returned_remittance_is_corrected_and_resubmitted_every_round_kept(housing_fund, housing_fund_config,
                                                                             housing_fund_db, issue, bureau):
    cfg, db = housing_fund_config, housing_fund_db
    e = employer(db, "重新提交单位", trade_code="75258")
    a, b = employee(db, e, "张三"), employee(db, e, "李四", monthly_fen=90000)
    clerk = issue(role="employer", region="440703", unit_id=e)[0]
    other_clerk = issue(role="employer", region="440703", unit_id=employer(db, "别的单位", trade_code="75259"))[0]
    month = month_now(db)
    first = rpc(cfg, "submit_remittance", {"mode": "remit", "month": month, "lines": [{"employee_id": a}]},
                token=clerk)
    assert first["round"] == 1 and first["total_fen"] == 80000
    # only a returned one can be resubmitted
    fixed = {"mode": "remit", "month": month, "lines": [{"employee_id": a}, {"employee_id": b, "amount": "950.00"}]}
    assert error_of(cfg, "resubmit_remittance", first["id"], fixed, token=clerk) == (
        409, "remittance.illegal_transition")
    rpc(cfg, "return_remittance", first["id"], "漏报李四", token=bureau)
    # another employer, the bureau, bad input: nothing changes
    assert error_of(cfg, "resubmit_remittance", first["id"], fixed, token=other_clerk) == (404, "remittance.not_found")
    assert error_of(cfg, "resubmit_remittance", first["id"], fixed, token=bureau)[0] == 403
    too_many = {"mode": "back_pay", "month_from": month_add(month, -13), "month_to": month_add(month, -1),
                "lines": [{"employee_id": a}]}
    assert error_of(cfg, "resubmit_remittance", first["id"], too_many, token=clerk) == (
        400, "remittance.too_many_months")
    assert scalar(db, "SELECT status FROM remittances WHERE id=:i", i=first["id"]) == "returned"

    again = rpc(cfg, "resubmit_remittance", first["id"], fixed, token=clerk)
    assert again["id"] == first["id"] and again["status"] == "pending" and again["round"] == 2
    assert again["total_fen"] == 175000 and again["opinion"] is None
    assert sorted((line["name"], line["amount_fen"]) for line in again["lines"]) == [("张三", 80000), ("李四", 95000)]
    assert [(r["round"], r["total_fen"], r["decision"], r["opinion"]) for r in again["rounds"]] == [
        (1, 80000, "returned", "漏报李四"), (2, 175000, None, None)]
    # held again: a second remittance for the same people is refused; one unfinished per employer
    assert error_of(cfg, "submit_remittance", fixed, token=clerk) == (409, "remittance.unfinished_exists")
    assert scalar(db, "SELECT count(*) FROM remittance_holds WHERE remittance_id=:i", i=first["id"]) == 2
    account(cfg, bureau)
    approved = rpc(cfg, "approve_remittance", first["id"], "同意", token=bureau)
    assert approved["payment_code"] and [r["decision_label"] for r in approved["rounds"]] == ["退回修改", "审核通过"]
    types = [r["event_type"] for r in rows(db, "SELECT event_type FROM platform_outbox WHERE (body::jsonb)->>'subject'"
                                               " = :i AND exchange='housing_fund.events' ORDER BY seq", i=first["id"])]
    assert types == ["remittance.submitted", "remittance.returned", "remittance.resubmitted", "remittance.approved"]
