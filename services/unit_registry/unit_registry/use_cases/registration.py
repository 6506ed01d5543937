"""个人注册: a graduate registers under the unit of their account (the unit reviews it), corrects a
returned registration, and reads their own. Also the demo import of people approved before."""
from __future__ import annotations

import uuid
from typing import Any

from shared import attachment_records as records
from shared.errors import Conflict, InvalidInput
from shared.service import Tx
from unit_registry import unit_registration, views
from unit_registry.adapters.orm import attachments
from unit_registry.domain.individuals import REVIEW, Registration, check_bank_account, check_registration
from unit_registry.domain.statuses import APPROVED, PENDING, RETURNED
from unit_registry.use_cases.common import (
    emit_person,
    individual_detail,
    individuals,
    load_individual,
    own_registration,
)

PROOF_KINDS = ("proof",)


def _id_number_taken() -> Conflict:
    return Conflict("该证件号码已注册，请勿重复注册", code="individual.id_number_taken",
                    details={"fields": {"id_number": "该证件号码已注册"}})


def _check_id_number_free(tx: Tx, reg: Registration, except_id: str | None = None) -> None:
    if individuals(tx).id_number_used(reg.id_type, reg.id_number, except_id=except_id):
        raise _id_number_taken()


def _registration_values(reg: Registration) -> dict[str, Any]:
    return {"name": reg.name, "id_type": reg.id_type, "id_number": reg.id_number, "mobile": reg.mobile,
            "degree": reg.degree, "graduated_on": reg.graduated_on, "bank_holder": reg.bank_account.holder,
            "bank_name": reg.bank_account.bank, "bank_number": reg.bank_account.number}


def _insert_individual(tx: Tx, reg: Registration, *, individual_id: str, account_id: str, unit_id: str,
                       status: str, attachment_ids: list[str] | None = None) -> None:
    values = {**_registration_values(reg), "id": individual_id, "account_id": account_id, "unit_id": unit_id,
              "attachment_ids": attachment_ids or [],
              "status": status, "created_at": tx.now, "updated_at": tx.now,
              "approved_at": tx.now if status == APPROVED else None}
    if not individuals(tx).add(values):  # a concurrent twin registration loses here, as a 409
        raise _id_number_taken()


def _approved_unit(tx: Tx, unit_id: object) -> Any:
    try:
        key = str(uuid.UUID(str(unit_id)))
    except ValueError:
        raise InvalidInput.field("unit_id", "individual.unit_not_approved", "所选单位不存在或尚未审核通过") from None
    unit = individuals(tx).unit(key)
    if unit is None or unit["status"] != APPROVED:
        raise InvalidInput.field("unit_id", "individual.unit_not_approved", "所选单位不存在或尚未审核通过")
    return unit


def register_individual(tx: Tx, data: dict) -> dict:
    """A graduate registers under the unit of their account; the unit reviews it. Emits
    ``individual.registered``."""
    principal = tx.principal
    if not principal.unit_id:
        raise InvalidInput.field("unit_id", "individual.unit_required", "您的账号未关联单位，请重新注册并选择单位")
    unit = _approved_unit(tx, principal.unit_id)
    existing = individuals(tx).of_account(principal.account_id)
    if existing is not None and existing["status"] == RETURNED:
        raise Conflict("您的注册已被退回，请修改后重新提交", code="individual.already_registered")
    if existing is not None:
        raise Conflict("您已提交个人注册信息，请勿重复注册", code="individual.already_registered")
    reg = check_registration(data, tx.clock.today_local())
    ids = records.check_ids(data.get("attachment_ids"))
    _check_id_number_free(tx, reg)
    individual_id = str(uuid.uuid4())
    _insert_individual(tx, reg, individual_id=individual_id, account_id=principal.account_id, unit_id=unit["id"],
                       status=PENDING, attachment_ids=ids)
    records.link(tx, attachments, ids, kinds=PROOF_KINDS, subject_type="individual", subject_id=individual_id)
    row = load_individual(tx, individual_id)
    unit_registration.history(tx, "individual", individual_id, 1, "submitted", data=views.audit_view(row))
    emit_person(tx, "individual.registered", row)
    detail = individual_detail(tx, row)
    # last: the audit chain's lock is held from this write to the commit (every audited write of the service waits)
    tx.audit("individual.register", "individual", individual_id, after=views.audit_view(row), region=row["region"])
    return detail


def check_individual_registration(tx: Tx, unit_id: object, data: dict) -> dict:
    """The dry run of 个人注册 before identity creates the account: the chosen unit is approved, the data
    valid, the ID number free and the proof materials usable. Writes nothing."""
    unit = _approved_unit(tx, unit_id)
    if not isinstance(data, dict):
        raise InvalidInput("请填写个人注册信息", code="individual.data_required")
    reg = check_registration(data, tx.clock.today_local())
    ids = records.check_ids(data.get("attachment_ids"))
    records.check_usable(tx, attachments, ids, kinds=PROOF_KINDS)
    _check_id_number_free(tx, reg)
    return {"ok": True, "unit_id": unit["id"], "unit_name": unit["name"]}


def resubmit_individual(tx: Tx, data: dict) -> dict:
    """A returned registration, corrected, goes back to the unit. Emits ``individual.resubmitted``."""
    row = own_registration(tx, lock=True)
    status = REVIEW.next(row["status"], "resubmit")
    reg = check_registration(data, tx.clock.today_local())
    ids = records.check_ids(data.get("attachment_ids"))
    _check_id_number_free(tx, reg, except_id=row["id"])
    records.link(tx, attachments, ids, kinds=PROOF_KINDS, subject_type="individual", subject_id=row["id"])
    after = individuals(tx).update(row, {**_registration_values(reg), "status": status, "round": row["round"] + 1,
                                         "attachment_ids": ids, "updated_at": tx.now})
    unit_registration.history(tx, "individual", row["id"], after["round"], "resubmitted",
                              data=views.audit_view(after))
    tx.audit("individual.resubmit", "individual", row["id"], before=views.audit_view(row),
             after=views.audit_view(after), region=row["region"])
    emit_person(tx, "individual.resubmitted", after)
    return individual_detail(tx, after)


def change_bank_account(tx: Tx, data: Any) -> dict:
    """修改银行账户: an approved graduate corrects the account the subsidy is paid into (户名 stays the
    registered name). Audited; emits ``individual.bank_account_changed``, which finance_disbursement keeps
    for a payment that failed. The same account again changes nothing and emits nothing."""
    row = own_registration(tx, lock=True)
    if row["status"] != APPROVED:
        raise Conflict("个人注册审核通过后才能修改银行账户", code="individual.not_approved",
                       details={"status": row["status"]})
    account = check_bank_account(data, row["name"])
    before = views.bank_account_of(row)
    if account.as_dict() == before:
        return individual_detail(tx, row)
    after = individuals(tx).update(row, {"bank_holder": account.holder, "bank_name": account.bank,
                                         "bank_number": account.number, "updated_at": tx.now})
    tx.audit("individual.bank_account_change", "individual", row["id"], region=row["region"],
             before=views.bank_audit_view(before), after=views.bank_audit_view(account.as_dict()))
    emit_person(tx, "individual.bank_account_changed", after)
    return individual_detail(tx, after)


def my_registration(tx: Tx) -> dict:
    """The caller's own registration, in full."""
    return individual_detail(tx, own_registration(tx))


def import_approved_individual(tx: Tx, spec: dict) -> bool:
    """Demo data: an approved individual with a fixed id unless it exists; emits ``individual.approved``."""
    if individuals(tx).exists(spec["id"]):
        return False
    reg = check_registration(spec, tx.clock.today_local())
    _insert_individual(tx, reg, individual_id=spec["id"], account_id=spec["account_id"], unit_id=spec["unit_id"],
                       status=APPROVED)
    row = load_individual(tx, spec["id"])
    tx.audit("individual.import", "individual", row["id"], after=views.audit_view(row), region=row["region"])
    emit_person(tx, "individual.approved", row)
    return True
