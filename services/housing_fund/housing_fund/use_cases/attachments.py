"""The attachments whose records housing_fund keeps (the gateway's /api/v1/attachments stores the
bytes): 单位营业执照 and 其它 of registrations (uploaded before any account), 单位信息变更 materials,
职工 materials of 开户, 信息变更 and 转移, proofs of 缴款历史补录 and 支取申请. Readable like the record
that links them; before that, by their uploader alone."""
from __future__ import annotations

from typing import Any

from housing_fund.adapters.repository import (
    AttachmentRepository,
    EmployeeRepository,
    EmployerRepository,
    TransferRepository,
)
from housing_fund.use_cases.records import load_employee, load_employer
from shared import attachment_records as records
from shared.errors import InvalidInput, NotFound
from shared.service import Tx

SERVICE = "housing_fund"
REGISTRATION = ("employer_license", "employer_other")
EMPLOYER_CHANGE = ("employer_change", "employer_other")
EMPLOYEE = ("employee_material",)
BACKFILL = ("payment_proof",)
WITHDRAWAL = ("withdrawal_proof",)


def record_attachment(tx: Tx, meta: dict) -> dict:
    return tx.repository(AttachmentRepository).record(tx, meta, service=SERVICE)


def record_public_attachment(tx: Tx, meta: dict) -> dict:
    return tx.repository(AttachmentRepository).record(tx, meta, service=SERVICE, public=True)


def public_attachment(tx: Tx, attachment_id: str) -> dict:
    return tx.repository(AttachmentRepository).unlinked_public(tx, attachment_id)


def may_read_subject(tx: Tx, subject_type: str, subject_id: str) -> bool:
    """Whether the caller may read the record an attachment is linked to (and so the attachment)."""
    try:
        if subject_type == "employer":
            return bool(load_employer(tx, subject_id))
        if subject_type == "employer_change":
            row = tx.repository(EmployerRepository).change(subject_id)
            return row is not None and bool(load_employer(tx, row["employer_id"]))
        if subject_type == "employee":
            load_employee(tx, subject_id)
            return True
        if subject_type == "employee_change":
            row = tx.repository(EmployeeRepository).change(subject_id)
            return row is not None and bool(load_employee(tx, row["employee_id"]))
        if subject_type in ("backfill", "withdrawal"):
            # the employer that submitted it, or a bureau whose area holds it (jurisdiction as the record's)
            from housing_fund.use_cases import backfill, withdrawals

            return bool((backfill if subject_type == "backfill" else withdrawals).load(tx, subject_id))
        if subject_type == "transfer":
            transfer = tx.repository(TransferRepository).get(subject_id)
            return transfer is not None and tx.principal.unit_id in (transfer["from_employer_id"],
                                                                     transfer["to_employer_id"])
    except NotFound:
        return False
    return False


def attachment_for_download(tx: Tx, attachment_id: str) -> dict:
    return tx.repository(AttachmentRepository).for_download(tx, attachment_id,
                                                            lambda t, i: may_read_subject(tx, t, i))


def ids_of(value: Any, field: str = "attachments") -> list[str]:
    """Attachment ids as a command gives them: ``["hf-…"]`` or ``[{"id": "hf-…", ...}]``."""
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        raise InvalidInput.field(field, "attachment.ids_invalid", "附件格式不正确")
    ids = [v.get("id") if isinstance(v, dict) else v for v in value]
    return records.check_ids(ids, field)


def link(tx: Tx, value: Any, *, kinds: tuple[str, ...], subject_type: str, subject_id: str, required: bool,
         field: str = "attachments") -> list[dict]:
    """Link the uploads named in ``value`` to a record; at least one when ``required``. Returns their
    views (kept with the record for display)."""
    ids = ids_of(value, field)
    if required and not ids:
        raise InvalidInput.field(field, "attachment.required", "请上传所需的附件，并等待提示上传成功后再提交")
    if not ids:
        return []
    return tx.repository(AttachmentRepository).link(tx, ids, kinds=kinds, subject_type=subject_type,
                                                    subject_id=subject_id, field=field)
