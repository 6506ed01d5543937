"""员工转入/转出. The sending employer transfers ticked employees (one or a batch) to a chosen employer,
which must be approved and 正常 or 缓缴 (a 封存 or 销户 employer is refused, 409). The receiving
employer reviews (审阅) and accepts, or returns it. At acceptance the balance booked at the sender
moves with the employee: one 内部转移 entry out of the sender, an equal one into the receiver, so the
employee's total (and the sum over the ledger) is unchanged; the employee's history stays theirs."""
from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, insert, select, update

from housing_fund.adapters.orm import employee_changes, employees, employers, ledger, transfers
from housing_fund.domain import employees as employee_rules
from housing_fund.domain import transfers as rules
from housing_fund.domain.employers import check_attachments, check_can_receive
from housing_fund.domain.ledger import Entry
from housing_fund.use_cases.employees import emit_employee
from housing_fund.use_cases.ledger import book
from housing_fund.use_cases.records import check_id, check_ids, iso, load_own_employees, own_employer
from shared import regions
from shared.errors import Conflict, InvalidInput, NotFound
from shared.pagination import like_pattern, paginate

NOT_FOUND = ("转移记录不存在或与本单位无关", "transfer.not_found")
TARGET_NOT_FOUND = ("转入单位不存在", "employer.not_found")


def _target(tx, employer_id: Any) -> Any:
    row = tx.session.execute(select(employers).where(employers.c.id == check_id(employer_id, "to_employer_id"))
                             .with_for_update()).mappings().first()
    if row is None or row["review_status"] != "approved":
        raise NotFound(TARGET_NOT_FOUND[0], code=TARGET_NOT_FOUND[1])
    return row


def request_transfers(tx, employee_ids: Any, to_employer_id: Any, reason: Any = None, attachments: Any = None) -> dict:
    """新增职工转出 (single) or 批量操作员工转出: one pending transfer per employee."""
    employer = own_employer(tx, lock=True)
    ids = check_ids(employee_ids)
    rules.check_target(employer["id"], str(to_employer_id or ""))
    target = _target(tx, to_employer_id)
    check_can_receive(target["status"], target["name"])
    refs = check_attachments(attachments, required=False)
    rows = load_own_employees(tx, ids, employer["id"])
    busy = tx.session.execute(select(transfers.c.employee_id).where(
        transfers.c.employee_id.in_(ids), transfers.c.status == rules.PENDING)).scalars().all()
    if busy:
        names = "、".join(r["name"] for r in rows if r["id"] in set(busy))
        raise Conflict(f"以下职工已有待审阅的转出：{names}", code="transfer.pending_exists",
                       details={"employee_ids": list(busy)})
    for row in rows:
        employee_rules.next_status(row, "transfer_out")
    text = str(reason or "").strip()[:500] or None
    out = []
    for row in rows:
        transfer_id = str(uuid.uuid4())
        tx.session.execute(insert(transfers).values(
            id=transfer_id, employee_id=row["id"], from_employer_id=employer["id"], to_employer_id=target["id"],
            status=rules.PENDING, reason=text, attachments=refs, requested_by=tx.principal.account_id,
            requested_at=tx.now))
        emit_employee(tx, "employee.transfer_requested", row, {
            "transfer_id": transfer_id, "to_employer_id": target["id"], "from_employer_id": employer["id"],
            "employer_name": target["name"], "name": row["name"]})
        out.append(transfer_id)
    tx.audit("transfer.request", "employer", employer["id"],
             after={"employee_ids": ids, "to_employer_id": target["id"]}, region=employer["region"])
    return {"count": len(out), "items": [get_transfer(tx, i) for i in out]}


def _select():
    src = employers.alias("src")
    dst = employers.alias("dst")
    return (select(transfers, employees.c.name.label("employee_name"), employees.c.id_number,
                   employees.c.level, employees.c.monthly_fen, employees.c.status.label("employee_status"),
                   src.c.name.label("from_name"), src.c.org_code.label("from_org_code"),
                   dst.c.name.label("to_name"), dst.c.org_code.label("to_org_code"), dst.c.region.label("to_region"))
            .join(employees, employees.c.id == transfers.c.employee_id)
            .join(src, src.c.id == transfers.c.from_employer_id)
            .join(dst, dst.c.id == transfers.c.to_employer_id))


def _view(tx, r: Any, mine: str | None) -> dict:
    direction = "in" if r["to_employer_id"] == mine else "out"
    return {"id": r["id"], "employee_id": r["employee_id"], "employee_name": r["employee_name"],
            "id_number": r["id_number"], "level": r["level"], "monthly_fen": int(r["monthly_fen"]),
            "employee_status_label": employee_rules.status_label(r["employee_status"]),
            "from_employer_id": r["from_employer_id"], "from_name": r["from_name"],
            "from_org_code": r["from_org_code"], "to_employer_id": r["to_employer_id"], "to_name": r["to_name"],
            "to_org_code": r["to_org_code"], "to_region_name": regions.full_name(r["to_region"]),
            "direction": direction, "direction_label": "转入" if direction == "in" else "转出",
            "status": r["status"], "status_label": rules.status_label(r["status"]), "reason": r["reason"],
            "attachments": r["attachments"], "requested_at": iso(r["requested_at"]), "opinion": r["opinion"],
            "decided_at": iso(r["decided_at"]), "balance_fen": r["balance_fen"], "periods": r["periods"],
            "reviewable": direction == "in" and r["status"] == rules.PENDING}


def get_transfer(tx, transfer_id: Any) -> dict:
    mine = tx.principal.unit_id
    r = tx.session.execute(_select().where(transfers.c.id == check_id(transfer_id, "transfer_id"))).mappings().first()
    if r is None or mine not in (r["from_employer_id"], r["to_employer_id"]):
        raise NotFound(NOT_FOUND[0], code=NOT_FOUND[1])
    view = _view(tx, r, mine)
    if view["reviewable"]:  # 审阅: what will move with the employee
        periods, fen = _balance_at(tx, r["employee_id"], r["from_employer_id"])
        view["pending_periods"], view["pending_balance_fen"] = periods, fen
    return view


def list_transfers(tx, filters: dict, page: Any, page_size: Any) -> dict:
    """员工转入/转出: ``direction`` in (转入, awaiting our 审阅) or out; ``status``; ``q``."""
    mine = tx.principal.unit_id or ""
    stmt = _select()
    direction = filters.get("direction")
    if direction == "in":
        stmt = stmt.where(transfers.c.to_employer_id == mine)
    elif direction == "out":
        stmt = stmt.where(transfers.c.from_employer_id == mine)
    elif direction:
        raise InvalidInput.field("direction", "filter.direction_unknown", "方向应为 in（转入）或 out（转出）")
    else:
        stmt = stmt.where((transfers.c.to_employer_id == mine) | (transfers.c.from_employer_id == mine))
    if filters.get("status"):
        if filters["status"] not in (rules.PENDING, rules.ACCEPTED, rules.REJECTED):
            raise InvalidInput.field("status", "filter.status_unknown", "转移状态不存在")
        stmt = stmt.where(transfers.c.status == filters["status"])
    if filters.get("q"):
        pattern = like_pattern(str(filters["q"]))
        stmt = stmt.where(employees.c.name.ilike(pattern) | employees.c.id_number.ilike(pattern))
    stmt = stmt.order_by(transfers.c.requested_at.desc(), transfers.c.id)
    return paginate(tx.session, stmt, page, page_size, lambda r: _view(tx, r._mapping, mine))


def _balance_at(tx, employee_id: str, employer_id: str) -> tuple[int, int]:
    periods, fen = tx.session.execute(select(func.coalesce(func.sum(ledger.c.periods), 0),
                                             func.coalesce(func.sum(ledger.c.amount_fen), 0))
                                      .where(ledger.c.employee_id == employee_id,
                                             ledger.c.employer_id == employer_id)).one()
    return int(periods), int(fen)


def _load_incoming(tx, transfer_id: Any) -> Any:
    row = tx.session.execute(select(transfers).where(transfers.c.id == check_id(transfer_id, "transfer_id"))
                             .with_for_update()).mappings().first()
    if row is None or row["to_employer_id"] != tx.principal.unit_id:
        raise NotFound(NOT_FOUND[0], code=NOT_FOUND[1])
    return row


def _history(tx, employee: Any, employer_id: str, region: str, kind: str, after: dict, transfer: Any) -> None:
    tx.session.execute(insert(employee_changes).values(
        id=str(uuid.uuid4()), employee_id=employee["id"], employer_id=employer_id, region=region, kind=kind,
        business_code=employee_rules.INTERNAL_TRANSFER, status="applied",
        before={"employer_id": transfer["from_employer_id"]}, after=after, attachments=transfer["attachments"],
        reason=transfer["reason"], by_account=tx.principal.account_id, by_name=tx.principal.name, at=tx.now))


def accept_transfer(tx, transfer_id: Any, opinion: Any = None) -> dict:
    """审阅 → 立即提交: the employee joins the receiver with their balance and history."""
    transfer = _load_incoming(tx, transfer_id)
    status = rules.TRANSFER.next(transfer["status"], "accept")
    receiver = own_employer(tx, lock=True)
    check_can_receive(receiver["status"], receiver["name"])
    employee = tx.session.execute(select(employees).where(employees.c.id == transfer["employee_id"])
                                  .with_for_update()).mappings().one()
    if employee["employer_id"] != transfer["from_employer_id"]:
        raise Conflict("该职工已不在转出单位，转移无法完成", code="transfer.stale")
    periods, fen = _balance_at(tx, employee["id"], transfer["from_employer_id"])
    (out_p, out_f), (in_p, in_f) = rules.ledger_entries(fen, periods)
    if periods or fen:
        book(tx, employee["id"], transfer["from_employer_id"],
             Entry(employee_rules.INTERNAL_TRANSFER, out_p, out_f, note=f"转出至{receiver['name']}"),
             ref_type="transfer", ref_id=transfer["id"])
        book(tx, employee["id"], receiver["id"],
             Entry(employee_rules.INTERNAL_TRANSFER, in_p, in_f, note="转入（余额随职工转移）"),
             ref_type="transfer", ref_id=transfer["id"])
    tx.session.execute(update(employees).where(employees.c.id == employee["id"]).values(
        employer_id=receiver["id"], region=receiver["region"], updated_at=tx.now))
    text = (str(opinion).strip()[:500] or None) if opinion else None
    tx.session.execute(update(transfers).where(transfers.c.id == transfer["id"]).values(
        status=status, opinion=text, decided_by=tx.principal.account_id, decided_at=tx.now, balance_fen=fen,
        periods=periods))
    after = {"employer_id": receiver["id"], "balance_fen": fen, "periods": periods}
    _history(tx, employee, transfer["from_employer_id"], employee["region"], "transfer_out", after, transfer)
    _history(tx, employee, receiver["id"], receiver["region"], "transfer_in", after, transfer)
    moved = {**employee, "employer_id": receiver["id"], "region": receiver["region"]}
    emit_employee(tx, "employee.transferred", moved, {
        "transfer_id": transfer["id"], "from_employer_id": transfer["from_employer_id"],
        "to_employer_id": receiver["id"], "balance_fen": fen, "name": employee["name"]})
    tx.audit("transfer.accept", "transfer", transfer["id"], after=after, region=receiver["region"])
    return get_transfer(tx, transfer["id"])


def reject_transfer(tx, transfer_id: Any, opinion: Any) -> dict:
    """退回: the employee stays with the sender; nothing is booked."""
    text = str(opinion or "").strip()
    if not text:
        raise InvalidInput.field("opinion", "opinion.required", "请填写退回原因")
    transfer = _load_incoming(tx, transfer_id)
    status = rules.TRANSFER.next(transfer["status"], "reject")
    tx.session.execute(update(transfers).where(transfers.c.id == transfer["id"]).values(
        status=status, opinion=text[:500], decided_by=tx.principal.account_id, decided_at=tx.now))
    employee = tx.session.execute(select(employees).where(employees.c.id == transfer["employee_id"])).mappings().one()
    emit_employee(tx, "employee.transfer_rejected", employee, {"transfer_id": transfer["id"], "opinion": text[:500],
                                                               "to_employer_id": transfer["to_employer_id"]})
    tx.audit("transfer.reject", "transfer", transfer["id"], after={"opinion": text}, region=employee["region"])
    return get_transfer(tx, transfer["id"])
