"""汇缴申请: the roster to remit for, submitting a remittance or back-payment, the bureau's approval
or return, and the monthly reminder to employers that have not remitted."""
from __future__ import annotations

import uuid
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, delete, exists, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from housing_fund.adapters.orm import (
    employees,
    employers,
    ledger,
    remit_overrides,
    remittance_holds,
    remittance_lines,
    remittance_reminders,
    remittance_rounds,
    remittances,
)
from housing_fund.domain import remittances as rules
from housing_fund.domain.employees import check_month, month_of
from housing_fund.use_cases.records import check_id, iso, own_employer
from shared.auth.roles import Role
from shared.db.engine import affected_rows
from shared.errors import Conflict, IllegalTransition, InvalidInput, NotFound
from shared.jurisdiction import area_of
from shared.pagination import like_pattern, paginate
from shared.service import Tx
from shared.workflow import Workflow

SHANGHAI = ZoneInfo("Asia/Shanghai")
FLOW = Workflow("remittance", {(rules.PENDING, "approve"): rules.APPROVED, (rules.PENDING, "return"): rules.RETURNED,
                               (rules.APPROVED, "pay"): rules.PAID, (rules.RETURNED, "resubmit"): rules.PENDING})
NOT_FOUND = ("汇缴申请不存在或不在您的管辖范围内", "remittance.not_found")


def current_month(tx: Tx) -> str:
    return month_of(tx.now.astimezone(SHANGHAI).date())


def _history(tx: Tx, employer_id: str, employee_ids: list[str]) -> set[str]:
    """Employees that have a remittance (汇缴/补缴 entry) at this employer."""
    if not employee_ids:
        return set()
    return set(tx.session.execute(select(ledger.c.employee_id).where(
        ledger.c.employer_id == employer_id, ledger.c.employee_id.in_(employee_ids),
        ledger.c.business_code.in_(("01", "02"))).distinct()).scalars())


def _defaults(tx: Tx, employer_id: str, month: str) -> dict[str, tuple[int, bool]]:
    """employee -> (amount, overridden): 指定汇缴 from an earlier or the same month wins."""
    rows = tx.session.execute(select(remit_overrides).where(remit_overrides.c.employer_id == employer_id,
                                                            remit_overrides.c.from_month <= month)).mappings()
    return {r["employee_id"]: (int(r["amount_fen"]), True) for r in rows}


def roster(tx: Tx, month: Any, mode: Any = "remit") -> dict:
    """The employer's active employees (正常) for ``month`` with the amount to remit (指定汇缴 copied
    forward), whether a person is already in an unfinished remittance, and the default total."""
    employer = own_employer(tx)
    month = check_month(month, "month", "汇缴月份")
    rows = tx.session.execute(select(employees).where(employees.c.employer_id == employer["id"],
                                                      employees.c.status == "01")
                              .order_by(employees.c.name, employees.c.id)).mappings().all()
    overrides = _defaults(tx, employer["id"], month)
    held = set(tx.session.execute(select(remittance_holds.c.employee_id).where(
        remittance_holds.c.employee_id.in_([r["id"] for r in rows]))).scalars())
    history = _history(tx, employer["id"], [r["id"] for r in rows])
    items = []
    for r in rows:
        amount, overridden = overrides.get(r["id"], (int(r["monthly_fen"]), False))
        items.append({"employee_id": r["id"], "name": r["name"], "id_number": r["id_number"], "level": r["level"],
                      "monthly_fen": int(r["monthly_fen"]), "amount_fen": amount, "overridden": overridden,
                      "start_month": r["start_month"], "held": r["id"] in held,
                      "has_history": r["id"] in history})
    return {"month": month, "mode": mode, "items": items, "total": len(items),
            "total_fen": rules.total_fen([i["amount_fen"] for i in items if not i["held"]])}


def _lines_of(data: dict, mode: str, kind: str | None, now_month: str) -> tuple[list[str], list[dict]]:
    """(months, lines) from the request; each line {employee_id, month, amount?, override}."""
    raw = data.get("lines")
    if not isinstance(raw, list) or not raw:
        raise InvalidInput.field("lines", "remittance.lines_required", "请勾选要汇缴的职工")
    if len(raw) > 20_000:
        raise InvalidInput.field("lines", "remittance.too_many_lines", "一次最多提交20000条")
    if mode == rules.REMIT or kind == rules.LUMP_SUM:
        month = check_month(data.get("month") or data.get("month_from"), "month", "汇缴月份")
        if month > now_month:
            raise InvalidInput.field("month", "remittance.future_month", "汇缴月份不能晚于当前月份")
        months = [month]
    else:
        first = check_month(data.get("month_from"), "month_from", "补缴开始月份")
        last = check_month(data.get("month_to"), "month_to", "补缴结束月份")
        months = rules.months_between(first, last)
        rules.check_back_pay_months(months, now_month)
    lines = []
    for i, line in enumerate(raw):
        if not isinstance(line, dict):
            raise InvalidInput.field("lines", "remittance.line_invalid", f"第{i + 1}条汇缴明细格式不正确")
        lines.append({"employee_id": check_id(line.get("employee_id"), "employee_id"), "month": line.get("month"),
                      "amount": _amount_of(line), "override": bool(line.get("override"))})
    if len(months) == 1:
        lines = [{**line, "month": months[0]} for line in lines]
    elif data.get("apply_first_page"):
        # 全部应用第一页信息: the first month's people and amounts to every month
        first_page = [line for line in lines if line["month"] in (None, months[0])]
        lines = [{**line, "month": m} for m, page in rules.apply_first_page(months, first_page).items()
                 for line in page]
    else:
        for line in lines:
            if line["month"] not in months:
                raise InvalidInput.field("lines", "remittance.line_month", "每条补缴明细的月份应在补缴起止月份之内")
    seen = set()
    for line in lines:
        key = (line["employee_id"], line["month"])
        if key in seen:
            raise InvalidInput.field("lines", "remittance.duplicate_line", "同一职工同一月份重复")
        seen.add(key)
    return months, lines


def _amount_of(line: dict) -> Any:
    """``amount_fen`` (fen) when given, else ``amount`` (yuan text, rounded per line)."""
    return line["amount_fen"] if line.get("amount_fen") is not None else line.get("amount")


def submit(tx: Tx, data: Any) -> dict:
    """A new 汇缴 or 补缴 of the calling employer (see the module rules); its employees are held until
    it is paid or returned."""
    employer, prepared = _prepare(tx, data)
    remittance_id = str(uuid.uuid4())
    record = {"id": remittance_id, "employer_id": employer["id"], "region": employer["region"], **prepared["record"],
              "status": rules.PENDING, "round": 1, "submitted_by": tx.principal.account_id, "submitted_at": tx.now}
    tx.session.execute(insert(remittances).values(**record))
    _book_round(tx, employer, record, prepared)
    tx.audit("remittance.submit", "remittance", remittance_id, after={k: v for k, v in record.items()
                                                                      if k != "submitted_at"},
             region=employer["region"])
    _emit(tx, "remittance.submitted", {**record, "employer_name": employer["name"]})
    return get(tx, remittance_id)


def resubmit(tx: Tx, remittance_id: Any, data: Any) -> dict:
    """A returned remittance corrected (month, mode, people, amounts: the same form as a new one) and
    submitted again: round + 1, every earlier round kept with its lines and the bureau's opinion."""
    row = load(tx, remittance_id, lock=True)
    _transition(row, "resubmit")
    employer, prepared = _prepare(tx, data)
    record = {**prepared["record"], "status": rules.PENDING, "round": row["round"] + 1,
              "submitted_by": tx.principal.account_id, "submitted_at": tx.now, "opinion": None, "decided_by": None,
              "decided_at": None}
    tx.session.execute(delete(remittance_lines).where(remittance_lines.c.remittance_id == row["id"]))
    tx.session.execute(update(remittances).where(remittances.c.id == row["id"]).values(**record))
    record = {**record, "id": row["id"], "employer_id": row["employer_id"], "region": row["region"]}
    _book_round(tx, employer, record, prepared)
    tx.audit("remittance.resubmit", "remittance", row["id"],
             before={"status": row["status"], "round": row["round"], "total_fen": int(row["total_fen"])},
             after={"status": rules.PENDING, "round": record["round"], "total_fen": record["total_fen"]},
             region=row["region"])
    _emit(tx, "remittance.resubmitted", {**record, "employer_name": employer["name"]}, round=record["round"])
    return get(tx, row["id"])


def _prepare(tx: Tx, data: Any) -> tuple[Any, dict]:
    """The calling employer (locked) and the checked remittance it asks for: ``record`` (mode, months,
    totals), ``rows`` (employee, month, amount, overridden), ``ids`` (its employees)."""
    if not isinstance(data, dict):
        raise InvalidInput("请填写汇缴申请", code="remittance.data_required")
    mode, kind = rules.check_mode(data.get("mode"), data.get("back_pay_kind"))
    employer = own_employer(tx, lock=True)
    rules.check_employer_may_remit(employer["status"], employer["name"])
    open_one = tx.session.execute(select(remittances.c.id).where(
        remittances.c.employer_id == employer["id"], remittances.c.status.in_(rules.UNFINISHED))).scalar()
    if open_one:
        raise Conflict("本单位有未完成的汇缴申请（待审核或待缴款），完成后才能新增",
                       code="remittance.unfinished_exists", details={"remittance_id": open_one})
    months, lines = _lines_of(data, mode, kind, current_month(tx))
    ids = sorted({line["employee_id"] for line in lines})
    people = {r["id"]: r for r in tx.session.execute(select(employees).where(employees.c.id.in_(ids))
                                                     .order_by(employees.c.id).with_for_update()).mappings()}
    for employee_id in ids:
        person = people.get(employee_id)
        if person is None or person["employer_id"] != employer["id"]:
            raise NotFound("职工不存在或不属于本单位", code="employee.not_found", details={"employee_id": employee_id})
        if person["status"] != "01":
            raise Conflict(f"职工{person['name']}不是正常状态，不能汇缴", code="remittance.employee_not_active",
                           details={"employee_id": employee_id})
    held = tx.session.execute(select(remittance_holds.c.employee_id).where(
        remittance_holds.c.employee_id.in_(ids))).scalars().all()
    if held:
        raise Conflict(f"职工{people[held[0]]['name']}已在另一笔未完成的汇缴申请中", code="remittance.employee_held",
                       details={"employee_ids": sorted(held)})
    if mode == rules.BACK_PAY:
        history = _history(tx, employer["id"], ids)
        by_person: dict[str, list[str]] = {}
        for line in lines:
            by_person.setdefault(line["employee_id"], []).append(line["month"])
        for employee_id, person_months in by_person.items():
            rules.check_new_employee_months(dict(people[employee_id]), person_months, employee_id in history)
    paid = tx.session.execute(select(ledger.c.employee_id, ledger.c.month).where(
        ledger.c.employee_id.in_(ids), ledger.c.month.in_(months),
        ledger.c.business_code.in_(("01", "02")), ledger.c.amount_fen > 0)).first()
    if paid:
        raise Conflict(f"职工{people[paid[0]]['name']}{paid[1]}月已缴存，不能重复汇缴",
                       code="remittance.month_already_paid", details={"employee_id": paid[0], "month": paid[1]})
    defaults = _defaults(tx, employer["id"], months[0])
    rows = []
    for line in lines:
        default = defaults.get(line["employee_id"], (int(people[line["employee_id"]]["monthly_fen"]), False))[0]
        if line["amount"] in (None, ""):
            if kind == rules.LUMP_SUM:
                raise InvalidInput.field("lines", "remittance.lump_sum_amount", "一次性补缴请填写补缴总金额")
            amount = default
        else:
            amount = rules.line_fen(line["amount"], "amount_fen")
        rows.append({"employee_id": line["employee_id"], "month": line["month"], "amount_fen": amount,
                     "overridden": line["override"] or (kind != rules.LUMP_SUM and amount != default)})
    record = {"mode": mode, "back_pay_kind": kind, "month_from": months[0], "month_to": months[-1],
              "total_fen": rules.total_fen([r["amount_fen"] for r in rows]), "employee_count": len(ids),
              "line_count": len(rows)}
    return employer, {"record": record, "rows": rows, "ids": ids}


def _book_round(tx: Tx, employer: Any, record: dict, prepared: dict) -> None:
    """The lines, holds, 指定汇缴 overrides and the round row of a (re)submitted remittance."""
    remittance_id, rows = record["id"], prepared["rows"]
    tx.session.execute(insert(remittance_lines), [{**r, "remittance_id": remittance_id} for r in rows])
    tx.session.execute(insert(remittance_holds), [{"employee_id": i, "remittance_id": remittance_id}
                                                  for i in prepared["ids"]])
    tx.session.execute(insert(remittance_rounds).values(
        remittance_id=remittance_id, round=record["round"], mode=record["mode"],
        back_pay_kind=record["back_pay_kind"], month_from=record["month_from"], month_to=record["month_to"],
        total_fen=record["total_fen"], employee_count=record["employee_count"], lines=rows,
        submitted_by=record["submitted_by"], submitted_at=record["submitted_at"]))
    if record["mode"] == rules.REMIT:
        # 指定汇缴: the amount entered this month is copied to every later month
        for r in rows:
            if r["overridden"]:
                stmt = pg_insert(remit_overrides).values(employer_id=employer["id"], employee_id=r["employee_id"],
                                                         amount_fen=r["amount_fen"], from_month=r["month"],
                                                         updated_at=tx.now)
                tx.session.execute(stmt.on_conflict_do_update(
                    index_elements=["employer_id", "employee_id"],
                    set_={"amount_fen": stmt.excluded.amount_fen, "from_month": stmt.excluded.from_month,
                          "updated_at": tx.now}))


def _decide_round(tx: Tx, row: Any, decision: str, opinion: str | None) -> None:
    tx.session.execute(update(remittance_rounds).where(
        remittance_rounds.c.remittance_id == row["id"], remittance_rounds.c.round == row["round"]).values(
        decision=decision, opinion=opinion, decided_by=tx.principal.account_id, decided_at=tx.now))


def rounds_of(tx: Tx, remittance_id: str) -> list[dict]:
    """Every round, oldest first: what was submitted (months, total, lines) and the bureau's decision."""
    rows = tx.session.execute(select(remittance_rounds).where(remittance_rounds.c.remittance_id == remittance_id)
                              .order_by(remittance_rounds.c.round)).mappings().all()
    return [{"round": r["round"], "mode": r["mode"], "mode_label": rules.MODES[r["mode"]],
             "months": r["month_from"] if r["month_from"] == r["month_to"] else f"{r['month_from']}-{r['month_to']}",
             "total_fen": int(r["total_fen"]), "employee_count": r["employee_count"], "line_count": len(r["lines"]),
             "submitted_at": iso(r["submitted_at"]), "decision": r["decision"],
             "decision_label": {"approved": "审核通过", "returned": "退回修改"}.get(r["decision"] or "", "待审核"),
             "opinion": r["opinion"], "decided_at": iso(r["decided_at"])} for r in rows]


def _emit(tx: Tx, event_type: str, r: dict, **extra) -> None:
    data = {"remittance_id": r["id"], "employer_id": r["employer_id"], "region": r["region"],
            "amount_fen": int(r["total_fen"]), "status": r["status"], "mode": r["mode"],
            "back_pay_kind": r.get("back_pay_kind"), "month_from": r["month_from"], "month_to": r["month_to"],
            "employee_count": int(r["employee_count"]), **extra}
    if r.get("employer_name"):
        data["employer_name"] = r["employer_name"]
    tx.emit(event_type, subject=r["id"], region=r["region"], data=data)


def load(tx: Tx, remittance_id: Any, *, lock: bool = False) -> Any:
    stmt = select(remittances).where(remittances.c.id == check_id(remittance_id, "remittance_id"))
    row = tx.session.execute(stmt.with_for_update() if lock else stmt).mappings().first()
    p = tx.principal
    visible = row is not None and ((p.role == Role.HOUSING_BUREAU and p.sees_region(row["region"]))
                                   or (p.role == Role.EMPLOYER and row["employer_id"] == p.unit_id))
    if not visible:
        raise NotFound(NOT_FOUND[0], code=NOT_FOUND[1])
    return row


def view(row: Any, employer_name: str | None = None) -> dict:
    return {"id": row["id"], "employer_id": row["employer_id"], "employer_name": employer_name,
            "region": row["region"], "mode": row["mode"], "mode_label": rules.MODES[row["mode"]],
            "back_pay_kind": row["back_pay_kind"],
            "back_pay_kind_label": rules.BACK_PAY_KINDS.get(row["back_pay_kind"] or "", None),
            "month_from": row["month_from"], "month_to": row["month_to"],
            "months": row["month_from"] if row["month_from"] == row["month_to"]
            else f"{row['month_from']}-{row['month_to']}",
            "status": row["status"], "status_label": rules.STATUSES[row["status"]],
            "total_fen": int(row["total_fen"]), "employee_count": row["employee_count"],
            "line_count": row["line_count"], "submitted_at": iso(row["submitted_at"]), "opinion": row["opinion"],
            "decided_at": iso(row["decided_at"]), "payment_code": row["payment_code"],
            "trade_code": row["trade_code"], "memo": row["memo"], "receiving_account": row["receiving_account"],
            "paid_at": iso(row["paid_at"]), "round": row["round"]}


def _employer_name(tx: Tx, employer_id: str) -> str | None:
    return tx.session.execute(select(employers.c.name).where(employers.c.id == employer_id)).scalar()


def get(tx: Tx, remittance_id: Any) -> dict:
    """A remittance with its lines (employee, month, amount)."""
    row = load(tx, remittance_id)
    lines = tx.session.execute(
        select(remittance_lines, employees.c.name, employees.c.id_number)
        .join(employees, employees.c.id == remittance_lines.c.employee_id)
        .where(remittance_lines.c.remittance_id == row["id"])
        .order_by(remittance_lines.c.month, employees.c.name, remittance_lines.c.seq)).mappings().all()
    masked = tx.principal.role != Role.EMPLOYER
    from shared.validators import mask_id

    return {**view(row, _employer_name(tx, row["employer_id"])),
            "lines": [{"employee_id": r["employee_id"], "name": r["name"],
                       "id_number": mask_id(r["id_number"]) if masked else r["id_number"], "month": r["month"],
                       "amount_fen": int(r["amount_fen"]), "overridden": r["overridden"]} for r in lines],
            "rounds": rounds_of(tx, row["id"])}


def list_(tx: Tx, filters: dict, page: Any, page_size: Any, *, notices: bool = False) -> dict:
    """Remittances of the employer (own) or the bureau's area; filters status, mode, month, q (employer)."""
    p = tx.principal
    stmt = select(remittances, employers.c.name.label("employer_name")).join(
        employers, employers.c.id == remittances.c.employer_id)
    if p.role == Role.EMPLOYER:
        stmt = stmt.where(remittances.c.employer_id == (p.unit_id or ""))
    else:
        stmt = stmt.where(remittances.c.region.in_(area_of(p)))
    status = filters.get("status")
    if status:
        if status not in rules.STATUSES:
            raise InvalidInput.field("status", "filter.status_unknown", "状态应为：" + "、".join(rules.STATUSES))
        stmt = stmt.where(remittances.c.status == status)
    elif notices:
        stmt = stmt.where(remittances.c.status.in_((rules.APPROVED, rules.PAID)))
    if filters.get("mode"):
        stmt = stmt.where(remittances.c.mode == str(filters["mode"]))
    if filters.get("month"):
        month = check_month(filters["month"], "month")
        stmt = stmt.where(remittances.c.month_from <= month, remittances.c.month_to >= month)
    if filters.get("q"):
        pattern = like_pattern(str(filters["q"]))
        stmt = stmt.where(or_(employers.c.name.ilike(pattern), remittances.c.payment_code.ilike(pattern),
                              employers.c.trade_code.ilike(pattern)))
    stmt = stmt.order_by(remittances.c.submitted_at.desc(), remittances.c.id)
    return paginate(tx.session, stmt, page, page_size, lambda r: view(r._mapping, r.employer_name))


def approve(tx: Tx, remittance_id: Any, opinion: Any = None) -> dict:
    """The bureau approves: the remittance becomes a payment notice awaiting payment."""
    from housing_fund.use_cases import payment_notices

    row = load(tx, remittance_id, lock=True)
    _transition(row, "approve")
    notice = payment_notices.issue(tx, row)
    values = {"status": rules.APPROVED, "opinion": _opinion(opinion), "decided_by": tx.principal.account_id,
              "decided_at": tx.now, **notice}
    tx.session.execute(update(remittances).where(remittances.c.id == row["id"]).values(**values))
    _decide_round(tx, row, "approved", values["opinion"])
    tx.audit("remittance.approve", "remittance", row["id"], before={"status": row["status"]},
             after={"status": rules.APPROVED, "payment_code": notice["payment_code"]}, region=row["region"])
    _emit(tx, "remittance.approved", {**row, **values}, payment_code=notice["payment_code"],
          memo=notice["memo"], trade_code=notice["trade_code"], opinion=values["opinion"])
    return get(tx, row["id"])


def return_(tx: Tx, remittance_id: Any, opinion: Any) -> dict:
    """The bureau returns with an opinion; the employees are free for a corrected remittance."""
    row = load(tx, remittance_id, lock=True)
    _transition(row, "return")
    text = _opinion(opinion)
    if not text:
        raise InvalidInput.field("opinion", "opinion.required", "退回时请填写审核意见")
    tx.session.execute(update(remittances).where(remittances.c.id == row["id"]).values(
        status=rules.RETURNED, opinion=text, decided_by=tx.principal.account_id, decided_at=tx.now))
    tx.session.execute(delete(remittance_holds).where(remittance_holds.c.remittance_id == row["id"]))
    _decide_round(tx, row, "returned", text)
    tx.audit("remittance.return", "remittance", row["id"], before={"status": row["status"]},
             after={"status": rules.RETURNED, "opinion": text}, region=row["region"])
    _emit(tx, "remittance.returned", {**row, "status": rules.RETURNED}, opinion=text)
    return get(tx, row["id"])


def _transition(row: Any, action: str) -> None:
    if not FLOW.allows(row["status"], action):
        raise IllegalTransition(f"汇缴申请当前状态为“{rules.STATUSES[row['status']]}”，不能办理此操作",
                                code="remittance.illegal_transition", details={"status": row["status"]})


def _opinion(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 500:
        raise InvalidInput.field("opinion", "opinion.invalid", "审核意见不能超过500字")
    return value.strip() or None


def send_reminders(tx: Tx, month: str | None = None) -> int:
    """The monthly reminder: every active employer with no remittance (not returned) for ``month``
    (default: the current month) gets one reminder row and one ``remittance.reminder_due`` event;
    running it again in the same month sends nothing twice. Returns how many were sent."""
    month = month or current_month(tx)
    remitted = exists().where(remittances.c.employer_id == employers.c.id, remittances.c.mode == rules.REMIT,
                              remittances.c.month_from == month, remittances.c.status != rules.RETURNED)
    already = exists().where(remittance_reminders.c.employer_id == employers.c.id,
                             remittance_reminders.c.month == month)
    due = tx.session.execute(select(employers).where(
        employers.c.status.in_(("01", "03")), employers.c.review_status == "approved", ~remitted, ~already)
        .order_by(employers.c.id)).mappings().all()
    sent = 0
    for e in due:
        inserted = affected_rows(tx.session.execute(pg_insert(remittance_reminders).values(
            employer_id=e["id"], month=month, region=e["region"], at=tx.now).on_conflict_do_nothing()))
        if inserted:
            sent += 1
            tx.emit("remittance.reminder_due", subject=e["id"], region=e["region"],
                    data={"employer_id": e["id"], "region": e["region"], "month": month, "employer_name": e["name"],
                          "org_code": e["org_code"], "mobile": e["contact_mobile"]})
    return sent


def todos(tx: Tx) -> list[dict]:
    p = tx.principal
    out = []
    if p.role == Role.HOUSING_BUREAU:
        pending = tx.session.execute(select(func.count()).select_from(remittances).where(
            remittances.c.region.in_(area_of(p)), remittances.c.status == rules.PENDING)).scalar_one()
        if pending:
            out.append({"key": "remittances.pending_review", "count": int(pending),
                        "label": f"您有【{pending}】个汇缴申请待审核", "href": "/portal/remittances?status=pending"})
    elif p.role == Role.EMPLOYER and p.unit_id:
        month = current_month(tx)
        reminded = tx.session.execute(select(func.count()).select_from(remittance_reminders).where(
            and_(remittance_reminders.c.employer_id == p.unit_id, remittance_reminders.c.month == month),
            ~exists().where(remittances.c.employer_id == p.unit_id, remittances.c.month_from == month,
                            remittances.c.status != rules.RETURNED))).scalar_one()
        if reminded:
            out.append({"key": "remittances.reminder", "count": 1, "label": f"您有【1】个月（{month}）尚未汇缴",
                        "href": "/portal/housing/remit"})
        awaiting = tx.session.execute(select(func.count()).select_from(remittances).where(
            remittances.c.employer_id == p.unit_id, remittances.c.status == rules.APPROVED)).scalar_one()
        if awaiting:
            out.append({"key": "payment_notices.awaiting", "count": int(awaiting),
                        "label": f"您有【{awaiting}】个缴费通知待缴款", "href": "/portal/payment-notices"})
    return out
