"""员工转入/转出: out singly or in batch to a chosen employer; the receiving employer reviews (审阅)
and accepts, or returns it. At acceptance the employee's balance booked at the sender moves to the
receiver by two equal and opposite ledger entries (06 内部转移): nothing counted twice or lost."""
from __future__ import annotations

import uuid
from typing import Any

from housing_fund.adapters.repository import (
    EmployeeRepository,
    EmployerRepository,
    LedgerRepository,
    TransferRepository,
)
from housing_fund.domain import employees as rules
from housing_fund.domain.employers import check_can_receive
from housing_fund.domain.ledger import Entry
from housing_fund.domain.transfers import TRANSFER, check_target, ledger_entries, status_label
from housing_fund.use_cases.attachments import EMPLOYEE, link
from housing_fund.use_cases.employees import emit_employee
from housing_fund.use_cases.ledger import book
from housing_fund.use_cases.records import check_id, check_ids, iso, load_own_employees, own_employer
from shared import validators
from shared.errors import Conflict, InvalidInput, NotFound
from shared.opinions import check_opinion
from shared.pagination import known_filter
from shared.service import Tx

NOT_FOUND = ("转移记录不存在或不属于本单位", "transfer.not_found")


def _target(tx: Tx, employer_id: Any) -> Any:
    row = tx.repository(EmployerRepository).get(check_id(employer_id, "to_employer_id"), lock=True)
    if row is None or row["review_status"] != "approved":
        raise NotFound("转入单位不存在", code="employer.not_found")
    return row


def transfer_out(tx: Tx, employee_ids: Any, to_employer_id: Any, reason: Any = None, attachments: Any = None) -> dict:
    """新增职工转出 (one or a ticked batch) to ``to_employer_id``; waits for its 审阅."""
    sender = own_employer(tx)
    target = _target(tx, to_employer_id)
    check_target(sender["id"], target["id"])
    check_can_receive(target["status"], target["name"])
    ids = check_ids(employee_ids)
    text = reason.strip()[:500] if isinstance(reason, str) and reason.strip() else None
    rows = load_own_employees(tx, ids, sender["id"])
    open_ = tx.repository(TransferRepository).pending_of(ids)
    created: list[str] = []
    refs: list[dict] = []
    for row in rows:
        rules.next_status(row, "transfer_out")
        if row["id"] in open_:
            raise Conflict(f"职工{row['name']}已有待审阅的转移", code="transfer.pending_exists",
                           details={"employee_id": row["id"]})
        transfer_id = str(uuid.uuid4())
        if not created:  # the batch's materials are linked to its first transfer (same two employers)
            refs = link(tx, attachments, kinds=EMPLOYEE, subject_type="transfer", subject_id=transfer_id,
                        required=False)
        tx.repository(TransferRepository).add(dict(
            id=transfer_id, employee_id=row["id"], from_employer_id=sender["id"], to_employer_id=target["id"],
            status="pending", reason=text, attachments=refs, requested_by=tx.principal.account_id,
            requested_at=tx.now))
        emit_employee(tx, "employee.transfer_requested", row, transfer_id=transfer_id,
                      from_employer_id=sender["id"], to_employer_id=target["id"])
        created.append(transfer_id)
    tx.audit("employee.transfer_out", "employer", sender["id"], region=sender["region"],
             after={"to_employer_id": target["id"], "employee_ids": ids, "transfer_ids": created})
    return {"count": len(created), "transfer_ids": created, "to_employer_name": target["name"]}


def _load(tx: Tx, transfer_id: Any, *, lock: bool = False) -> Any:
    row = tx.repository(TransferRepository).get(check_id(transfer_id, "transfer_id"), lock=lock)
    mine = tx.principal.unit_id
    if row is None or mine not in (row["from_employer_id"], row["to_employer_id"]):
        raise NotFound(NOT_FOUND[0], code=NOT_FOUND[1])
    return row


def _incoming(tx: Tx, transfer_id: Any) -> Any:
    row = _load(tx, transfer_id, lock=True)
    if row["to_employer_id"] != tx.principal.unit_id:
        raise NotFound(NOT_FOUND[0], code=NOT_FOUND[1])
    return row


def accept(tx: Tx, transfer_id: Any) -> dict:
    """审阅 → 立即提交: the employee joins this employer with their balance and history."""
    row = _incoming(tx, transfer_id)
    status = TRANSFER.next(row["status"], "accept")
    receiver = own_employer(tx, lock=True)
    check_can_receive(receiver["status"], receiver["name"])
    roster = tx.repository(EmployeeRepository)
    employee = roster.get(row["employee_id"], lock=True)
    if employee["employer_id"] != row["from_employer_id"]:
        raise Conflict("该职工已不在转出单位，不能转入", code="transfer.stale")
    periods, fen = tx.repository(LedgerRepository).balance(employee["id"], row["from_employer_id"])
    out, into = ledger_entries(int(fen), int(periods))
    book(tx, employee["id"], row["from_employer_id"], Entry(rules.INTERNAL_TRANSFER, out[0], out[1], note="转出"),
         ref_type="transfer", ref_id=row["id"])
    book(tx, employee["id"], receiver["id"], Entry(rules.INTERNAL_TRANSFER, into[0], into[1], note="转入"),
         ref_type="transfer", ref_id=row["id"])
    roster.update(employee["id"], dict(employer_id=receiver["id"], region=receiver["region"], updated_at=tx.now))
    tx.repository(TransferRepository).update(row["id"], dict(
        status=status, decided_by=tx.principal.account_id, decided_at=tx.now, balance_fen=int(fen),
        periods=int(periods)))
    for kind, employer_id, region in (("transfer_out", row["from_employer_id"], employee["region"]),
                                      ("transfer_in", receiver["id"], receiver["region"])):
        roster.add_change(dict(
            id=str(uuid.uuid4()), employee_id=employee["id"], employer_id=employer_id, region=region, kind=kind,
            business_code=rules.INTERNAL_TRANSFER, status="applied",
            before={"employer_id": row["from_employer_id"]}, after={"employer_id": receiver["id"]},
            by_account=tx.principal.account_id, by_name=tx.principal.name, at=tx.now))
    moved = {**employee, "employer_id": receiver["id"], "region": receiver["region"]}
    emit_employee(tx, "employee.transferred", moved, transfer_id=row["id"], from_employer_id=row["from_employer_id"],
                  to_employer_id=receiver["id"], balance_fen=int(fen))
    tx.audit("employee.transfer_accept", "transfer", row["id"], region=receiver["region"],
             before={"employer_id": row["from_employer_id"]},
             after={"employer_id": receiver["id"], "balance_fen": int(fen), "periods": int(periods)})
    return get_transfer(tx, row["id"])


def reject(tx: Tx, transfer_id: Any, opinion: Any) -> dict:
    row = _incoming(tx, transfer_id)
    status = TRANSFER.next(row["status"], "reject")
    text = check_opinion(opinion, required=True)
    tx.repository(TransferRepository).update(row["id"], dict(
        status=status, opinion=text, decided_by=tx.principal.account_id, decided_at=tx.now))
    employee = tx.repository(EmployeeRepository).get(row["employee_id"])
    emit_employee(tx, "employee.transfer_rejected", employee, transfer_id=row["id"], opinion=text,
                  to_employer_id=row["to_employer_id"])
    tx.audit("employee.transfer_reject", "transfer", row["id"], before={"status": row["status"]},
             after={"status": status, "opinion": text})
    return get_transfer(tx, row["id"])


def _view(r: Any, names: dict[str, str], employee: Any) -> dict:
    incoming = r["to_employer_id"]
    return {"id": r["id"], "employee_id": r["employee_id"], "employee_name": employee["name"],
            "id_number": validators.mask_id(employee["id_number"]), "level": employee["level"],
            "monthly_fen": int(employee["monthly_fen"]), "from_employer_id": r["from_employer_id"],
            "from_employer_name": names.get(r["from_employer_id"]), "to_employer_id": incoming,
            "to_employer_name": names.get(incoming), "status": r["status"], "status_label": status_label(r["status"]),
            "reason": r["reason"], "opinion": r["opinion"], "requested_at": iso(r["requested_at"]),
            "decided_at": iso(r["decided_at"]), "balance_fen": r["balance_fen"], "periods": r["periods"],
            "attachments": r["attachments"]}


def _names(tx: Tx, ids: set[str]) -> dict[str, str]:
    return tx.repository(EmployerRepository).names(ids)


def get_transfer(tx: Tx, transfer_id: Any) -> dict:
    row = _load(tx, transfer_id)
    employee = tx.repository(EmployeeRepository).get(row["employee_id"])
    return _view(row, _names(tx, {row["from_employer_id"], row["to_employer_id"]}), employee)


def list_transfers(tx: Tx, filters: dict, page: Any, page_size: Any) -> dict:
    """The employer's transfers: ``direction`` in (转入, to review) or out (转出), ``status``."""
    mine = tx.principal.unit_id or ""
    direction = filters.get("direction")
    if direction not in ("in", "out", None, ""):
        raise InvalidInput.field("direction", "filter.direction_unknown", "方向应为in（转入）或out（转出）")
    known_filter(filters, "status", ("pending", "accepted", "rejected"), "状态应为pending、accepted或rejected")
    result = tx.repository(TransferRepository).page(mine, direction or None, filters, page, page_size, lambda r: r)
    names = _names(tx, {x["from_employer_id"] for x in result["items"]}
                   | {x["to_employer_id"] for x in result["items"]})
    result["items"] = [{**_view(r, names, r), "incoming": r["to_employer_id"] == mine,
                        "not_decidable": not (r["to_employer_id"] == mine and r["status"] == "pending")}
                       for r in result["items"]]
    return result
