"""支取申请 on a fake unit of work: the balance never goes negative (other pending withdrawals counted at
submission, the balance checked again at approval), the bureau's decision and the payout."""
from __future__ import annotations

import pytest

from housing_fund.use_cases import withdrawals
from shared.errors import Conflict, IllegalTransition, InvalidInput, NotFound

from .conftest import BUREAU, JIANGHAI_BUREAU


def request(world, clerk, employee_id: str, fen: int, **patch) -> dict:
    return {"employee_id": employee_id, "reason_code": "01", "amount_fen": fen, "payee_name": "张三",
            "payee_bank": "中国银行江门分行", "payee_account": "6216 6100 0000 0001",
            "attachments": [world.attachments.upload("withdrawal_proof", clerk)], **patch}


@pytest.fixture
def roster(world):
    employer = world.employer()
    clerk = world.clerk(employer)
    return employer, clerk, world.employee(employer, fen=300000, periods=3)


def test_a_withdrawal_fits_the_balance_less_the_employee_s_other_pending_ones(world, roster):
    _, clerk, employee = roster
    tx = world.tx(clerk)
    first = withdrawals.submit(tx, request(world, clerk, employee, 200000))
    assert (first["status"], first["amount_fen"], first["payee_account"], first["employee_name"]) == (
        "pending", 200000, "6216610000000001", "张三")
    assert tx.event_types() == ["withdrawal.submitted"] and tx.audit_actions() == ["withdrawal.submit"]
    with pytest.raises(Conflict) as info:
        withdrawals.submit(world.tx(clerk), request(world, clerk, employee, 100001))
    assert info.value.code == "withdrawal.insufficient_balance" and info.value.details["available_fen"] == 100000
    assert withdrawals.submit(world.tx(clerk), request(world, clerk, employee, 100000))["status"] == "pending"


def test_a_withdrawal_needs_a_known_reason_an_amount_a_payee_and_a_proof(world, roster):
    _, clerk, employee = roster
    for patch, code in [({"reason_code": "98"}, "withdrawal.reason_unknown"),
                        ({"amount_fen": 0}, "withdrawal.amount_invalid"),
                        ({"payee_name": " "}, "withdrawal.payee_required"),
                        ({"payee_account": "12ab"}, "withdrawal.account_format"),
                        ({"attachments": []}, "attachment.required")]:
        with pytest.raises(InvalidInput) as info:
            withdrawals.submit(world.tx(clerk), request(world, clerk, employee, 1000, **patch))
        assert info.value.code == code
    other = world.employer("其他单位")
    with pytest.raises(NotFound):   # another employer's employee
        withdrawals.submit(world.tx(world.clerk(other)), request(world, world.clerk(other), employee, 1000))
    assert world.withdrawals.rows == {}


def test_approval_books_the_withdrawal_and_the_payout_marks_it_paid(world, roster):
    employer, clerk, employee = roster
    pending = withdrawals.submit(world.tx(clerk), request(world, clerk, employee, 120000))
    tx = world.tx(BUREAU)
    approved = withdrawals.decide(tx, pending["id"], "approve", " 同意 ")
    assert (approved["status"], approved["opinion"]) == ("approved", "同意")
    booked = world.ledger.entries(employee)[-1]
    assert (booked["business_code"], booked["amount_fen"], booked["periods"], booked["employer_id"]) == (
        "11", -120000, 0, employer)
    assert booked["note"] == "支取：购房" and world.ledger.balance(employee) == (3, 180000)
    assert tx.event_types() == ["withdrawal.approved"] and tx.audited[0].before == {"status": "pending"}
    paid = world.tx(BUREAU)
    assert withdrawals.decide(paid, pending["id"], "pay")["paid_at"] is not None
    assert paid.event_types() == ["withdrawal.paid"]
    with pytest.raises(IllegalTransition) as info:
        withdrawals.decide(world.tx(BUREAU), pending["id"], "approve")
    assert info.value.code == "withdrawal.illegal_transition"


def test_approval_checks_the_balance_again_and_a_rejection_needs_an_opinion(world, roster):
    _, clerk, employee = roster
    pending = withdrawals.submit(world.tx(clerk), request(world, clerk, employee, 250000))
    world.ledger.add({"employee_id": employee, "employer_id": roster[0], "business_code": "11", "month": None,
                      "periods": 0, "amount_fen": -100000, "ref_type": None, "ref_id": None, "note": None,
                      "at": None})   # the balance fell meanwhile
    with pytest.raises(Conflict) as info:
        withdrawals.decide(world.tx(BUREAU), pending["id"], "approve")
    assert info.value.code == "withdrawal.insufficient_balance"
    with pytest.raises(IllegalTransition):   # not approved: nothing to pay
        withdrawals.decide(world.tx(BUREAU), pending["id"], "pay")
    with pytest.raises(InvalidInput) as info:
        withdrawals.decide(world.tx(BUREAU), pending["id"], "reject", " ")
    assert info.value.code == "opinion.required"
    with pytest.raises(NotFound):   # another county's bureau
        withdrawals.decide(world.tx(JIANGHAI_BUREAU), pending["id"], "reject", "不符合条件")
    rejected = world.tx(BUREAU)
    assert withdrawals.decide(rejected, pending["id"], "reject", "不符合条件")["status"] == "rejected"
    assert rejected.event_types() == ["withdrawal.rejected"] and world.ledger.balance(employee) == (3, 200000)
