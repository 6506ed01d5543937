"""职工批量导入: the employer downloads the template, fills it (red-star columns required; ID and
yyyyMM as text cells) and uploads it with its attachments. Every row is checked (ID check digit,
duplicates in the file and against the roster, level, amount); errors come back by row number and a
file with any error imports nothing. The same file twice imports once."""
from __future__ import annotations

import base64
import os
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from housing_fund.adapters.orm import import_runs
from housing_fund.adapters.xlsx import read_sheet, template
from housing_fund.domain.employers import check_can_receive
from housing_fund.domain.imports import EMPLOYEE_COLUMNS, EMPLOYEE_EXAMPLE, employee_record, refuse, row_error
from housing_fund.use_cases.attachments import link
from housing_fund.use_cases.employees import DUPLICATE, add_employees, check_rows, holders_of
from housing_fund.use_cases.levels import level_table
from housing_fund.use_cases.records import own_employer
from shared.attachments import AttachmentStore
from shared.errors import InvalidInput, NotFound

SHEET = "职工信息"


def employee_template(tx) -> dict:
    """The 批量导入模版 (.xlsx, base64) with the employer's level codes in the example."""
    content = template([(SHEET, EMPLOYEE_COLUMNS, [EMPLOYEE_EXAMPLE])])
    return {"filename": "职工批量导入模版.xlsx", "content_b64": base64.b64encode(content).decode()}


def previous_run(tx, kind: str, owner: str, sha: str) -> dict | None:
    row = tx.session.execute(select(import_runs).where(import_runs.c.kind == kind, import_runs.c.owner == owner,
                                                       import_runs.c.sha256 == sha)).mappings().first()
    if row is None:
        return None
    return {**row["summary"], "import_id": row["id"], "repeated": True}


def _rows(content: bytes, columns, sheet: str):
    for number, cells in read_sheet(content, columns, sheet):
        try:
            yield number, employee_record(cells)
        except InvalidInput as exc:
            yield number, {"_error": exc}


def checked_rows(tx, rows, table: dict, sheet: str, seen: dict) -> tuple[list, list, int, int]:
    """``check_rows`` with cell-level errors (a number in an ID column) reported at their rows."""
    cell_errors: list[dict] = []

    def good():
        for number, data in rows:
            if "_error" in data:
                cell_errors.append(row_error(number, data["_error"], sheet))
                continue
            yield number, data
    checked, errors, failures, count = check_rows(tx, good(), table, sheet=sheet, seen=seen)
    errors = sorted(cell_errors + errors, key=lambda e: e["row"])
    return checked, errors, failures + len(cell_errors), count + len(cell_errors)


def roster_errors(tx, checked: list[tuple[int, dict]], sheet: str | None = None) -> list[dict]:
    holders = holders_of(tx, [p["id_number"] for _, p in checked])
    return [row_error(n, InvalidInput.field("id_number", DUPLICATE, f"证件号码{p['id_number']}的职工已开户"), sheet)
            for n, p in checked if p["id_number"] in holders]


def stored_file(file_id: Any) -> tuple[Path, str]:
    """(path, sha256) of an upload in the attachment store, which the gateway wrote: the file's bytes
    never travel over RabbitMQ, only its content-addressed id (its SHA-256)."""
    if not isinstance(file_id, str) or not file_id.strip():
        raise InvalidInput.field("file_id", "import.file_required", "请先上传填写好的导入模版")
    path = AttachmentStore(attachment_root()).path_of(file_id.strip())  # 400 for a malformed id
    if not path.is_file():
        raise NotFound("导入文件不存在，请重新上传", code="attachment.not_found")
    return path, path.name


def attachment_root() -> Path:
    """``$PLATFORM_VAR_DIR/attachments``: the store every process of a deployment shares."""
    return Path(os.environ.get("PLATFORM_VAR_DIR", "var")) / "attachments"


def import_employees(tx, filename: Any, file_id: Any, attachments: Any = None) -> dict:
    """Import the uploaded template (stored by the gateway, read here from disk, streaming): all rows or
    none."""
    employer = own_employer(tx, lock=True)
    check_can_receive(employer["status"], employer["name"])
    refs = link(tx, attachments, kinds=("employee_material", "employer_other"), subject_type="employer",
                subject_id=employer["id"], required=False)
    content, sha = stored_file(file_id)
    previous = previous_run(tx, "employees", employer["id"], sha)
    if previous is not None:
        return previous
    table = level_table(tx, employer["region"])
    checked, errors, failures, count = checked_rows(tx, _rows(content, EMPLOYEE_COLUMNS, None), table, SHEET, {})
    if count == 0:
        raise InvalidInput("导入文件没有职工数据", code="import.empty")
    duplicates = roster_errors(tx, checked, SHEET)
    errors, failures = sorted(errors + duplicates, key=lambda e: e["row"]), failures + len(duplicates)
    if failures:
        raise refuse(errors, failures, count)
    ids = add_employees(tx, employer, [p for _, p in checked], source="imported", note="批量导入累计缴存",
                        attachments=refs)
    import_id = str(uuid.uuid4())
    summary = {"imported": len(ids), "rows": count, "filename": str(filename or "")[:200]}
    tx.session.execute(insert(import_runs).values(
        id=import_id, kind="employees", owner=employer["id"], sha256=sha, filename=summary["filename"], rows=count,
        summary=summary, attachments=refs, by_account=tx.principal.account_id, at=tx.now))
    tx.emit("employee.imported", subject=employer["id"], region=employer["region"], data={
        "employer_id": employer["id"], "region": employer["region"], "count": len(ids), "import_id": import_id})
    tx.audit("employee.import", "employer", employer["id"], region=employer["region"],
             after={**summary, "sha256": sha})
    return {**summary, "import_id": import_id, "repeated": False}
