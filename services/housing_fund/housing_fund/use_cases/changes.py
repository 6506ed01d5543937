"""单位信息变更: an employer's change request with attachments, effective only once the housing
bureau approves it; the bureau returns it with an opinion otherwise. The history stays with the
employer (单位变更记录)."""
from __future__ import annotations

import uuid
from typing import Any

from housing_fund.adapters.repository import EmployerRepository
from housing_fund.domain.employers import CHANGE_LABELS, CHANGEABLE, FIELDS, check_fields
from housing_fund.use_cases.attachments import EMPLOYER_CHANGE, link
from housing_fund.use_cases.employers import change_view
from housing_fund.use_cases.records import check_id, employer_view, own_employer
from housing_fund.use_cases.registration import PROFILE_KEYS, check_opinion
from shared.auth.roles import Role
from shared.errors import Conflict, InvalidInput, NotFound
from shared.jurisdiction import area_of
from shared.pagination import known_filter
from shared.service import Tx
from shared.workflow import Workflow

CHANGE = Workflow("employer_change", {("pending", "approve"): "approved", ("pending", "return"): "returned"})
NOT_FOUND = ("变更申请不存在或不在您的管辖范围内", "employer_change.not_found")


def _current(employer: Any) -> dict:
    profile = employer["profile"] or {}
    return {k: (employer[k] if k == "name" else employer["contact_mobile"] if k == "contact_mobile"
                else profile.get(k)) for k in CHANGEABLE}


def request_change(tx: Tx, data: Any, attachments: Any = None, reason: Any = None) -> dict:
    """新增变更信息: the fields to change (only what differs is kept) and the attachments."""
    employer = own_employer(tx, lock=True)
    if not isinstance(data, dict) or not data:
        raise InvalidInput("请填写要变更的信息", code="employer_change.empty")
    unknown = sorted(set(data) - set(CHANGEABLE))
    if unknown:
        raise InvalidInput("以下信息不能通过单位信息变更修改：" + "、".join(FIELDS.get(k, (k,))[0] for k in unknown),
                           code="employer_change.field_not_changeable",
                           details={"fields": {k: "不可变更" for k in unknown}})
    wanted = check_fields(data, tuple(data), partial=True)
    before = _current(employer)
    after = {k: v for k, v in wanted.items() if before.get(k) != v}
    if not after:
        raise InvalidInput("变更后的信息与当前信息相同", code="employer_change.no_difference")
    change_id = str(uuid.uuid4())
    refs = link(tx, attachments, kinds=EMPLOYER_CHANGE, subject_type="employer_change", subject_id=change_id,
                required=True)
    if tx.repository(EmployerRepository).change_pending(employer["id"]):
        raise Conflict("已有待审核的单位信息变更，请等待批复后再提交", code="employer_change.pending_exists")
    text = reason.strip()[:500] if isinstance(reason, str) and reason.strip() else None
    tx.repository(EmployerRepository).add_change(dict(
        id=change_id, employer_id=employer["id"], region=employer["region"], status="pending",
        before={k: before.get(k) for k in after}, after=after, attachments=refs, reason=text,
        submitted_by=tx.principal.account_id, submitted_at=tx.now))
    emit_change(tx, "employer.change_requested", employer, change_id, after)
    tx.audit("employer.change_request", "employer_change", change_id, region=employer["region"], after=after)
    return get_change(tx, change_id)


def emit_change(tx: Tx, event_type: str, employer: Any, change_id: str, changes: dict, **extra: Any) -> None:
    safe = {k: v for k, v in changes.items() if k not in ("contact_mobile", "bank_account_no")}
    tx.emit(event_type, subject=employer["id"], region=employer["region"], data={
        "employer_id": employer["id"], "name": employer["name"], "org_code": employer["org_code"],
        "region": employer["region"], "change_id": change_id, "changes": safe, **extra})


def _load(tx: Tx, change_id: Any, *, lock: bool = False) -> Any:
    row = tx.repository(EmployerRepository).change(check_id(change_id, "change_id"), lock=lock)
    p = tx.principal
    if row is None or not ((p.role == Role.EMPLOYER and row["employer_id"] == p.unit_id)
                           or (p.role == Role.HOUSING_BUREAU and p.sees_region(row["region"]))):
        raise NotFound(NOT_FOUND[0], code=NOT_FOUND[1])
    return row


def get_change(tx: Tx, change_id: Any) -> dict:
    row = _load(tx, change_id)
    name = tx.repository(EmployerRepository).names([row["employer_id"]])[row["employer_id"]]
    labels = {k: CHANGE_LABELS[k] for k in row["after"] if k in CHANGE_LABELS}
    return {**change_view(row), "employer_name": name, "labels": labels}


def list_changes(tx: Tx, filters: dict, page: Any, page_size: Any) -> dict:
    p = tx.principal
    known_filter(filters, "status", ("pending", "approved", "returned"), "状态应为pending、approved或returned")
    return tx.repository(EmployerRepository).changes_page(
        (p.unit_id or "") if p.role == Role.EMPLOYER else None, area_of(p), filters, page, page_size,
        lambda r: {**change_view(r), "employer_name": r["employer_name"],
                   "summary": "、".join(CHANGE_LABELS[k] for k in r["after"] if k in CHANGE_LABELS),
                   "review_done": r["status"] != "pending"})


def approve_change(tx: Tx, change_id: Any, opinion: Any = None) -> dict:
    """审核通过: the change takes effect now."""
    row = _load(tx, change_id, lock=True)
    status = CHANGE.next(row["status"], "approve")
    text = check_opinion(opinion, required=False)
    found = tx.repository(EmployerRepository)
    employer = found.get(row["employer_id"], lock=True)
    profile = dict(employer["profile"] or {})
    values: dict[str, Any] = {"updated_at": tx.now}
    for key, value in row["after"].items():
        if key == "name":
            values["name"] = value
        elif key == "contact_mobile":
            values["contact_mobile"] = value
        elif key in PROFILE_KEYS:
            profile[key] = value
    values["profile"] = profile
    found.update(employer["id"], values)
    found.update_change(row["id"], dict(
        status=status, opinion=text, decided_by=tx.principal.account_id, decided_at=tx.now))
    fresh = found.get(employer["id"])
    emit_change(tx, "employer.changed", fresh, row["id"], row["after"], opinion=text,
          mobile=fresh["contact_mobile"], status=fresh["status"])
    tx.audit("employer.change_approve", "employer", employer["id"], region=employer["region"],
             before=dict(row["before"]), after=dict(row["after"]))
    return {**get_change(tx, row["id"]), "employer": employer_view(fresh)}


def return_change(tx: Tx, change_id: Any, opinion: Any) -> dict:
    row = _load(tx, change_id, lock=True)
    status = CHANGE.next(row["status"], "return")
    text = check_opinion(opinion, required=True)
    found = tx.repository(EmployerRepository)
    found.update_change(row["id"], dict(
        status=status, opinion=text, decided_by=tx.principal.account_id, decided_at=tx.now))
    employer = found.get(row["employer_id"])
    emit_change(tx, "employer.change_returned", employer, row["id"], row["after"], opinion=text)
    tx.audit("employer.change_return", "employer_change", row["id"], region=row["region"],
             before={"status": row["status"]}, after={"status": status, "opinion": text})
    return get_change(tx, row["id"])
