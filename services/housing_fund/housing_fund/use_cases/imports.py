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

from housing_fund.adapters.repository import ImportRunRepository, JobRepository
from housing_fund.adapters.xlsx import read_sheet, template
from housing_fund.domain import employees as rules
from housing_fund.domain.employers import check_can_receive
from housing_fund.domain.imports import (
    EMPLOYEE_COLUMNS,
    EMPLOYEE_EXAMPLE,
    MAX_REPORTED_ERRORS,
    employee_record,
    refuse,
    row_error,
)
from housing_fund.domain.levels import check_level, check_monthly_amount
from housing_fund.use_cases.attachments import link
from housing_fund.use_cases.employees import DUPLICATE, add_employees, holders_of
from housing_fund.use_cases.levels import level_table
from housing_fund.use_cases.records import load_employer, own_employer
from shared import faults, jobs
from shared.attachments import AttachmentStore
from shared.errors import InvalidInput, NotFound
from shared.service import Tx

SHEET = "职工信息"
IMPORT_JOB = "housing.import_employees"
CHUNK_ROWS = int(os.environ.get("IMPORT_CHUNK_ROWS", "500"))  # rows per job item (one transaction)


def employee_template(tx: Tx) -> dict:
    """The 批量导入模版 (.xlsx, base64) with the employer's level codes in the example."""
    content = template([(SHEET, EMPLOYEE_COLUMNS, [EMPLOYEE_EXAMPLE])])
    return {"filename": "职工批量导入模版.xlsx", "content_b64": base64.b64encode(content).decode()}


def previous_run(tx: Tx, kind: str, owner: str, sha: str) -> dict | None:
    row = tx.repository(ImportRunRepository).of_file(kind, owner, sha)
    if row is None:
        return None
    return {**row["summary"], "import_id": row["id"], "repeated": True}


def _rows(content: bytes | Path, columns, sheet: str | None):
    for number, cells in read_sheet(content, columns, sheet):
        try:
            yield number, employee_record(cells)
        except InvalidInput as exc:
            yield number, {"_error": exc}


def check_rows(tx: Tx, rows, table: dict, *, sheet: str | None = None, seen: dict[str, int] | None = None
               ) -> tuple[list[tuple[int, dict]], list[dict], int, int]:
    """Check streamed ``(row number, data)`` pairs of employees: personal data, level and amount of
    ``table``, duplicates in the file (``seen``: id number -> its row, spans sheets) and against the whole
    roster. Returns (checked rows, errors, error count, row count); nothing is written."""
    seen = {} if seen is None else seen
    checked: list[tuple[int, dict]] = []
    errors: list[dict] = []
    count = failures = 0
    for number, data in rows:
        count += 1
        try:
            person = rules.check_employee(data)
            level = check_level(data.get("level"), table)
            person["level"] = level["code"]
            person["monthly_fen"] = check_monthly_amount(data.get("monthly_fen"), level)
            if person["id_number"] in seen:
                raise InvalidInput.field("id_number", DUPLICATE,
                                         f"证件号码与第{seen[person['id_number']]}行重复")
            seen[person["id_number"]] = number
            if data.get("employer_uscc"):
                person["employer_uscc"] = data["employer_uscc"]
            checked.append((number, person))
        except InvalidInput as exc:
            failures += 1
            if len(errors) < MAX_REPORTED_ERRORS:
                errors.append(row_error(number, exc, sheet))
    return checked, errors, failures, count


def checked_rows(tx: Tx, rows, table: dict, sheet: str, seen: dict) -> tuple[list, list, int, int]:
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


def roster_errors(tx: Tx, checked: list[tuple[int, dict]], sheet: str | None = None) -> list[dict]:
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


def import_employees(tx: Tx, filename: Any, file_id: Any, attachments: Any = None) -> dict:
    """Check the uploaded template (stored by the gateway, read here from disk, streaming): every row
    first, and a file with any error imports nothing (400 with the errors by row). A clean file becomes
    a job (``IMPORT_JOB``, one item per ``CHUNK_ROWS`` rows, each its own transaction: resumable after a
    crash, each row imported once); the answer carries it for the progress bar. The same file twice
    answers the first run and its job."""
    employer = own_employer(tx, lock=True)
    check_can_receive(employer["status"], employer["name"])
    refs = link(tx, attachments, kinds=("employee_material", "employer_other"), subject_type="employer",
                subject_id=employer["id"], required=False)
    content, sha = stored_file(file_id)
    previous = previous_run(tx, "employees", employer["id"], sha)
    if previous is not None:
        job_id = previous.get("job_id")
        return {**previous, "job": tx.repository(JobRepository).get(job_id) if job_id else None}
    table = level_table(tx, employer["region"])
    checked, errors, failures, count = checked_rows(tx, _rows(content, EMPLOYEE_COLUMNS, None), table, SHEET, {})
    if count == 0:
        raise InvalidInput("导入文件没有职工数据", code="import.empty")
    duplicates = roster_errors(tx, checked, SHEET)
    errors, failures = sorted(errors + duplicates, key=lambda e: e["row"]), failures + len(duplicates)
    if failures:
        raise refuse(errors, failures, count)
    import_id = str(uuid.uuid4())
    items = [{"import_id": import_id, "label": f"第{part[0][0]}–{part[-1][0]}行", "rows": part}
             for part in (checked[i:i + CHUNK_ROWS] for i in range(0, len(checked), CHUNK_ROWS))]
    job = jobs.submit(tx, IMPORT_JOB, items, region=employer["region"], key=f"employees:{employer['id']}:{sha}")
    summary = {"imported": 0, "rows": count, "filename": str(filename or "")[:200], "job_id": job["id"]}
    tx.repository(ImportRunRepository).add({
        "id": import_id, "kind": "employees", "owner": employer["id"], "sha256": sha, "filename": summary["filename"],
        "rows": count, "summary": summary, "attachments": refs, "by_account": tx.principal.account_id, "at": tx.now})
    tx.audit("employee.import", "employer", employer["id"], region=employer["region"],
             after={**summary, "sha256": sha, "import_id": import_id})
    return {**summary, "import_id": import_id, "repeated": False, "job": job}


def import_chunk(tx: Tx, payload: dict) -> dict:
    """One item of an import job: its rows join the roster in one transaction (each with its
    ``employee.opened``, from which identity opens the login). A row whose 证件号码 reached a roster
    since the check fails the item, which imports none of its rows; the last item completes the run
    (``employee.imported``)."""
    faults.crash_point(f"import.chunk{payload['rows'][0][0]}")
    run = tx.repository(ImportRunRepository).get(payload["import_id"], lock=True)
    employer = load_employer(tx, run["owner"], lock=True)
    check_can_receive(employer["status"], employer["name"])
    rows = [(number, person) for number, person in payload["rows"]]
    duplicates = roster_errors(tx, rows, SHEET)
    if duplicates:
        raise refuse(duplicates, len(duplicates), len(rows))
    ids = add_employees(tx, employer, [p for _, p in rows], source="imported", note="批量导入累计缴存",
                        attachments=run["attachments"], opened_events=True)
    summary = {**run["summary"], "imported": int(run["summary"].get("imported") or 0) + len(ids)}
    tx.repository(ImportRunRepository).update(run["id"], {"summary": summary})
    if summary["imported"] == summary["rows"]:
        tx.emit("employee.imported", subject=employer["id"], region=employer["region"], data={
            "employer_id": employer["id"], "region": employer["region"], "count": summary["imported"],
            "import_id": run["id"]})
    return {"message": f"{payload['label']}：已导入{len(ids)}人", "imported": len(ids)}
