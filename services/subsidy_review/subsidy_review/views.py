"""How an application is shown: to callers (:func:`serialize`) and in events (:func:`app_ref`,
:func:`snapshot`)."""
from __future__ import annotations

from typing import Any

from shared import regions
from shared.contracts.statuses import DEGREES, status_label
from shared.validators import mask_id, mask_mobile
from subsidy_review.domain.workflow import REVIEW


def iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def serialize(row: Any, *, detail: bool = False) -> dict:
    r = row._mapping if hasattr(row, "_mapping") else row
    item = {
        "id": r["id"], "application_no": r["application_no"], "applicant_name": r["applicant_name"],
        "id_type": r["id_type"], "id_number": r["id_number"] if detail else mask_id(r["id_number"]),
        "unit_id": r["unit_id"], "unit_name": r["unit_name"], "county": r["county"],
        "county_name": regions.name_of(r["county"]), "city": r["city"], "degree": r["degree"],
        "degree_label": DEGREES.get(r["degree"], r["degree"]), "start_date": iso(r["start_date"]),
        "months": r["months"], "standard_fen": r["standard_fen"], "amount_fen": r["amount_fen"],
        "status": r["status"], "status_label": status_label(r["status"]), "round": r["round"],
        "opinion": r["opinion"], "submitted_at": iso(r["submitted_at"]), "reported_at": iso(r["reported_at"]),
        "updated_at": iso(r["updated_at"]), "actions": REVIEW.actions_from(r["status"]),
    }
    if detail:
        bank = r["bank_account"]
        item.update({"mobile": r["mobile"], "work_history": r["work_history"] or [], "bank_account": bank,
                     "policy_version": r["policy_version"], "county_approved_at": iso(r["county_approved_at"])})
    else:
        item["mobile"] = mask_mobile(r["mobile"]) if r["mobile"] else None
    return item


def app_ref(row: Any, **extra: Any) -> dict:
    """What every application event says about the application."""
    data = {"application_id": row["id"], "application_no": row["application_no"], "county": row["county"],
            "city": row["city"], "unit_id": row["unit_id"], "status": row["status"],
            "applicant_name": row["applicant_name"], "unit_name": row["unit_name"], "amount_fen": row["amount_fen"],
            "round": max(1, row["round"])}
    data.update({k: v for k, v in extra.items() if v is not None})
    return data


def snapshot(row: Any) -> dict:
    """The whole application, for the stages downstream (publicity onwards)."""
    data = {
        "application_no": row["application_no"], "applicant_name": row["applicant_name"], "id_type": row["id_type"],
        "id_number": row["id_number"], "unit_id": row["unit_id"], "unit_name": row["unit_name"],
        "county": row["county"], "city": row["city"], "degree": row["degree"],
        "degree_label": DEGREES.get(row["degree"], row["degree"]), "start_date": row["start_date"].isoformat(),
        "months": row["months"], "standard_fen": row["standard_fen"], "amount_fen": row["amount_fen"],
        "individual_id": row["individual_id"], "account_id": row["account_id"], "mobile": row["mobile"],
        "policy_version": row["policy_version"], "round": max(1, row["round"]),
        "submitted_at": iso(row["submitted_at"]),
        # 申请材料 by id: later stages show them; downloads are authorised here (attachment_for_download)
        "attachment_ids": list(row["attachment_ids"] or []),
    }
    if row["bank_account"]:
        data["bank_account"] = row["bank_account"]
        # when unit_registry stated it: finance_disbursement carries a later correction to a failed payment
        data["bank_account_at"] = iso(row.get("bank_account_at"))
    return {k: v for k, v in data.items() if v is not None}
