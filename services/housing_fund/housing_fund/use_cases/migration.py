"""迁移导入: employers that remitted before the platform existed skip registration. The housing
bureau imports them from one .xlsx (sheet 单位: employers; sheet 职工: their rosters with accumulated
periods and amounts). All rows are checked first; a file with any error imports nothing. Safe to
re-run: the same file again changes nothing, and an employer or employee already migrated is left
as it is. Each migrated employer gets its login through ``employer.migrated`` (identity)."""
from __future__ import annotations

import base64
import uuid
from typing import Any

from housing_fund.adapters.repository import EmployerRepository, ImportRunRepository
from housing_fund.adapters.xlsx import read_sheet, template
from housing_fund.domain.employers import EMPLOYER_STATUSES, NORMAL, check_fields, check_trade_code, org_code_of
from housing_fund.domain.imports import (
    EMPLOYEE_EXAMPLE,
    MIGRATION_EMPLOYEE_COLUMNS,
    MIGRATION_EMPLOYER_COLUMNS,
    employee_record,
    refuse,
    row_error,
    text_of,
)
from housing_fund.use_cases.employees import add_employees, holders_of
from housing_fund.use_cases.imports import checked_rows, previous_run, stored_file
from housing_fund.use_cases.levels import level_table
from housing_fund.use_cases.records import employer_view
from housing_fund.use_cases.registration import PROFILE_KEYS, next_trade_code
from shared.errors import InvalidInput
from shared.service import Tx

EMPLOYERS, EMPLOYEES = "单位", "职工"
EMPLOYER_EXAMPLE = ["91440703MA5X12349J", "江门市蓬江区示范科技有限公司", "440703", "江门市蓬江区建设路1号", "王建国",
                    "李经办", "13800000001", "中国工商银行江门分行", "江门市蓬江区示范科技有限公司", "6222020000001234",
                    "75256", "01"]


def migration_template(tx: Tx) -> dict:
    content = template([(EMPLOYERS, MIGRATION_EMPLOYER_COLUMNS, [EMPLOYER_EXAMPLE]),
                        (EMPLOYEES, MIGRATION_EMPLOYEE_COLUMNS, [["91440703MA5X12349J", *EMPLOYEE_EXAMPLE]])])
    return {"filename": "单位迁移导入模版.xlsx", "content_b64": base64.b64encode(content).decode()}


def _employer_row(tx: Tx, cells: dict) -> dict:
    data = {k: text_of(v, k, k) if k in ("uscc", "region", "contact_mobile", "bank_account_no", "trade_code",
                                          "status") else v for k, v in cells.items()}
    fields = check_fields(data, tuple(k for k in data if k not in ("trade_code", "status")))
    if not tx.principal.sees_region(fields["region"]):
        raise InvalidInput.field("region", "employer.region_outside", "所属县区不在本住建局辖区内")
    fields["trade_code"] = check_trade_code(data["trade_code"]) if data.get("trade_code") else None
    status = data.get("status") or NORMAL
    if status not in EMPLOYER_STATUSES or status == "02":
        raise InvalidInput.field("status", "employer.status_unknown", "单位状态应为01、03、04或05")
    fields["status"] = status
    return fields


def migrate(tx: Tx, filename: Any, file_id: Any) -> dict:
    """Import employers with rosters and accumulated periods and amounts; all or nothing. The file is
    read from the attachment store by its id (the gateway stored the upload; no bytes on the broker)."""
    content, sha = stored_file(file_id)
    owner = tx.principal.region
    assert owner is not None  # a housing bureau's token carries its area
    previous = previous_run(tx, "migration", owner, sha)
    if previous is not None:
        return previous
    # 1. employers: check every row; existing ones (same USCC, migrated) are kept as they are
    errors: list[dict] = []
    failures = rows = 0
    new_employers: dict[str, dict] = {}
    known: dict[str, Any] = {}
    trade_codes: dict[str, int] = {}
    for number, cells in read_sheet(content, MIGRATION_EMPLOYER_COLUMNS, EMPLOYERS):
        rows += 1
        try:
            fields = _employer_row(tx, cells)
            if fields["uscc"] in new_employers or fields["uscc"] in known:
                raise InvalidInput.field("uscc", "employer.duplicate", "统一社会信用代码在文件中重复")
            existing = tx.repository(EmployerRepository).with_uscc(fields["uscc"])
            if existing is not None:
                if existing["source"] != "migrated" or not tx.principal.sees_region(existing["region"]):
                    raise InvalidInput.field("uscc", "employer.already_registered", "该单位已通过注册开户，无需迁移")
                known[fields["uscc"]] = existing
                continue
            code = fields["trade_code"]
            if code and (code in trade_codes or tx.repository(EmployerRepository).trade_code_taken(code)):
                raise InvalidInput.field("trade_code", "employer.trade_code_taken", f"单位交易代码{code}已被使用")
            if code:
                trade_codes[code] = number
            new_employers[fields["uscc"]] = {**fields, "_row": number}
        except InvalidInput as exc:
            failures += 1
            errors.append(row_error(number, exc, EMPLOYERS))
    # 2. employees: checked against their employer's level table; already migrated ones skipped
    seen: dict[str, int] = {}
    by_employer: dict[str, list[dict]] = {}
    employee_rows = 0
    for number, cells in read_sheet(content, MIGRATION_EMPLOYEE_COLUMNS, EMPLOYEES):
        employee_rows += 1
        uscc = text_of(cells.get("employer_uscc"), "employer_uscc", "单位统一社会信用代码") or ""  # "": no employer
        target = new_employers.get(uscc) or known.get(uscc)
        if target is None:
            failures += 1
            errors.append(row_error(number, InvalidInput.field("employer_uscc", "employer.not_in_file",
                                                               "单位统一社会信用代码不在“单位”工作表中"), EMPLOYEES))
            continue
        table = level_table(tx, target["region"])
        checked, row_errors, row_failures, _ = checked_rows(tx, _rows_of([(number, cells)]), table, EMPLOYEES, seen)
        errors += row_errors
        failures += row_failures
        for _, person in checked:
            by_employer.setdefault(uscc, []).append(person)
    holders = holders_of(tx, [p["id_number"] for ps in by_employer.values() for p in ps])
    skipped = 0
    for uscc, persons in by_employer.items():
        existing = known.get(uscc)
        keep = []
        for person in persons:
            holder = holders.get(person["id_number"])
            if holder is None:
                keep.append(person)
            elif existing is not None and holder == existing["id"]:
                skipped += 1  # migrated before: left as it is
            else:
                failures += 1
                errors.append(row_error(seen.get(person["id_number"], 0), InvalidInput.field(
                    "id_number", "employee.duplicate", f"证件号码{person['id_number']}的职工已在其他单位开户"),
                    EMPLOYEES))
        by_employer[uscc] = keep
    if failures:
        raise refuse(sorted(errors, key=lambda e: (e.get("sheet") != EMPLOYERS, e["row"])), failures,
                     rows + employee_rows)
    if rows == 0 and employee_rows == 0:
        raise InvalidInput("导入文件没有数据", code="import.empty")
    # 3. write: employers (with their logins through employer.migrated), then rosters
    created = []
    for fields in new_employers.values():
        created.append(_create_employer(tx, fields))
    targets = {e["uscc"]: e for e in created} | known
    employees_added = 0
    for uscc, persons in by_employer.items():
        if persons:
            employer = targets[uscc]
            employees_added += len(add_employees(tx, employer, persons, source="migrated", note="迁移导入累计缴存"))
            tx.emit("employee.imported", subject=employer["id"], region=employer["region"], data={
                "employer_id": employer["id"], "region": employer["region"], "count": len(persons)})
    import_id = str(uuid.uuid4())
    summary = {"employers_created": len(created), "employers_kept": len(known), "employees_imported": employees_added,
               "employees_kept": skipped, "rows": rows + employee_rows, "filename": str(filename or "")[:200],
               "employers": [{"id": e["id"], "name": e["name"], "org_code": e["org_code"],
                              "trade_code": e["trade_code"]} for e in created]}
    tx.repository(ImportRunRepository).add({
        "id": import_id, "kind": "migration", "owner": owner, "sha256": sha, "filename": summary["filename"],
        "rows": summary["rows"], "summary": summary, "by_account": tx.principal.account_id, "at": tx.now})
    tx.audit("employer.migrate", "import_run", import_id, region=owner,
             after={k: v for k, v in summary.items() if k != "employers"} | {"sha256": sha})
    return {**summary, "import_id": import_id, "repeated": False}


def _rows_of(pairs):
    for number, cells in pairs:
        try:
            yield number, employee_record(cells)
        except InvalidInput as exc:
            yield number, {"_error": exc}


def _create_employer(tx: Tx, fields: dict) -> Any:
    employer_id = str(uuid.uuid4())
    trade_code = fields["trade_code"] or next_trade_code(tx)
    found = tx.repository(EmployerRepository)
    found.add({"id": employer_id, "name": fields["name"], "uscc": fields["uscc"],
               "org_code": org_code_of(fields["uscc"]), "region": fields["region"], "status": fields["status"],
               "trade_code": trade_code, "source": "migrated", "review_status": "approved", "round": 1,
               "profile": {k: fields[k] for k in PROFILE_KEYS if k in fields},
               "contact_mobile": fields["contact_mobile"], "attachments": [], "approved_at": tx.now,
               "created_at": tx.now, "updated_at": tx.now})
    row = found.get(employer_id)
    tx.emit("employer.migrated", subject=employer_id, region=row["region"], data={
        "employer_id": employer_id, "name": row["name"], "org_code": row["org_code"], "region": row["region"],
        "uscc": row["uscc"], "trade_code": trade_code, "mobile": row["contact_mobile"], "status": row["status"],
        "contact_name": fields.get("contact_name"), "source": "migrated"})
    tx.audit("employer.migrated", "employer", employer_id, region=row["region"], after=employer_view(row))
    return row


def list_migrations(tx: Tx, page: Any = 1, page_size: Any = 20) -> dict:
    return tx.repository(ImportRunRepository).page("migration", tx.principal.region, page, page_size, lambda r: {
        "id": r["id"], "filename": r["filename"], "rows": r["rows"], "summary": r["summary"],
        "at": r["at"].isoformat()})
