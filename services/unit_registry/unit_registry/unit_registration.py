"""单位注册 and its review by the county HRSS of the unit's 主管部门, and 单位信息管理 (changes).

- The gateway first asks ``check_unit_registration`` (a dry run: nothing is written), then identity
  creates the account (role unit_admin, with the unit id the gateway chose), then ``register_unit``
  runs with that account's token and files the unit as pending.
- A pending or returned unit's clerk sees the unit, its status and the reviewer's opinion; every round
  (submitted, returned, resubmitted, approved) is kept in ``review_history``.
- A change of name, USCC or region is a change request reviewed by the same county; the unit's
  current data stays in force until it is approved. Other fields change at once.
"""
from __future__ import annotations

import uuid
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from shared import attachment_records as records
from shared.auth.roles import Role
from shared.errors import Conflict, InvalidInput, NotFound
from shared.jurisdiction import area_of
from shared.pagination import like_pattern, paginate
from shared.service import Tx
from unit_registry import views
from unit_registry.adapters.orm import attachments, unit_changes, units
from unit_registry.adapters.repository import ReviewHistoryRepository
from unit_registry.domain.statuses import APPROVED, PENDING, check_opinion, check_status_filter
from unit_registry.domain.units import CHANGE, REGISTRATION, check_unit

UNIT_KINDS = ("business_license", "unit_other")
#: officers who look after units: the county HRSS of their 主管部门, the city departments of their city
UNIT_OFFICERS = (Role.COUNTY_HRSS, Role.CITY_HRSS, Role.CITY_ORG, Role.CITY_FINANCE)
TERMS_KINDS = ("unit", "individual")
TERMS_FILE = Path(__file__).parent / "data" / "terms.yaml"


def unit_not_found() -> NotFound:
    return NotFound("单位不存在或不在您的管辖范围内", code="unit.not_found")


def _change_not_found() -> NotFound:
    return NotFound("单位信息变更申请不存在或不在您的管辖范围内", code="unit_change.not_found")


# -- 用户须知 ------------------------------------------------------------------------------------------
def current_terms(tx: Tx, kind: str) -> dict:
    """The 用户须知 in force for ``kind`` (unit or individual registration)."""
    if kind not in TERMS_KINDS:
        raise InvalidInput.field("kind", "terms.kind_unknown", "用户须知类型应为 unit 或 individual")
    in_force = [t for t in _terms()[kind] if datetime.fromisoformat(t["effective_from"]) <= tx.now]
    if not in_force:
        raise NotFound("用户须知尚未发布", code="terms.not_found")
    row = max(in_force, key=lambda t: datetime.fromisoformat(t["effective_from"]))
    return {"kind": kind, "version": row["version"], "title": row["title"], "body": row["body"].strip(),
            "effective_from": row["effective_from"]}


@lru_cache(maxsize=1)
def _terms() -> dict:
    return yaml.safe_load(TERMS_FILE.read_text(encoding="utf-8"))


def check_terms_accepted(tx: Tx, kind: str, version: object) -> str:
    """The version the registrant accepted must be the one in force (400 otherwise)."""
    if not version:
        raise InvalidInput.field("terms_version", "terms.not_accepted", "请先阅读并同意用户须知")
    current = current_terms(tx, kind)["version"]
    if version != current:
        raise InvalidInput.field("terms_version", "terms.outdated", "用户须知已更新，请重新阅读并同意")
    return current


# -- helpers ---------------------------------------------------------------------------------------
def history(tx: Tx, subject_type: str, subject_id: str, round_: int, action: str, *, opinion: str | None = None,
            data: dict | None = None) -> None:
    """Keep one round of a review (every submission, return and approval)."""
    p = tx.principal
    tx.repository(ReviewHistoryRepository).add({
        "subject_type": subject_type, "subject_id": subject_id, "round": round_, "action": action,
        "opinion": opinion, "actor_account_id": p.account_id, "actor_role": p.role, "actor_name": p.name,
        "data": data, "at": tx.now})


def history_many(tx: Tx, subject_type: str, subjects: list[tuple[str, int]], action: str) -> None:
    """:func:`history` of the same action for many (subject id, round), in one insert."""
    p = tx.principal
    tx.repository(ReviewHistoryRepository).add_many([{
        "subject_type": subject_type, "subject_id": subject_id, "round": round_, "action": action, "opinion": None,
        "actor_account_id": p.account_id, "actor_role": p.role, "actor_name": p.name, "data": None, "at": tx.now}
        for subject_id, round_ in subjects])


def history_of(tx: Tx, subject_type: str, subject_ids: list[str]) -> list[dict]:
    if not subject_ids:
        return []
    return [views.history_view(r) for r in tx.repository(ReviewHistoryRepository).of(subject_type, subject_ids)]


def _uscc_taken(tx: Tx, uscc: str, *, except_unit: str | None = None) -> bool:
    stmt = select(units.c.id).where(units.c.uscc == uscc)
    pending = select(unit_changes.c.id).where(unit_changes.c.status == PENDING,
                                              unit_changes.c.after["uscc"].astext == uscc)
    if except_unit:
        stmt = stmt.where(units.c.id != except_unit)
        pending = pending.where(unit_changes.c.unit_id != except_unit)
    return tx.session.execute(stmt).first() is not None or tx.session.execute(pending).first() is not None


def _uscc_conflict() -> Conflict:
    return Conflict("该统一社会信用代码已注册，请勿重复注册", code="unit.uscc_taken",
                    details={"fields": {"uscc": "该统一社会信用代码已注册"}})


def _check_attachments(tx: Tx, data: dict, subject: tuple[str, str] | None) -> list[str]:
    ids = records.check_ids(data.get("attachment_ids"))
    records.check_usable(tx, attachments, ids, kinds=UNIT_KINDS, subject=subject)
    kinds = {a["kind"] for a in records.views_of(tx, attachments, ids)}
    if "business_license" not in kinds:
        raise InvalidInput.field("attachment_ids", "unit.business_license_required", "请上传企业营业执照")
    return ids


def _checked(tx: Tx, data: dict, *, except_unit: str | None = None, subject: tuple[str, str] | None = None):
    if not isinstance(data, dict):
        raise InvalidInput("请填写单位信息", code="unit.data_required")
    unit = check_unit(data)
    terms_version = check_terms_accepted(tx, "unit", data.get("terms_version"))
    ids = _check_attachments(tx, data, subject)
    if _uscc_taken(tx, unit.uscc, except_unit=except_unit):
        raise _uscc_conflict()
    return unit, ids, terms_version


def _unit(tx: Tx, unit_id: object, *, lock: bool = False):
    try:
        key = str(uuid.UUID(str(unit_id)))
    except ValueError:
        raise unit_not_found() from None
    stmt = select(units).where(units.c.id == key)
    row = tx.session.execute(stmt.with_for_update() if lock else stmt).mappings().first()
    if row is None:
        raise unit_not_found()
    return row


def may_see_unit(tx: Tx, row) -> bool:
    """A unit's own clerks, the county HRSS of its 主管部门 and the city departments of its city."""
    p = tx.principal
    if p.role == Role.UNIT_ADMIN:
        return row["id"] == p.unit_id
    return p.role in UNIT_OFFICERS and p.sees_region(row["supervisor_region"])


def _event(tx: Tx, event_type: str, row) -> None:
    tx.emit(event_type, subject=row["id"], region=row["supervisor_region"], data=views.unit_event(row))


def _reload(tx: Tx, unit_id: str):
    return tx.session.execute(select(units).where(units.c.id == unit_id)).mappings().one()


# -- registration ------------------------------------------------------------------------------------
def check_unit_registration(tx: Tx, data: dict) -> dict:
    """The dry run before identity creates the account: 400/409 for what ``register_unit`` would refuse."""
    _checked(tx, data)
    return {"ok": True}


def register_unit(tx: Tx, unit_id: str, data: dict) -> dict:
    """File the unit of the caller's new account as pending. Emits ``unit.registered``."""
    p = tx.principal
    if not p.unit_id or str(unit_id) != p.unit_id:
        raise InvalidInput.field("unit_id", "unit.account_mismatch", "单位标识与账号不一致")
    if tx.session.execute(select(units.c.id).where(units.c.id == p.unit_id)).first():
        raise Conflict("该单位已提交注册，请勿重复提交", code="unit.already_registered")
    unit, ids, terms_version = _checked(tx, data)
    values = {**unit.as_dict(), "id": p.unit_id, "org_code": unit.org_code, "admin_account_id": p.account_id,
              "status": PENDING, "round": 1, "terms_version": terms_version, "terms_accepted_at": tx.now,
              "attachment_ids": ids, "created_at": tx.now, "updated_at": tx.now}
    try:
        with tx.session.begin_nested():
            tx.session.execute(insert(units).values(**values))
    except IntegrityError:
        raise _uscc_conflict() from None
    records.link(tx, attachments, ids, kinds=UNIT_KINDS, subject_type="unit", subject_id=p.unit_id)
    row = _reload(tx, p.unit_id)
    history(tx, "unit", row["id"], 1, "submitted", data=views.unit_snapshot(row))
    tx.audit("unit.register", "unit", row["id"], after=views.unit_snapshot(row), region=row["supervisor_region"])
    _event(tx, "unit.registered", row)
    return unit_detail(tx, row)


def resubmit_unit(tx: Tx, unit_id: str, data: dict) -> dict:
    """A returned registration, corrected by a clerk of that unit, goes back to the county. Emits
    ``unit.resubmitted``. Another unit's clerk gets 404."""
    row = _unit(tx, unit_id, lock=True)
    if row["id"] != tx.principal.unit_id:
        raise unit_not_found()
    status = REGISTRATION.next(row["status"], "resubmit")
    unit, ids, terms_version = _checked(tx, data, except_unit=row["id"], subject=("unit", row["id"]))
    try:
        with tx.session.begin_nested():
            tx.session.execute(update(units).where(units.c.id == row["id"]).values(
                **unit.as_dict(), org_code=unit.org_code, status=status, round=row["round"] + 1,
                terms_version=terms_version, terms_accepted_at=tx.now, attachment_ids=ids, updated_at=tx.now))
    except IntegrityError:
        raise _uscc_conflict() from None
    records.link(tx, attachments, ids, kinds=UNIT_KINDS, subject_type="unit", subject_id=row["id"])
    after = _reload(tx, row["id"])
    history(tx, "unit", row["id"], after["round"], "resubmitted", data=views.unit_snapshot(after))
    tx.audit("unit.resubmit", "unit", row["id"], before=views.unit_snapshot(row), after=views.unit_snapshot(after),
             region=after["supervisor_region"])
    _event(tx, "unit.resubmitted", after)
    return unit_detail(tx, after)


def _county_unit(tx: Tx, unit_id: str):
    row = _unit(tx, unit_id, lock=True)
    if row["supervisor_region"] != tx.principal.region:
        raise unit_not_found()
    return row


def _decide(tx: Tx, row, action: str, opinion: str | None) -> dict:
    status = REGISTRATION.next(row["status"], action)
    tx.session.execute(update(units).where(units.c.id == row["id"]).values(
        status=status, opinion=opinion, updated_at=tx.now,
        approved_at=tx.now if status == APPROVED else row["approved_at"]))
    after = _reload(tx, row["id"])
    history(tx, "unit", row["id"], row["round"], "approved" if status == APPROVED else "returned", opinion=opinion)
    tx.audit(f"unit.{action}", "unit", row["id"], before=views.unit_snapshot(row), after=views.unit_snapshot(after),
             region=row["supervisor_region"])
    _event(tx, "unit.approved" if status == APPROVED else "unit.returned", after)
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
    changes = tx.session.execute(select(unit_changes).where(unit_changes.c.unit_id == row["id"])
                                 .order_by(unit_changes.c.created_at.desc())).mappings().all()
    return {**views.unit_view(row, full=True),
            "attachments": records.views_of(tx, attachments, row["attachment_ids"] or []),
            "history": history_of(tx, "unit", [row["id"]]),
            "changes": [change_view(tx, c, with_history=False) for c in changes]}


def unit_history(tx: Tx, unit_id: str) -> list[dict]:
    row = _unit(tx, unit_id)
    if not may_see_unit(tx, row):
        raise unit_not_found()
    return history_of(tx, "unit", [row["id"]])


# -- 单位信息管理: changes ---------------------------------------------------------------------------------
def change_view(tx: Tx, row, *, with_history: bool = True) -> dict:
    view = views.change_view(row)
    view["attachments"] = records.views_of(tx, attachments, row["attachment_ids"] or [])
    if with_history:
        view["history"] = history_of(tx, "unit_change", [row["id"]])
    return view


def update_unit(tx: Tx, data: dict) -> dict:
    """单位信息管理: the clerk saves the unit's data. 单位负责人 and 联系方式 change at once (``unit.changed``);
    a change of name, USCC or region becomes a change request for the county (the current data stays in
    force until it is approved)."""
    if not isinstance(data, dict):
        raise InvalidInput("请填写单位信息", code="unit.data_required")
    row = _unit(tx, tx.principal.unit_id or "", lock=True)
    if row["status"] != APPROVED:
        raise Conflict("单位注册尚未审核通过，请在注册审核通过后维护单位信息", code="unit.not_approved")
    current = {f: row[f] for f in ("name", "uscc", "region", "supervisor_region", "leader", "leader_phone")}
    proposed = check_unit({**current, **{k: v for k, v in data.items() if k in current}})
    reviewed = proposed.reviewed_changes(current)
    result: dict[str, Any] = {"applied": [], "change": None}
    direct = {f: getattr(proposed, f) for f in ("leader", "leader_phone") if getattr(proposed, f) != current[f]}
    if reviewed:
        if tx.session.execute(select(unit_changes.c.id).where(unit_changes.c.unit_id == row["id"],
                                                              unit_changes.c.status == PENDING)).first():
            raise Conflict("已有待审核的单位信息变更申请，请等待审核结果", code="unit_change.pending_exists")
        if "uscc" in reviewed and _uscc_taken(tx, proposed.uscc, except_unit=row["id"]):
            raise _uscc_conflict()
        ids = records.check_ids(data.get("attachment_ids"))
        change_id = str(uuid.uuid4())
        records.link(tx, attachments, ids, kinds=UNIT_KINDS, subject_type="unit_change", subject_id=change_id)
        after = {**current, **{f: new for f, (_, new) in reviewed.items()}}
        tx.session.execute(insert(unit_changes).values(
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
        tx.session.execute(update(units).where(units.c.id == row["id"]).values(**direct, updated_at=tx.now))
        after_row = _reload(tx, row["id"])
        history(tx, "unit", row["id"], row["round"], "changed", data={"before": {k: current[k] for k in direct},
                                                                       "after": direct})
        tx.audit("unit.change", "unit", row["id"], before={k: current[k] for k in direct}, after=direct,
                 region=row["supervisor_region"])
        _event(tx, "unit.changed", after_row)
        result["applied"] = sorted(direct)
    if not reviewed and not direct:
        raise InvalidInput("单位信息没有变化", code="unit.unchanged")
    result["unit"] = unit_detail(tx, _reload(tx, row["id"]))
    return result


def _change_row(tx: Tx, change_id: str, *, lock: bool = False):
    try:
        key = str(uuid.UUID(str(change_id)))
    except ValueError:
        raise _change_not_found() from None
    stmt = select(unit_changes).where(unit_changes.c.id == key)
    row = tx.session.execute(stmt.with_for_update() if lock else stmt).mappings().first()
    if row is None:
        raise _change_not_found()
    return row


def _visible_change(tx: Tx, row) -> bool:
    p = tx.principal
    if p.role == Role.UNIT_ADMIN:
        return row["unit_id"] == p.unit_id
    return p.role in UNIT_OFFICERS and p.sees_region(row["supervisor_region"])


def get_unit_change(tx: Tx, change_id: str) -> dict:
    row = _change_row(tx, change_id)
    if not _visible_change(tx, row):
        raise _change_not_found()
    unit = _reload(tx, row["unit_id"])
    return {**change_view(tx, row), "unit_name": unit["name"], "uscc": unit["uscc"]}


def list_unit_changes(tx: Tx, filters: dict, page: Any, page_size: Any) -> dict:
    """Change requests: the clerk's own unit's, or those the officer reviews."""
    p = tx.principal
    stmt = (select(unit_changes, units.c.name.label("unit_name"), units.c.uscc.label("unit_uscc"))
            .join(units, units.c.id == unit_changes.c.unit_id))
    if p.role == Role.UNIT_ADMIN:
        stmt = stmt.where(unit_changes.c.unit_id == p.unit_id)
    else:
        stmt = stmt.where(unit_changes.c.supervisor_region.in_(jurisdiction(p)))
    status = check_status_filter(filters.get("status"))
    if status:
        stmt = stmt.where(unit_changes.c.status == status)
    if filters.get("q"):
        pattern = like_pattern(str(filters["q"]))
        stmt = stmt.where(or_(units.c.name.ilike(pattern), units.c.uscc.ilike(pattern)))
    stmt = stmt.order_by(unit_changes.c.created_at.desc(), unit_changes.c.id)
    return paginate(tx.session, stmt, page, page_size, lambda r: views.change_view(r._mapping))


def _county_change(tx: Tx, change_id: str):
    row = _change_row(tx, change_id, lock=True)
    if row["supervisor_region"] != tx.principal.region:
        raise _change_not_found()
    return row


def approve_unit_change(tx: Tx, change_id: str, opinion: str | None = None) -> dict:
    """The county approves a change: the new data takes effect. Emits ``unit.changed``."""
    change = _county_change(tx, change_id)
    opinion = check_opinion(opinion, required=False)
    status = CHANGE.next(change["status"], "approve")
    unit = _unit(tx, change["unit_id"], lock=True)
    after = dict(change["after"])
    if after["uscc"] != unit["uscc"] and _uscc_taken(tx, after["uscc"], except_unit=unit["id"]):
        raise _uscc_conflict()
    try:
        with tx.session.begin_nested():
            tx.session.execute(update(units).where(units.c.id == unit["id"]).values(
                name=after["name"], uscc=after["uscc"], org_code=after["uscc"][8:17], region=after["region"],
                supervisor_region=after["supervisor_region"], updated_at=tx.now))
    except IntegrityError:
        raise _uscc_conflict() from None
    tx.session.execute(update(unit_changes).where(unit_changes.c.id == change["id"]).values(
        status=status, opinion=opinion, decided_at=tx.now))
    history(tx, "unit_change", change["id"], 1, "approved", opinion=opinion)
    changed = _reload(tx, unit["id"])
    history(tx, "unit", unit["id"], unit["round"], "changed", opinion=opinion,
            data={"before": dict(change["before"]), "after": after, "change_id": change["id"]})
    tx.audit("unit.change_approve", "unit", unit["id"], before=dict(change["before"]), after=after,
             region=change["supervisor_region"])
    _event(tx, "unit.changed", changed)
    return get_unit_change(tx, change["id"])


def return_unit_change(tx: Tx, change_id: str, opinion: object) -> dict:
    """The county returns a change with its reason; the unit's data stays as it is."""
    change = _county_change(tx, change_id)
    opinion = check_opinion(opinion, required=True)
    status = CHANGE.next(change["status"], "return")
    tx.session.execute(update(unit_changes).where(unit_changes.c.id == change["id"]).values(
        status=status, opinion=opinion, decided_at=tx.now))
    history(tx, "unit_change", change["id"], 1, "returned", opinion=opinion)
    unit = _reload(tx, change["unit_id"])
    tx.audit("unit.change_return", "unit", unit["id"], before={"status": PENDING},
             after={"status": status, "opinion": opinion}, region=change["supervisor_region"])
    tx.emit("unit.change_returned", subject=unit["id"], region=change["supervisor_region"],
            data={**views.unit_event(unit), "change_id": change["id"], "opinion": opinion})
    return get_unit_change(tx, change["id"])


# -- to-dos ------------------------------------------------------------------------------------------
def jurisdiction(principal) -> list[str]:
    return area_of(principal)


def county_todos(tx: Tx) -> list[dict]:
    region = tx.principal.region
    pending = tx.session.execute(select(func.count()).select_from(units).where(
        units.c.supervisor_region == region, units.c.status == PENDING)).scalar_one()
    changes = tx.session.execute(select(func.count()).select_from(unit_changes).where(
        unit_changes.c.supervisor_region == region, unit_changes.c.status == PENDING)).scalar_one()
    return [{"key": "units.pending_review", "count": pending, "label": f"您有【{pending}】个单位注册待审核",
             "href": "/portal/units?status=pending"},
            {"key": "unit_changes.pending_review", "count": changes,
             "label": f"您有【{changes}】个单位信息变更待审核", "href": "/portal/unit-changes?status=pending"}]

