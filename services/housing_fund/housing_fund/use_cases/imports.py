"""职工批量导入: the template download, and the import of a filled template. The file travels as an
attachment (the gateway stores the upload and passes its SHA-256 id; no file bytes on the broker);
this service reads it from the shared attachment store, streaming. Every row is checked (证件号码
check digit, duplicates within the file and against every roster, level, amount); the report lists
each error with its row number, and a file with any error imports nothing. The same file imported
twice by the same employer is refused (409) by the run's hash."""
from __future__ import annotations

import base64
import hashlib
import os
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from housing_fund.adapters import xlsx
from housing_fund.adapters.orm import import_runs
from housing_fund.domain.employers import check_attachments, check_can_receive
from housing_fund.domain.imports import MAX_REPORTED_ERRORS, MAX_ROWS, check_headers, parse_row, row_error
from housing_fund.use_cases.employees import open_employees, taken_ids
from housing_fund.use_cases.levels import level_table
from housing_fund.use_cases.records import iso, own_employer
from shared.attachments import AttachmentStore
from shared.errors import Conflict, InvalidInput, NotFound
from shared.pagination import paginate

KIND = "employees"


def attachment_store() -> AttachmentStore:
    """The store the gateway writes uploads to (``$PLATFORM_VAR_DIR/attachments``)."""
    return AttachmentStore(Path(os.environ.get("PLATFORM_VAR_DIR", "var")) / "attachments")


def template_file(tx) -> dict:
    """The template with the employer's level table, base64 (a few KB: small enough for an RPC reply)."""
    employer = own_employer(tx)
    content = xlsx.template_bytes(level_table(tx, employer["region"]))
    return {"filename": "职工批量导入模板.xlsx", "content_base64": base64.b64encode(content).decode()}


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def check_file(tx, employer: Any, handle) -> tuple[list[dict], list[dict], int, int]:
    """(records, errors, data row count) of a template file, streamed row by row."""
    levels = level_table(tx, employer["region"])
    today = tx.now.date()
    records: list[dict] = []
    row_of: list[int] = []
    errors: list[dict] = []
    error_count = 0
    seen: dict[str, int] = {}
    count = 0
    stream = xlsx.rows(handle)
    header = next(stream, None)
    check_headers(header)
    for number, values in enumerate(stream, start=2):
        if values is None or all(v in (None, "") for v in values):
            continue
        count += 1
        if count > MAX_ROWS:
            raise InvalidInput(f"一个文件最多导入{MAX_ROWS}名职工，请分批导入", code="import.too_many_rows")
        try:
            record = parse_row(values, levels, today)
        except InvalidInput as exc:
            error_count += 1
            if len(errors) < MAX_REPORTED_ERRORS:
                errors.append(row_error(number, exc))
            continue
        first = seen.get(record["id_number"])
        if first is not None:
            error_count += 1
            if len(errors) < MAX_REPORTED_ERRORS:
                errors.append({"row": number, "field": "id_number", "column": "证件号码",
                               "code": "import.duplicate_in_file", "message": f"证件号码与第{first}行重复"})
            continue
        seen[record["id_number"]] = number
        records.append(record)
        row_of.append(number)
    if count == 0:
        raise InvalidInput("文件中没有职工数据", code="import.empty")
    taken = taken_ids(tx, [r["id_number"] for r in records])
    for record, number in zip(records, row_of, strict=True):
        if record["id_number"] in taken:
            error_count += 1
            if len(errors) < MAX_REPORTED_ERRORS:
                errors.append({"row": number, "field": "id_number", "column": "证件号码", "code": "employee.duplicate",
                               "message": "该证件号码已开户（若在其他单位，请由原单位办理转出）"})
    errors.sort(key=lambda e: e["row"])
    return records, errors, count, error_count


def import_employees(tx, attachment_id: Any, filename: Any = None, attachments: Any = None,
                     dry_run: bool = False) -> dict:
    """Import a filled template by its attachment id. Any row error: 400 ``import.rows_invalid`` with
    ``details.errors`` (row, column, message) and nothing imported. ``dry_run`` checks only."""
    employer = own_employer(tx, lock=True)
    check_can_receive(employer["status"], employer["name"])
    refs = check_attachments(attachments, required=False)
    if not isinstance(attachment_id, str):
        raise InvalidInput.field("attachment_id", "import.file_required", "请先上传填写好的导入模板")
    store = attachment_store()
    path = store.path_of(attachment_id.lower())
    if not path.is_file():
        raise NotFound("导入文件不存在，请重新上传", code="attachment.not_found")
    sha = _digest(path)
    done = tx.session.execute(select(import_runs).where(
        import_runs.c.kind == KIND, import_runs.c.owner == employer["id"], import_runs.c.sha256 == sha)
    ).mappings().first()
    if done is not None:
        raise Conflict(f"该文件已于{done['at'].date().isoformat()}导入过（{done['rows']}人），未重复导入",
                       code="import.already_imported", details={"import_id": done["id"]})
    with path.open("rb") as handle:
        records, errors, count, error_count = check_file(tx, employer, handle)
    if errors:
        raise InvalidInput(f"导入文件共{count}行，其中{error_count}行有错误，整批未导入；请按行号修改后重新上传",
                           code="import.rows_invalid",
                           details={"rows": count, "error_count": error_count, "errors": errors,
                                    "truncated": error_count > len(errors)})
    if dry_run:
        return {"rows": count, "valid": True, "imported": 0}
    import_id = str(uuid.uuid4())
    open_employees(tx, employer, records, source="imported", kind="import",
                   attachments=refs + [{"id": sha, "filename": str(filename or "职工批量导入.xlsx")[:100],
                                        "kind": "import_file"}])
    summary = {"rows": count, "imported": len(records), "monthly_total_fen": sum(r["monthly_fen"] for r in records)}
    tx.session.execute(insert(import_runs).values(
        id=import_id, kind=KIND, owner=employer["id"], sha256=sha, filename=str(filename or "")[:200] or None,
        rows=count, summary=summary, attachments=refs, by_account=tx.principal.account_id, at=tx.now))
    tx.emit("employee.imported", subject=import_id, region=employer["region"],
            data={"employer_id": employer["id"], "region": employer["region"], "count": len(records),
                  "import_id": import_id})
    tx.audit("employee.import", "import_run", import_id, after=summary, region=employer["region"])
    return {"id": import_id, **summary, "filename": filename, "at": iso(tx.now)}


def list_imports(tx, page: Any, page_size: Any) -> dict:
    """The employer's earlier imports (导入记录)."""
    employer = own_employer(tx)
    stmt = select(import_runs).where(import_runs.c.kind == KIND, import_runs.c.owner == employer["id"]).order_by(
        import_runs.c.at.desc())
    return paginate(tx.session, stmt, page, page_size, lambda r: {
        "id": r.id, "filename": r.filename, "rows": r.rows, "summary": r.summary, "at": iso(r.at)})
