"""单位信息管理: a change of name, USCC or region is a change request reviewed by the same county (the unit's
current data stays in force until it is approved); other fields change at once."""
from __future__ import annotations

import uuid
from typing import Any

from shared import attachment_records as records
from shared.auth.roles import Role
from shared.errors import Conflict, InvalidInput
from shared.service import Tx
from unit_registry import views
from unit_registry.adapters.orm import attachments
from unit_registry.adapters.repository import UnitChangeRepository, UnitRepository
from unit_registry.domain.statuses import APPROVED, PENDING, check_opinion, check_status_filter
from unit_registry.domain.units import CHANGE, check_unit
from unit_registry.unit_registration.common import (
    UNIT_KINDS,
    UNIT_OFFICERS,
    change_not_found,
    change_view,
    emit_unit_event,
    history,
    load_unit,
    reload_unit,
    uscc_conflict,
    uscc_taken,
)
from unit_registry.unit_registration.registration import unit_detail


# -- 单位信息管理: changes ---------------------------------------------------------------------------------
def update_unit(tx: Tx, data: dict) -> dict:
    """单位信息管理: the clerk saves the unit's data. 单位负责人 and 联系方式 change at once (``unit.changed``);
    a change of name, USCC or region becomes a change request for the county (the current data stays in
    force until it is approved)."""
    if not isinstance(data, dict):
        raise InvalidInput("请填写单位信息", code="unit.data_required")
    row = load_unit(tx, tx.principal.unit_id or "", lock=True)
    if row["status"] != APPROVED:
        raise Conflict("单位注册尚未审核通过，请在注册审核通过后维护单位信息", code="unit.not_approved")
    current = {f: row[f] for f in ("name", "uscc", "region", "supervisor_region", "leader", "leader_phone")}
    proposed = check_unit({**current, **{k: v for k, v in data.items() if k in current}})
    reviewed = proposed.reviewed_changes(current)
    result: dict[str, Any] = {"applied": [], "change": None}
    direct = {f: getattr(proposed, f) for f in ("leader", "leader_phone") if getattr(proposed, f) != current[f]}
    if reviewed:
        if tx.repository(UnitChangeRepository).pending_of(row["id"]):
            raise Conflict("已有待审核的单位信息变更申请，请等待审核结果", code="unit_change.pending_exists")
        if "uscc" in reviewed and uscc_taken(tx, proposed.uscc, except_unit=row["id"]):
            raise uscc_conflict()
        ids = records.check_ids(data.get("attachment_ids"))
        change_id = str(uuid.uuid4())
        records.link(tx, attachments, ids, kinds=UNIT_KINDS, subject_type="unit_change", subject_id=change_id)
        after = {**current, **{f: new for f, (_, new) in reviewed.items()}}
        tx.repository(UnitChangeRepository).add(dict(
            id=change_id, unit_id=row["id"], supervisor_region=row["supervisor_region"], before=current,
            after=after, attachment_ids=ids, status=PENDING, requested_by=tx.principal.account_id,
            created_at=tx.now))
        history(tx, "unit_change", change_id, 1, "submitted", data={"before": current, "after": after})
        tx.audit("unit.change_request", "unit", row["id"], before=current, after=after,
                 region=row["supervisor_region"])
        change = _change_row(tx, change_id)
        tx.emit("unit.change_requested", subject=row["id"], region=row["supervisor_region"],
                data={**views.unit_event(row), "change_id": change_id, "changes": sorted(reviewed)})
        result["change"] = change_view(tx, change)
    if direct:
        tx.repository(UnitRepository).update(row["id"], {**direct, "updated_at": tx.now})
        after_row = reload_unit(tx, row["id"])
        history(tx, "unit", row["id"], row["round"], "changed", data={"before": {k: current[k] for k in direct},
                                                                       "after": direct})
        tx.audit("unit.change", "unit", row["id"], before={k: current[k] for k in direct}, after=direct,
                 region=row["supervisor_region"])
        emit_unit_event(tx, "unit.changed", after_row)
        result["applied"] = sorted(direct)
    if not reviewed and not direct:
        raise InvalidInput("单位信息没有变化", code="unit.unchanged")
    result["unit"] = unit_detail(tx, reload_unit(tx, row["id"]))
    return result


def _change_row(tx: Tx, change_id: str, *, lock: bool = False):
    try:
        key = str(uuid.UUID(str(change_id)))
    except ValueError:
        raise change_not_found() from None
    row = tx.repository(UnitChangeRepository).get(key, lock=lock)
    if row is None:
        raise change_not_found()
    return row


def may_see_change(tx: Tx, row) -> bool:
    p = tx.principal
    if p.role == Role.UNIT_ADMIN:
        return row["unit_id"] == p.unit_id
    return p.role in UNIT_OFFICERS and p.sees_region(row["supervisor_region"])


def get_unit_change(tx: Tx, change_id: str) -> dict:
    row = _change_row(tx, change_id)
    if not may_see_change(tx, row):
        raise change_not_found()
    unit = reload_unit(tx, row["unit_id"])
    return {**change_view(tx, row), "unit_name": unit["name"], "uscc": unit["uscc"]}


def list_unit_changes(tx: Tx, filters: dict, page: Any, page_size: Any) -> dict:
    """Change requests: the clerk's own unit's, or those the officer reviews."""
    wanted = {"status": check_status_filter(filters.get("status")), "q": filters.get("q")}
    return tx.repository(UnitChangeRepository).page(tx.principal, wanted, page, page_size)


def _county_change(tx: Tx, change_id: str):
    row = _change_row(tx, change_id, lock=True)
    if row["supervisor_region"] != tx.principal.region:
        raise change_not_found()
    return row


def approve_unit_change(tx: Tx, change_id: str, opinion: str | None = None) -> dict:
    """The county approves a change: the new data takes effect. Emits ``unit.changed``."""
    change = _county_change(tx, change_id)
    opinion = check_opinion(opinion, required=False)
    status = CHANGE.next(change["status"], "approve")
    unit = load_unit(tx, change["unit_id"], lock=True)
    after = dict(change["after"])
    if after["uscc"] != unit["uscc"] and uscc_taken(tx, after["uscc"], except_unit=unit["id"]):
        raise uscc_conflict()
    if not tx.repository(UnitRepository).update_unique(unit["id"], dict(
            name=after["name"], uscc=after["uscc"], org_code=after["uscc"][8:17], region=after["region"],
            supervisor_region=after["supervisor_region"], updated_at=tx.now)):
        raise uscc_conflict()
    tx.repository(UnitChangeRepository).update(change["id"], dict(status=status, opinion=opinion, decided_at=tx.now))
    history(tx, "unit_change", change["id"], 1, "approved", opinion=opinion)
    changed = reload_unit(tx, unit["id"])
    history(tx, "unit", unit["id"], unit["round"], "changed", opinion=opinion,
            data={"before": dict(change["before"]), "after": after, "change_id": change["id"]})
    tx.audit("unit.change_approve", "unit", unit["id"], before=dict(change["before"]), after=after,
             region=change["supervisor_region"])
    emit_unit_event(tx, "unit.changed", changed)
    return get_unit_change(tx, change["id"])


def return_unit_change(tx: Tx, change_id: str, opinion: object) -> dict:
    """The county returns a change with its reason; the unit's data stays as it is."""
    change = _county_change(tx, change_id)
    opinion = check_opinion(opinion, required=True)
    status = CHANGE.next(change["status"], "return")
    tx.repository(UnitChangeRepository).update(change["id"], dict(status=status, opinion=opinion, decided_at=tx.now))
    history(tx, "unit_change", change["id"], 1, "returned", opinion=opinion)
    unit = reload_unit(tx, change["unit_id"])
    tx.audit("unit.change_return", "unit", unit["id"], before={"status": PENDING},
             after={"status": status, "opinion": opinion}, region=change["supervisor_region"])
    tx.emit("unit.change_returned", subject=unit["id"], region=change["supervisor_region"],
            data={**views.unit_event(unit), "change_id": change["id"], "opinion": opinion})
    return get_unit_change(tx, change["id"])
