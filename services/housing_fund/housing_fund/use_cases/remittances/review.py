"""The bureau's decision on a remittance: approval (a payment notice is issued) or return."""
from __future__ import annotations

from typing import Any

from housing_fund.adapters.repository import RemittanceRepository
from housing_fund.domain import remittances as rules
from housing_fund.use_cases.remittances.common import check_transition, emit, get, load
from shared.errors import InvalidInput
from shared.service import Tx


def _decide_round(tx: Tx, row: Any, decision: str, opinion: str | None) -> None:
    tx.repository(RemittanceRepository).decide_round(row["id"], row["round"], dict(
        decision=decision, opinion=opinion, decided_by=tx.principal.account_id, decided_at=tx.now))


def approve(tx: Tx, remittance_id: Any, opinion: Any = None) -> dict:
    """The bureau approves: the remittance becomes a payment notice awaiting payment."""
    from housing_fund.use_cases import payment_notices

    row = load(tx, remittance_id, lock=True)
    check_transition(row, "approve")
    notice = payment_notices.issue(tx, row)
    values = {"status": rules.APPROVED, "opinion": _opinion(opinion), "decided_by": tx.principal.account_id,
              "decided_at": tx.now, **notice}
    tx.repository(RemittanceRepository).update(row["id"], values)
    _decide_round(tx, row, "approved", values["opinion"])
    tx.audit("remittance.approve", "remittance", row["id"], before={"status": row["status"]},
             after={"status": rules.APPROVED, "payment_code": notice["payment_code"]}, region=row["region"])
    emit(tx, "remittance.approved", {**row, **values}, payment_code=notice["payment_code"],
          memo=notice["memo"], trade_code=notice["trade_code"], opinion=values["opinion"])
    return get(tx, row["id"])


def return_(tx: Tx, remittance_id: Any, opinion: Any) -> dict:
    """The bureau returns with an opinion; the employees are free for a corrected remittance."""
    row = load(tx, remittance_id, lock=True)
    check_transition(row, "return")
    text = _opinion(opinion)
    if not text:
        raise InvalidInput.field("opinion", "opinion.required", "退回时请填写审核意见")
    found = tx.repository(RemittanceRepository)
    found.update(row["id"], dict(status=rules.RETURNED, opinion=text, decided_by=tx.principal.account_id,
                                 decided_at=tx.now))
    found.release([row["id"]])
    _decide_round(tx, row, "returned", text)
    tx.audit("remittance.return", "remittance", row["id"], before={"status": row["status"]},
             after={"status": rules.RETURNED, "opinion": text}, region=row["region"])
    emit(tx, "remittance.returned", {**row, "status": rules.RETURNED}, opinion=text)
    return get(tx, row["id"])


def _opinion(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 500:
        raise InvalidInput.field("opinion", "opinion.invalid", "审核意见不能超过500字")
    return value.strip() or None
