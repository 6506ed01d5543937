"""What leaves the service: the dicts RPCs return and the data of the events it emits.

Lists mask ID numbers and mobiles; the detail view (an audited read) shows them in full.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from shared import regions, validators
from shared.contracts.statuses import DEGREES
from unit_registry.domain.statuses import status_label


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _id_type_label(id_type: str) -> str:
    try:
        return validators.DocumentType(id_type).label
    except ValueError:
        return id_type


def individual_view(row: Any, *, full: bool) -> dict:
    """An individual with their unit; ``full`` for the detail view (unmasked, with bank account)."""
    view = {
        "id": row["id"], "account_id": row["account_id"], "unit_id": row["unit_id"],
        "unit_name": row["unit_name"], "region": row["region"], "region_name": regions.full_name(row["region"]),
        "name": row["name"], "id_type": row["id_type"], "id_type_label": _id_type_label(row["id_type"]),
        "id_number": row["id_number"] if full else validators.mask_id(row["id_number"]),
        "mobile": row["mobile"] if full else validators.mask_mobile(row["mobile"]),
        "degree": row["degree"], "degree_label": DEGREES.get(row["degree"], row["degree"]),
        "graduated_on": _iso(row["graduated_on"]),
        "status": row["status"], "status_label": status_label(row["status"]), "opinion": row["opinion"],
        "created_at": _iso(row["created_at"]), "updated_at": _iso(row["updated_at"]),
        "approved_at": _iso(row["approved_at"]), "round": row["round"],
        "terms_version": row["terms_version"], "terms_accepted_at": _iso(row["terms_accepted_at"]),
    }
    if full:
        view["bank_account"] = bank_account_of(row)
    return view


def bank_account_of(row: Any) -> dict:
    return {"holder": row["bank_holder"], "bank": row["bank_name"], "number": row["bank_number"]}


def bank_audit_view(account: dict) -> dict:
    """What an audit row keeps of a bank account: holder, bank and the masked number."""
    return {"holder": account["holder"], "bank": account["bank"],
            "number": validators.mask_bank_number(account["number"])}


def unit_view(row: Any, *, full: bool) -> dict:
    """A unit as its clerk and its supervising officers see it; lists mask the leader's phone."""
    return {
        "id": row["id"], "name": row["name"], "uscc": row["uscc"], "org_code": row["org_code"],
        "region": row["region"], "region_name": regions.full_name(row["region"]),
        "supervisor_region": row["supervisor_region"],
        "supervisor_region_name": regions.full_name(row["supervisor_region"]),
        "leader": row["leader"],
        "leader_phone": row["leader_phone"] if full else validators.mask_mobile(row["leader_phone"]),
        "admin_account_id": row["admin_account_id"],
        "status": row["status"], "status_label": status_label(row["status"]), "opinion": row["opinion"],
        "created_at": _iso(row["created_at"]), "updated_at": _iso(row["updated_at"]),
        "approved_at": _iso(row["approved_at"]), "round": row["round"],
        "terms_version": row["terms_version"], "terms_accepted_at": _iso(row["terms_accepted_at"]),
    }


def unit_snapshot(row: Any) -> dict:
    """A unit's data as one round submitted it (history and audit)."""
    return {"name": row["name"], "uscc": row["uscc"], "region": row["region"],
            "supervisor_region": row["supervisor_region"], "leader": row["leader"],
            "leader_phone": row["leader_phone"], "status": row["status"], "opinion": row["opinion"],
            "attachment_ids": list(row["attachment_ids"] or [])}


ACTION_LABELS = {"submitted": "提交申请", "resubmitted": "修改后重新提交", "approved": "审核通过",
                 "returned": "退回修改", "changed": "信息变更"}


def history_view(row: Any) -> dict:
    """One round of a review: who, when, what, with which opinion."""
    return {"round": row["round"], "action": row["action"],
            "action_label": ACTION_LABELS.get(row["action"], row["action"]),
            "opinion": row["opinion"], "actor_role": row["actor_role"], "actor_name": row["actor_name"],
            "at": _iso(row["at"]), "data": row["data"]}


FIELD_LABELS = {"name": "单位名称", "uscc": "统一社会信用代码", "region": "行政区划", "supervisor_region": "主管部门",
                "leader": "单位负责人", "leader_phone": "负责人联系方式"}


def change_view(row: Any) -> dict:
    """A change request of the reviewed fields, with what changes from what to what."""
    before, after = dict(row["before"]), dict(row["after"])
    changes = [{"field": f, "label": FIELD_LABELS[f], "before": before.get(f), "after": after.get(f)}
               for f in FIELD_LABELS if before.get(f) != after.get(f)]
    view = {"id": row["id"], "unit_id": row["unit_id"], "supervisor_region": row["supervisor_region"],
            "before": before, "after": after, "changes": changes,
            "change_summary": "；".join(f"{c['label']}：{c['before']} → {c['after']}" for c in changes),
            "status": row["status"], "status_label": status_label(row["status"]), "opinion": row["opinion"],
            "created_at": _iso(row["created_at"]), "decided_at": _iso(row["decided_at"])}
    if "unit_name" in row.keys():
        view["unit_name"] = row["unit_name"]
    return view


def public_unit_view(row: Any) -> dict:
    """What the registration form needs to let a graduate choose a unit, and nothing more."""
    return {"id": row["id"], "name": row["name"], "region": row["region"],
            "region_name": regions.full_name(row["region"])}


def person_event(row: Any, *, with_bank_account: bool = False) -> dict:
    """Data of the ``individual.*`` events. The bank account travels only in the hand-off
    (``individual.approved``: subsidy_review freezes it into applications) and in the graduate's own
    correction (``individual.bank_account_changed``: finance retries a failed payment with it)."""
    data = {
        "individual_id": row["id"], "account_id": row["account_id"], "unit_id": row["unit_id"],
        "unit_name": row["unit_name"], "name": row["name"], "id_type": row["id_type"],
        "id_number": row["id_number"], "mobile": row["mobile"], "degree": row["degree"],
        "graduated_on": _iso(row["graduated_on"]), "region": row["region"], "status": row["status"],
        "opinion": row["opinion"],
    }
    if with_bank_account:
        data["bank_account"] = bank_account_of(row)
    return data


def unit_event(row: Any) -> dict:
    """Data of the ``unit.*`` events."""
    return {
        "unit_id": row["id"], "name": row["name"], "uscc": row["uscc"], "region": row["region"],
        "supervisor_region": row["supervisor_region"], "status": row["status"],
        "account_id": row["admin_account_id"], "leader": row["leader"], "opinion": row["opinion"],
    }


def audit_view(row: Any) -> dict:
    """What an audit row keeps of an individual before and after a decision (no bank number)."""
    return {"status": row["status"], "opinion": row["opinion"], "name": row["name"], "unit_id": row["unit_id"],
            "id_type": row["id_type"], "id_number": row["id_number"], "mobile": row["mobile"],
            "degree": row["degree"], "graduated_on": _iso(row["graduated_on"])}
