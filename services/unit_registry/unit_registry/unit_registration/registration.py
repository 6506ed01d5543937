"""单位注册 and its review by the county HRSS of the unit's 主管部门; a unit's detail and review history;
the county's to-dos."""
from __future__ import annotations

from shared import attachment_records as records
from shared.errors import Conflict, InvalidInput
from shared.service import Tx
from unit_registry import views
from unit_registry.adapters.orm import attachments
from unit_registry.adapters.repository import UnitChangeRepository, UnitRepository
from unit_registry.domain.statuses import APPROVED, PENDING, check_opinion
from unit_registry.domain.units import REGISTRATION
from unit_registry.unit_registration.common import (
    UNIT_KINDS,
    change_view,
    checked_unit,
    emit_unit_event,
    history,
    history_of,
    load_unit,
    may_see_unit,
    reload_unit,
    unit_not_found,
    uscc_conflict,
)


# -- registration ------------------------------------------------------------------------------------
def check_unit_registration(tx: Tx, data: dict) -> dict:
    """The dry run before identity creates the account: 400/409 for what ``register_unit`` would refuse."""
    checked_unit(tx, data)
    return {"ok": True}


def register_unit(tx: Tx, unit_id: str, data: dict) -> dict:
    """File the unit of the caller's new account as pending. Emits ``unit.registered``."""
    p = tx.principal
    if not p.unit_id or str(unit_id) != p.unit_id:
        raise InvalidInput.field("unit_id", "unit.account_mismatch", "单位标识与账号不一致")
    if tx.repository(UnitRepository).exists(p.unit_id):
        raise Conflict("该单位已提交注册，请勿重复提交", code="unit.already_registered")
    unit, ids, terms_version = checked_unit(tx, data)
    values = {**unit.as_dict(), "id": p.unit_id, "org_code": unit.org_code, "admin_account_id": p.account_id,
              "status": PENDING, "round": 1, "terms_version": terms_version, "terms_accepted_at": tx.now,
              "attachment_ids": ids, "created_at": tx.now, "updated_at": tx.now}
    if not tx.repository(UnitRepository).add(values):
        raise uscc_conflict()
    records.link(tx, attachments, ids, kinds=UNIT_KINDS, subject_type="unit", subject_id=p.unit_id)
    row = reload_unit(tx, p.unit_id)
    history(tx, "unit", row["id"], 1, "submitted", data=views.unit_snapshot(row))
    tx.audit("unit.register", "unit", row["id"], after=views.unit_snapshot(row), region=row["supervisor_region"])
    emit_unit_event(tx, "unit.registered", row)
    return unit_detail(tx, row)


def resubmit_unit(tx: Tx, unit_id: str, data: dict) -> dict:
    """A returned registration, corrected by a clerk of that unit, goes back to the county. Emits
    ``unit.resubmitted``. Another unit's clerk gets 404."""
    row = load_unit(tx, unit_id, lock=True)
    if row["id"] != tx.principal.unit_id:
        raise unit_not_found()
    status = REGISTRATION.next(row["status"], "resubmit")
    unit, ids, terms_version = checked_unit(tx, data, except_unit=row["id"], subject=("unit", row["id"]))
    if not tx.repository(UnitRepository).update_unique(row["id"], dict(
            **unit.as_dict(), org_code=unit.org_code, status=status, round=row["round"] + 1,
            terms_version=terms_version, terms_accepted_at=tx.now, attachment_ids=ids, updated_at=tx.now)):
        raise uscc_conflict()
    records.link(tx, attachments, ids, kinds=UNIT_KINDS, subject_type="unit", subject_id=row["id"])
    after = reload_unit(tx, row["id"])
    history(tx, "unit", row["id"], after["round"], "resubmitted", data=views.unit_snapshot(after))
    tx.audit("unit.resubmit", "unit", row["id"], before=views.unit_snapshot(row), after=views.unit_snapshot(after),
             region=after["supervisor_region"])
    emit_unit_event(tx, "unit.resubmitted", after)
    return unit_detail(tx, after)


def _county_unit(tx: Tx, unit_id: str):
    row = load_unit(tx, unit_id, lock=True)
    if row["supervisor_region"] != tx.principal.region:
        raise unit_not_found()
    return row


def _decide(tx: Tx, row, action: str, opinion: str | None) -> dict:
    status = REGISTRATION.next(row["status"], action)
    tx.repository(UnitRepository).update(row["id"], dict(
        status=status, opinion=opinion, updated_at=tx.now,
        approved_at=tx.now if status == APPROVED else row["approved_at"]))
    after = reload_unit(tx, row["id"])
    history(tx, "unit", row["id"], row["round"], "approved" if status == APPROVED else "returned", opinion=opinion)
    tx.audit(f"unit.{action}", "unit", row["id"], before=views.unit_snapshot(row), after=views.unit_snapshot(after),
             region=row["supervisor_region"])
    emit_unit_event(tx, "unit.approved" if status == APPROVED else "unit.returned", after)
    return unit_detail(tx, after)


def approve_unit(tx: Tx, unit_id: str, opinion: str | None = None) -> dict:
    """审核通过 by the county HRSS of the unit's 主管部门. Emits ``unit.approved``."""
    return _decide(tx, _county_unit(tx, unit_id), "approve", check_opinion(opinion, required=False))


def return_unit(tx: Tx, unit_id: str, opinion: str) -> dict:
    """退回修改 with the reason. Emits ``unit.returned``."""
    return _decide(tx, _county_unit(tx, unit_id), "return", check_opinion(opinion, required=True))


# -- reading -----------------------------------------------------------------------------------------
def unit_detail(tx: Tx, row) -> dict:
    """A unit with its attachments, its rounds and its change requests."""
    changes = tx.repository(UnitChangeRepository).of_unit(row["id"])
    return {**views.unit_view(row, full=True),
            "attachments": records.views_of(tx, attachments, row["attachment_ids"] or []),
            "history": history_of(tx, "unit", [row["id"]]),
            "changes": [change_view(tx, c, with_history=False) for c in changes]}


def unit_history(tx: Tx, unit_id: str) -> list[dict]:
    row = load_unit(tx, unit_id)
    if not may_see_unit(tx, row):
        raise unit_not_found()
    return history_of(tx, "unit", [row["id"]])

# -- to-dos ------------------------------------------------------------------------------------------
def county_todos(tx: Tx) -> list[dict]:
    region = tx.principal.region
    pending = tx.repository(UnitRepository).count_in(region, PENDING)
    changes = tx.repository(UnitChangeRepository).count_in(region, PENDING)
    return [{"key": "units.pending_review", "count": pending, "label": f"您有【{pending}】个单位注册待审核",
             "href": "/portal/units?status=pending"},
            {"key": "unit_changes.pending_review", "count": changes,
             "label": f"您有【{changes}】个单位信息变更待审核", "href": "/portal/unit-changes?status=pending"}]
