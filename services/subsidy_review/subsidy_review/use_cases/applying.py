"""Stage 1: the graduate applies, changes a returned application, or withdraws it."""
from __future__ import annotations

import uuid
from typing import Any

from shared import regions
from shared.clock import to_local
from shared.contracts.statuses import DEGREES
from shared.errors import Conflict
from shared.service import Tx
from subsidy_review.adapters.repository import ApplicantRepository
from subsidy_review.domain.application import amount_fen, check_submission
from subsidy_review.domain.workflow import ACTIVE, REVIEW
from subsidy_review.use_cases.common import (
    applications,
    change,
    check_entitlement,
    load,
    policy_of,
    record_timeline,
)
from subsidy_review.use_cases.materials import link_materials
from subsidy_review.use_cases.windows import window_for_submission
from subsidy_review.views import app_ref, serialize, snapshot


def _applicant(tx: Tx) -> Any:
    """The caller's registration as subsidy_review keeps it, locked for this transaction."""
    row = tx.repository(ApplicantRepository).by_account(tx.principal.account_id, lock=True)
    if row is None or row["status"] != "approved":
        raise Conflict("请先完成个人注册并经单位审核通过后再申报", code="applicant.not_registered")
    return row


def _checked(tx: Tx, policy: Any, data: dict) -> dict:
    """The form checked against the city's policy, with the amount it comes to (policy data)."""
    checked = check_submission(data, max_months=policy["max_months"], today=to_local(tx.now).date())
    standard, total = amount_fen(policy["standards_fen"], checked["degree"], checked["months"])
    return {**checked, "standard_fen": standard, "amount_fen": total, "policy_version": policy["version"]}


def _next_application_no(tx: Tx, county: str) -> str:
    year = to_local(tx.now).year
    return f"BZ{county}{year}{applications(tx).next_number(f'application:{county}:{year}'):06d}"


def submit_application(tx: Tx, data: dict) -> dict:
    """个人补助申请: amount = the city's standard for the degree × months (policy data)."""
    person = _applicant(tx)
    county = person["region"]
    city = regions.city_of(county) or county
    policy = policy_of(tx, city)
    checked = _checked(tx, policy, data)
    window_for_submission(tx, city, person.get("graduated_on"), to_local(tx.now).date())
    active = applications(tx).active_number(person["individual_id"], ACTIVE)
    if active:
        raise Conflict(f"您已有办理中的申请（{active}），不能重复申报", code="application.already_active")
    check_entitlement(tx, person, policy, checked)
    unit = tx.repository(ApplicantRepository).unit(person["unit_id"])
    application_id = str(uuid.uuid4())
    material_ids = link_materials(tx, application_id, data)
    row = applications(tx).add({
        "id": application_id, "application_no": _next_application_no(tx, county),
        "individual_id": person["individual_id"], "account_id": person["account_id"], "unit_id": person["unit_id"],
        "unit_name": (unit and unit["name"]) or person["unit_name"] or "", "county": county, "city": city,
        "applicant_name": person["name"], "id_type": person["id_type"], "id_number": person["id_number"],
        "mobile": person["mobile"], **checked, "status": "pending_unit_review", "round": 0,
        "submitted_at": tx.now, "created_at": tx.now, "updated_at": tx.now, "attachment_ids": material_ids})
    event = tx.emit("application.submitted", subject=application_id, region=county,
                    data={**app_ref(row), "snapshot": snapshot(row)})
    record_timeline(tx, row, event)
    tx.audit("application.submit", "application", application_id,
             after={"status": row["status"], "amount_fen": checked["amount_fen"]}, region=county)
    return serialize(row, detail=True)


def resubmit_application(tx: Tx, application_id: str, data: dict) -> dict:
    """修改后再次提交 after a return by the unit or the county HRSS."""
    row = load(tx, application_id, lock=True)
    status = REVIEW.next(row["status"], "resubmit")
    person = tx.repository(ApplicantRepository).by_individual(row["individual_id"], lock=True)
    policy = policy_of(tx, row["city"])
    checked = _checked(tx, policy, data)
    check_entitlement(tx, person, policy, {**checked, "application_no": row["application_no"]}, exclude=row["id"])
    material_ids = link_materials(tx, row["id"], data) if "attachment_ids" in data else row["attachment_ids"]
    after = change(tx, row, "resubmit", status, "application.resubmitted", with_snapshot=True,
                   values={**checked, "attachment_ids": material_ids, "submitted_at": tx.now})
    return serialize(after)


def withdraw_application(tx: Tx, application_id: str) -> dict:
    row = load(tx, application_id, lock=True)
    return serialize(change(tx, row, "withdraw", REVIEW.next(row["status"], "withdraw"), "application.withdrawn"))


def applicant_profile(tx: Tx) -> dict:
    """What the application form shows the graduate (their record as their unit approved it)."""
    row = tx.repository(ApplicantRepository).by_account(tx.principal.account_id)
    if row is None:
        return {"registered": False}
    return {"registered": row["status"] == "approved", "name": row["name"], "id_type": row["id_type"],
            "id_number": row["id_number"], "mobile": row["mobile"], "degree": row["degree"],
            "degree_label": DEGREES.get(row["degree"] or "", None), "unit_id": row["unit_id"],
            "unit_name": row["unit_name"], "region": row["region"], "has_bank_account": bool(row["bank_account"])}
