"""汇缴/补缴, their review, 缴款历史补录 and matching a bank statement against the payment notices, on a fake
unit of work."""
from __future__ import annotations

import uuid

import pytest

from housing_fund.use_cases import backfill
from housing_fund.use_cases.reconciliation import matching, reports
from housing_fund.use_cases.remittances import review, submission
from shared.auth.principal import Principal
from shared.errors import Conflict, IllegalTransition, InvalidInput, NotFound

from .conftest import BUREAU, PENGJIANG

THIS_MONTH = "202611"   # the tests' now (2026-11-25 in Shanghai)


@pytest.fixture
def payroll(world):
    """An employer with two employees at 100,000 fen a month; its clerk."""
    employer = world.employer()
    return world.clerk(employer), [world.employee(employer, "甲"), world.employee(employer, "乙")]


def remit(world, clerk, ids, month=THIS_MONTH, **patch) -> dict:
    return submission.submit(world.tx(clerk), {"mode": "remit", "month": month,
                                               "lines": [{"employee_id": i} for i in ids], **patch})


def test_a_remittance_holds_its_employees_until_the_bureau_decides(world, payroll):
    clerk, ids = payroll
    tx = world.tx(clerk)
    pending = submission.submit(tx, {"mode": "remit", "month": THIS_MONTH,
                                     "lines": [{"employee_id": ids[0]}, {"employee_id": ids[1], "amount_fen": 50000}]})
    assert (pending["status"], pending["total_fen"], pending["employee_count"], pending["round"]) == (
        "pending", 150000, 2, 1)
    assert {line["employee_id"]: line["overridden"] for line in pending["lines"]} == {ids[0]: False, ids[1]: True}
    assert tx.event_types() == ["remittance.submitted"] and tx.audit_actions() == ["remittance.submit"]
    assert set(world.remittances.holds) == set(ids)
    assert [i["held"] for i in submission.roster(world.tx(clerk), THIS_MONTH)["items"]] == [True, True]
    with pytest.raises(Conflict) as info:
        remit(world, clerk, ids)
    assert info.value.code == "remittance.unfinished_exists"


def test_an_amount_set_by_hand_is_copied_to_later_months(world, payroll):
    clerk, ids = payroll
    first = remit(world, clerk, [ids[0]], month="202610", lines=[{"employee_id": ids[0], "amount_fen": 70000}])
    assert first["total_fen"] == 70000
    roster = submission.roster(world.tx(clerk), THIS_MONTH)
    by_id = {i["employee_id"]: i for i in roster["items"]}
    assert (by_id[ids[0]]["amount_fen"], by_id[ids[0]]["overridden"]) == (70000, True)
    assert (by_id[ids[1]]["amount_fen"], by_id[ids[1]]["overridden"]) == (100000, False)


def test_a_remittance_is_refused_for_a_future_month_a_sealed_or_foreign_employee_or_a_paid_month(world, payroll):
    clerk, ids = payroll
    employer = clerk.unit_id
    with pytest.raises(InvalidInput) as info:
        remit(world, clerk, ids, month="202612")
    assert info.value.code == "remittance.future_month"
    sealed = world.employee(employer, "丙", status="02")
    with pytest.raises(Conflict) as info:
        remit(world, clerk, [sealed])
    assert info.value.code == "remittance.employee_not_active"
    foreign = world.employee(world.employer("其他单位"))
    with pytest.raises(NotFound):
        remit(world, clerk, [ids[0], foreign])
    world.ledger.add({"employee_id": ids[0], "employer_id": employer, "business_code": "01", "month": THIS_MONTH,
                      "periods": 1, "amount_fen": 100000, "ref_type": None, "ref_id": None, "note": None, "at": None})
    with pytest.raises(Conflict) as info:
        remit(world, clerk, ids)
    assert info.value.code == "remittance.month_already_paid" and info.value.details["employee_id"] == ids[0]
    assert world.remittances.rows == {}


def test_a_back_payment_spans_at_most_twelve_months_before_a_new_employee_s_start(world, payroll):
    clerk, ids = payroll   # start month 202601, nothing remitted at this employer yet
    back = {"mode": "back_pay", "back_pay_kind": "monthly", "lines": [{"employee_id": ids[0]}],
            "apply_first_page": True}
    with pytest.raises(InvalidInput) as info:
        submission.submit(world.tx(clerk), {**back, "month_from": "202412", "month_to": "202601"})
    assert info.value.code == "remittance.too_many_months"
    with pytest.raises(InvalidInput) as info:
        submission.submit(world.tx(clerk), {**back, "month_from": "202511", "month_to": "202601"})
    assert info.value.code == "remittance.back_pay_after_start" and info.value.details["months"] == ["202601"]
    with pytest.raises(InvalidInput) as info:
        submission.submit(world.tx(clerk), {**back, "back_pay_kind": "lump_sum", "month": "202510"})
    assert info.value.code == "remittance.lump_sum_amount"
    monthly = submission.submit(world.tx(clerk), {**back, "month_from": "202510", "month_to": "202512"})
    assert (monthly["mode"], monthly["months"], monthly["total_fen"], monthly["line_count"]) == (
        "back_pay", "202510-202512", 300000, 3)


def test_approval_issues_a_payment_notice_and_a_return_frees_the_employees_for_a_second_round(world, payroll):
    clerk, ids = payroll
    first = remit(world, clerk, ids)
    with pytest.raises(InvalidInput):
        review.return_(world.tx(BUREAU), first["id"], " ")
    returned = review.return_(world.tx(BUREAU), first["id"], "金额有误")
    assert (returned["status"], returned["rounds"][0]["decision"]) == ("returned", "returned")
    assert world.remittances.holds == {}
    tx = world.tx(clerk)
    again = submission.resubmit(tx, first["id"], {"mode": "remit", "month": THIS_MONTH,
                                                  "lines": [{"employee_id": ids[0]}]})
    assert (again["round"], again["total_fen"], len(again["lines"]), again["opinion"]) == (2, 100000, 1, None)
    assert tx.event_types() == ["remittance.resubmitted"] and list(world.remittances.holds) == [ids[0]]
    approving = world.tx(BUREAU)
    approved = review.approve(approving, first["id"])
    trade_code = world.employers.rows[clerk.unit_id]["trade_code"]
    assert approved["status"] == "approved" and approved["memo"] == f"{trade_code}x{approved['payment_code']}o"
    assert approved["receiving_account"]["bureau"] == "440700"
    assert [r["decision"] for r in approved["rounds"]] == ["returned", "approved"]
    assert approving.event_types() == ["remittance.approved"]
    with pytest.raises(IllegalTransition):
        review.approve(world.tx(BUREAU), first["id"])


def test_no_notice_without_a_receiving_account(world, payroll):
    clerk, ids = payroll
    pending = remit(world, clerk, ids)
    world.remittances.accounts.clear()
    with pytest.raises(Conflict) as info:
        review.approve(world.tx(BUREAU), pending["id"])
    assert info.value.code == "payment_notice.no_receiving_account"


def statement_of(world, *lines) -> dict:
    statement_id = str(uuid.uuid4())
    world.bank.statements[statement_id] = {"id": statement_id, "region": PENGJIANG}
    return {"statement_id": statement_id, "chunk": 0, "last": True, "lines": [
        {"serial": serial, "row": n, "date": "2026-11-24", "amount_fen": fen, "payer_account": "6222000000000001",
         "payer_name": "示范单位", "memo": memo} for n, (serial, fen, memo) in enumerate(lines, start=1)]}


def test_a_bank_line_with_the_notice_s_memo_and_amount_pays_it_and_credits_every_line(world, payroll):
    clerk, ids = payroll
    notice = review.approve(world.tx(BUREAU), remit(world, clerk, ids)["id"])
    memo = notice["memo"]
    tx = world.tx(Principal.system("housing_fund"))
    chunk = statement_of(world, ("S1", 199999, memo), ("S2", 200000, memo + " 11月汇缴"), ("S3", 200000, memo),
                         ("S4", 200000, "没有代码"), ("S5", -5000, "手续费"))
    done = matching.process_chunk(tx, chunk)
    assert done == {"lines": 5, "recorded": 5, "already_recorded": 0}
    outcomes = {serial: (line["outcome"], line["reason"]) for serial, line in world.bank.lines.items()}
    assert outcomes == {"S1": ("returned", "amount_mismatch"), "S2": ("matched", None),
                        "S3": ("returned", "already_paid"), "S4": ("returned", "malformed_memo"),
                        "S5": ("debit", None)}
    paid = world.remittances.rows[notice["id"]]
    assert (paid["status"], paid["paid_line_id"]) == ("paid", world.bank.lines["S2"]["id"])
    assert world.remittances.holds == {} and world.ledger.balance(ids[0]) == (1, 100000)
    assert tx.event_types().count("remittance.paid") == 1 and "bank_line.debit" not in tx.event_types()
    assert tx.audit_actions() == ["remittance.paid"]
    assert world.bank.statements[chunk["statement_id"]]["status"] == "done"
    again = matching.process_chunk(world.tx(Principal.system("housing_fund")), statement_of(world, ("S2", 1, memo)))
    assert again == {"lines": 1, "recorded": 0, "already_recorded": 1} and world.ledger.balance(ids[0]) == (1, 100000)


def test_the_report_counts_matched_and_returned_lines_by_reason_and_what_is_still_outstanding(world, payroll):
    clerk, ids = payroll
    notice = review.approve(world.tx(BUREAU), remit(world, clerk, ids)["id"])
    assert (reports.report(world.tx(BUREAU))["outstanding_count"],
            reports.report(world.tx(BUREAU))["outstanding_fen"]) == (1, 200000)
    chunk = statement_of(world, ("R1", 200000, notice["memo"]), ("R2", 5000, "没有代码"), ("R3", 7000, "也没有"),
                         ("R4", 200000, notice["memo"]), ("R5", -100, "手续费"))
    world.bank.statements[chunk["statement_id"]].update(
        filename="11月.xlsx", sha256="cd" * 32, line_count=5, credit_count=4, credit_fen=412000, job_id="job-1",
        uploaded_at=None, finished_at=None, status="processing")
    world.jobs.jobs["job-1"] = {"id": "job-1", "status": "done"}
    matching.process_chunk(world.tx(Principal.system("housing_fund")), chunk)
    report = reports.report(world.tx(BUREAU), chunk["statement_id"])
    assert (report["matched_count"], report["matched_fen"], report["returned_count"], report["returned_fen"]) == (
        1, 200000, 3, 212000)
    assert [(r["reason"], r["count"], r["amount_fen"]) for r in report["returned_by_reason"]] == [
        ("already_paid", 1, 200000), ("malformed_memo", 2, 12000)]
    assert (report["outstanding_count"], report["outstanding_fen"]) == (0, 0)
    shown = reports.get_statement(world.tx(BUREAU), chunk["statement_id"])   # every credit recorded this time
    assert (shown["status_label"], shown["already_recorded_count"], shown["job"]["id"]) == ("匹配完成", 0, "job-1")
    with pytest.raises(NotFound):
        reports.get_statement(world.tx(Principal(account_id=str(uuid.uuid4()), role="housing_bureau",
                                                 region="440704")), chunk["statement_id"])


def test_a_bank_line_naming_another_employer_s_trade_code_is_returned(world, payroll):
    clerk, ids = payroll
    notice = review.approve(world.tx(BUREAU), remit(world, clerk, ids)["id"])
    matching.process_chunk(world.tx(Principal.system("housing_fund")), statement_of(
        world, ("T1", 200000, f"99999x{notice['payment_code']}o")))
    assert (world.bank.lines["T1"]["outcome"], world.bank.lines["T1"]["reason"]) == ("returned", "trade_code_mismatch")
    assert world.remittances.rows[notice["id"]]["status"] == "approved"


def test_a_backfill_enters_the_ledger_once_the_bureau_approves(world, payroll):
    clerk, ids = payroll
    rows = [{"employee_id": ids[0], "month": "202505", "amount_fen": 80000},
            {"employee_id": ids[1], "month": "202505", "amount_fen": 80000, "periods": 2}]
    proof = [world.attachments.upload("payment_proof", clerk)]
    tx = world.tx(clerk)
    pending = backfill.submit(tx, {"rows": rows, "attachments": proof, "reason": "系统上线前缴款"})
    assert (pending["status"], pending["total_fen"], [r["name"] for r in pending["rows"]]) == (
        "pending", 160000, ["甲", "乙"])
    assert tx.event_types() == ["backfill.submitted"] and world.ledger.entries_ == []
    with pytest.raises(InvalidInput) as info:
        backfill.decide(world.tx(BUREAU), pending["id"], "return", "")
    assert info.value.code == "opinion.required"
    approved = backfill.decide(world.tx(BUREAU), pending["id"], "approve")
    assert approved["status"] == "approved" and world.ledger.balance(ids[1]) == (2, 80000)
    assert {e["ref_type"] for e in world.ledger.entries_} == {"backfill"}
    with pytest.raises(IllegalTransition):
        backfill.decide(world.tx(BUREAU), pending["id"], "approve")


def test_a_backfill_is_refused_for_this_month_and_for_another_employer_s_employee(world, payroll):
    clerk, ids = payroll
    proof = [world.attachments.upload("payment_proof", clerk)]
    with pytest.raises(InvalidInput) as info:
        backfill.submit(world.tx(clerk), {"rows": [{"employee_id": ids[0], "month": THIS_MONTH, "amount_fen": 1}],
                                          "attachments": proof})
    assert info.value.code == "backfill.month_not_past"
    foreign = world.employee(world.employer("其他单位"))
    with pytest.raises(NotFound):
        backfill.submit(world.tx(clerk), {"rows": [{"employee_id": foreign, "month": "202505", "amount_fen": 1}],
                                          "attachments": proof})
    assert world.backfills.rows == {}
