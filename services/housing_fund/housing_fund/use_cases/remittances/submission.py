"""汇缴/补缴 by an employer: the roster to remit for, a new remittance and a returned one submitted again."""
from __future__ import annotations

import uuid
from typing import Any

from housing_fund.adapters.repository import EmployeeRepository, LedgerRepository, RemittanceRepository
from housing_fund.domain import remittances as rules
from housing_fund.domain.employees import check_month
from housing_fund.use_cases.records import check_id, own_employer
from housing_fund.use_cases.remittances.common import check_transition, current_month, emit, get, load
from shared.errors import Conflict, InvalidInput, NotFound
from shared.service import Tx


def _history(tx: Tx, employer_id: str, employee_ids: list[str]) -> set[str]:
    """Employees that have a remittance (汇缴/补缴 entry) at this employer."""
    return tx.repository(LedgerRepository).remitted(employer_id, employee_ids)


def _defaults(tx: Tx, employer_id: str, month: str) -> dict[str, tuple[int, bool]]:
    """employee -> (amount, overridden): 指定汇缴 from an earlier or the same month wins."""
    overrides = tx.repository(RemittanceRepository).overrides(employer_id, month)
    return {employee_id: (amount, True) for employee_id, amount in overrides.items()}


def roster(tx: Tx, month: Any, mode: Any = "remit") -> dict:
    """The employer's active employees (正常) for ``month`` with the amount to remit (指定汇缴 copied
    forward), whether a person is already in an unfinished remittance, and the default total."""
    employer = own_employer(tx)
    month = check_month(month, "month", "汇缴月份")
    rows = tx.repository(EmployeeRepository).active_of(employer["id"])
    overrides = _defaults(tx, employer["id"], month)
    held = set(tx.repository(RemittanceRepository).held([r["id"] for r in rows]))
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
    tx.repository(RemittanceRepository).add(record)
    _book_round(tx, employer, record, prepared)
    tx.audit("remittance.submit", "remittance", remittance_id, after={k: v for k, v in record.items()
                                                                      if k != "submitted_at"},
             region=employer["region"])
    emit(tx, "remittance.submitted", {**record, "employer_name": employer["name"]})
    return get(tx, remittance_id)


def resubmit(tx: Tx, remittance_id: Any, data: Any) -> dict:
    """A returned remittance corrected (month, mode, people, amounts: the same form as a new one) and
    submitted again: round + 1, every earlier round kept with its lines and the bureau's opinion."""
    row = load(tx, remittance_id, lock=True)
    check_transition(row, "resubmit")
    employer, prepared = _prepare(tx, data)
    record = {**prepared["record"], "status": rules.PENDING, "round": row["round"] + 1,
              "submitted_by": tx.principal.account_id, "submitted_at": tx.now, "opinion": None, "decided_by": None,
              "decided_at": None}
    tx.repository(RemittanceRepository).update(row["id"], record)
    record = {**record, "id": row["id"], "employer_id": row["employer_id"], "region": row["region"]}
    _book_round(tx, employer, record, prepared)
    tx.audit("remittance.resubmit", "remittance", row["id"],
             before={"status": row["status"], "round": row["round"], "total_fen": int(row["total_fen"])},
             after={"status": rules.PENDING, "round": record["round"], "total_fen": record["total_fen"]},
             region=row["region"])
    emit(tx, "remittance.resubmitted", {**record, "employer_name": employer["name"]}, round=record["round"])
    return get(tx, row["id"])


def _prepare(tx: Tx, data: Any) -> tuple[Any, dict]:
    """The calling employer (locked) and the checked remittance it asks for: ``record`` (mode, months,
    totals), ``rows`` (employee, month, amount, overridden), ``ids`` (its employees)."""
    if not isinstance(data, dict):
        raise InvalidInput("请填写汇缴申请", code="remittance.data_required")
    mode, kind = rules.check_mode(data.get("mode"), data.get("back_pay_kind"))
    employer = own_employer(tx, lock=True)
    rules.check_employer_may_remit(employer["status"], employer["name"])
    open_one = tx.repository(RemittanceRepository).unfinished_of(employer["id"])
    if open_one:
        raise Conflict("本单位有未完成的汇缴申请（待审核或待缴款），完成后才能新增",
                       code="remittance.unfinished_exists", details={"remittance_id": open_one})
    months, lines = _lines_of(data, mode, kind, current_month(tx))
    ids = sorted({line["employee_id"] for line in lines})
    people = tx.repository(EmployeeRepository).locked(ids)
    for employee_id in ids:
        person = people.get(employee_id)
        if person is None or person["employer_id"] != employer["id"]:
            raise NotFound("职工不存在或不属于本单位", code="employee.not_found", details={"employee_id": employee_id})
        if person["status"] != "01":
            raise Conflict(f"职工{person['name']}不是正常状态，不能汇缴", code="remittance.employee_not_active",
                           details={"employee_id": employee_id})
    held = tx.repository(RemittanceRepository).held(ids)
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
    paid = tx.repository(LedgerRepository).first_paid(ids, months)
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
    found = tx.repository(RemittanceRepository)
    if record["round"] > 1:
        found.replace_lines(remittance_id, rows)
    else:
        found.add_lines(remittance_id, rows)
    found.hold(remittance_id, prepared["ids"])
    found.add_round(dict(
        remittance_id=remittance_id, round=record["round"], mode=record["mode"],
        back_pay_kind=record["back_pay_kind"], month_from=record["month_from"], month_to=record["month_to"],
        total_fen=record["total_fen"], employee_count=record["employee_count"], lines=rows,
        submitted_by=record["submitted_by"], submitted_at=record["submitted_at"]))
    if record["mode"] == rules.REMIT:
        # 指定汇缴: the amount entered this month is copied to every later month
        for r in rows:
            if r["overridden"]:
                found.keep_override(employer["id"], r["employee_id"], r["amount_fen"], r["month"], tx.now)
