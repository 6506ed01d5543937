"""注册新单位: an employer whose contact mobile the gateway has verified by SMS code submits its basic
data and attachments; the housing bureau of its area approves (assigning the 5-digit trade code) or
returns it with an opinion; a returned registration is corrected and resubmitted, every round kept."""
from __future__ import annotations

import uuid
from typing import Any

from housing_fund.adapters.repository import EmployerRepository
from housing_fund.domain.employers import (
    APPROVED,
    NORMAL,
    OPENING,
    PENDING,
    RETURNED,
    REVIEW,
    check_fields,
    org_code_of,
)
from housing_fund.use_cases.attachments import REGISTRATION, link
from housing_fund.use_cases.employers import rounds_of
from housing_fund.use_cases.records import check_id, employer_view, load_employer
from shared import validators
from shared.errors import Conflict, NotFound
from shared.opinions import check_opinion
from shared.service import Tx

PROFILE_KEYS = ("address", "legal_person", "contact_name", "bank_name", "bank_account_name", "bank_account_no",
                "nature", "phone", "email", "postcode")
FIRST_TRADE_CODE = 10001


def _check_registration(tx: Tx, mobile: Any, data: Any, employer_id: str) -> tuple[dict, list, str]:
    verified = validators.mobile(mobile, "contact_mobile")
    fields = check_fields({**(data or {}), "contact_mobile": verified} if isinstance(data, dict) else data)
    org_code = org_code_of(fields["uscc"])
    if tx.repository(EmployerRepository).registered_as(fields["uscc"], org_code, except_id=employer_id):
        raise Conflict("该统一社会信用代码的单位已注册或已迁移，请直接使用组织机构代码登录",
                       code="employer.already_registered", details={"fields": {"uscc": "该单位已注册"}})
    attachments = link(tx, data.get("attachments"), kinds=REGISTRATION, subject_type="employer",
                       subject_id=employer_id, required=True)
    return fields, attachments, org_code


def register_employer(tx: Tx, mobile: Any, data: Any) -> dict:
    """Submit a registration (round 1). ``mobile`` is the contact mobile the gateway verified."""
    employer_id = str(uuid.uuid4())
    fields, attachments, org_code = _check_registration(tx, mobile, data, employer_id)
    profile = {k: fields[k] for k in PROFILE_KEYS if k in fields}
    found = tx.repository(EmployerRepository)
    found.add(dict(
        id=employer_id, name=fields["name"], org_code=org_code, uscc=fields["uscc"], region=fields["region"],
        status=OPENING, source="registered", review_status=PENDING, round=1, profile=profile,
        contact_mobile=fields["contact_mobile"], attachments=attachments, created_at=tx.now, updated_at=tx.now))
    found.add_round(dict(
        id=str(uuid.uuid4()), employer_id=employer_id, round=1, data=dict(fields), attachments=attachments,
        submitted_at=tx.now))
    row = _load(tx, employer_id)
    _emit(tx, "employer.registered", row)
    tx.audit("employer.register", "employer", employer_id, region=row["region"],
             after={"name": row["name"], "uscc": row["uscc"], "round": 1})
    return registration_view(tx, row)


def _load(tx: Tx, employer_id: str) -> Any:
    return tx.repository(EmployerRepository).get(employer_id)


def _event_data(row: Any, **extra: Any) -> dict:
    profile = row["profile"] or {}
    return {"employer_id": row["id"], "name": row["name"], "org_code": row["org_code"], "region": row["region"],
            "uscc": row["uscc"], "status": row["status"], "round": row["round"], "source": row["source"],
            "trade_code": row["trade_code"], "mobile": row["contact_mobile"],
            "contact_name": profile.get("contact_name"), "opinion": row["opinion"], **extra}


def _emit(tx: Tx, event_type: str, row: Any, **extra: Any) -> None:
    tx.emit(event_type, subject=row["id"], region=row["region"], data=_event_data(row, **extra))


def registration_view(tx: Tx, row: Any) -> dict:
    return {**employer_view(row), "rounds": rounds_of(tx, row["id"])}


def my_registrations(tx: Tx, mobile: Any) -> dict:
    """The registrations whose contact mobile the gateway verified (查看审核状态, 修改后重新提交)."""
    verified = validators.mobile(mobile, "contact_mobile")
    rows = tx.repository(EmployerRepository).registered_by(verified)
    return {"mobile": verified, "items": [registration_view(tx, r) for r in rows]}


def _own_registration(tx: Tx, mobile: Any, employer_id: Any) -> Any:
    verified = validators.mobile(mobile, "contact_mobile")
    row = tx.repository(EmployerRepository).get(check_id(employer_id, "employer_id"), lock=True)
    if row is None or row["contact_mobile"] != verified or row["source"] != "registered":
        raise NotFound("注册申请不存在", code="employer.not_found")
    return row


def resubmit_employer(tx: Tx, mobile: Any, employer_id: Any, data: Any) -> dict:
    """Correct a returned registration and submit it again: round + 1, the earlier rounds kept."""
    row = _own_registration(tx, mobile, employer_id)
    status = REVIEW.next(row["review_status"], "resubmit")
    fields, attachments, org_code = _check_registration(tx, mobile, data, row["id"])
    round_ = row["round"] + 1
    profile = {k: fields[k] for k in PROFILE_KEYS if k in fields}
    found = tx.repository(EmployerRepository)
    found.update(row["id"], dict(
        name=fields["name"], org_code=org_code, uscc=fields["uscc"], region=fields["region"], profile=profile,
        attachments=attachments, review_status=status, round=round_, opinion=None, updated_at=tx.now))
    found.add_round(dict(
        id=str(uuid.uuid4()), employer_id=row["id"], round=round_, data=dict(fields),
        attachments=attachments, submitted_at=tx.now))
    after = _load(tx, row["id"])
    _emit(tx, "employer.resubmitted", after)
    tx.audit("employer.resubmit", "employer", row["id"], region=after["region"],
             before={"review_status": row["review_status"], "round": row["round"]},
             after={"review_status": status, "round": round_})
    return registration_view(tx, after)


def next_trade_code(tx: Tx) -> str:
    top = tx.repository(EmployerRepository).top_trade_code()
    code = max(int(top) + 1 if top else FIRST_TRADE_CODE, FIRST_TRADE_CODE)
    if code > 99999:
        raise Conflict("单位交易代码已用尽，请联系系统管理员", code="employer.trade_codes_exhausted")
    return f"{code:05d}"


def _decide_round(tx: Tx, row: Any, decision: str, opinion: str | None) -> None:
    tx.repository(EmployerRepository).decide_round(row["id"], row["round"], dict(
        decision=decision, opinion=opinion, decided_by=tx.principal.account_id, decided_by_name=tx.principal.name,
        decided_at=tx.now))


def approve_employer(tx: Tx, employer_id: Any, opinion: Any = None) -> dict:
    """审核通过: status 01 正常, a trade code assigned; identity creates the employer's login from
    ``employer.approved``."""
    row = load_employer(tx, employer_id, lock=True)
    status = REVIEW.next(row["review_status"], "approve")
    text = check_opinion(opinion, required=False)
    trade_code = next_trade_code(tx)
    tx.repository(EmployerRepository).update(row["id"], dict(
        review_status=status, status=NORMAL, trade_code=trade_code, opinion=text, approved_at=tx.now,
        updated_at=tx.now))
    _decide_round(tx, row, APPROVED, text)
    after = _load(tx, row["id"])
    _emit(tx, "employer.approved", after)
    tx.audit("employer.approve", "employer", row["id"], region=row["region"],
             before={"review_status": row["review_status"], "status": row["status"]},
             after={"review_status": status, "status": NORMAL, "trade_code": trade_code, "opinion": text})
    return registration_view(tx, after)


def return_employer(tx: Tx, employer_id: Any, opinion: Any) -> dict:
    """退回修改 with the bureau's opinion (required)."""
    row = load_employer(tx, employer_id, lock=True)
    status = REVIEW.next(row["review_status"], "return")
    text = check_opinion(opinion, required=True)
    tx.repository(EmployerRepository).update(row["id"], dict(
        review_status=status, opinion=text, updated_at=tx.now))
    _decide_round(tx, row, RETURNED, text)
    after = _load(tx, row["id"])
    _emit(tx, "employer.returned", after)
    tx.audit("employer.return", "employer", row["id"], region=row["region"],
             before={"review_status": row["review_status"]}, after={"review_status": status, "opinion": text})
    return registration_view(tx, after)
