"""What registration and changes share: a unit loaded in the caller's sight, its checked data, its review
rounds (review_history), its events, the officers who look after units."""
from __future__ import annotations

import uuid

from shared import attachment_records as records
from shared.auth.roles import Role
from shared.errors import Conflict, InvalidInput, NotFound
from shared.jurisdiction import area_of
from shared.service import Tx
from unit_registry import views
from unit_registry.adapters.orm import attachments
from unit_registry.adapters.repository import ReviewHistoryRepository, UnitRepository
from unit_registry.domain.units import check_unit
from unit_registry.unit_registration.terms import check_terms_accepted

UNIT_KINDS = ("business_license", "unit_other")
#: officers who look after units: the county HRSS of their 主管部门, the city departments of their city
UNIT_OFFICERS = (Role.COUNTY_HRSS, Role.CITY_HRSS, Role.CITY_ORG, Role.CITY_FINANCE)


def unit_not_found() -> NotFound:
    return NotFound("单位不存在或不在您的管辖范围内", code="unit.not_found")


def change_not_found() -> NotFound:
    return NotFound("单位信息变更申请不存在或不在您的管辖范围内", code="unit_change.not_found")
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


def uscc_taken(tx: Tx, uscc: str, *, except_unit: str | None = None) -> bool:
    return tx.repository(UnitRepository).uscc_taken(uscc, except_unit=except_unit)


def uscc_conflict() -> Conflict:
    return Conflict("该统一社会信用代码已注册，请勿重复注册", code="unit.uscc_taken",
                    details={"fields": {"uscc": "该统一社会信用代码已注册"}})


def check_unit_attachments(tx: Tx, data: dict, subject: tuple[str, str] | None) -> list[str]:
    ids = records.check_ids(data.get("attachment_ids"))
    records.check_usable(tx, attachments, ids, kinds=UNIT_KINDS, subject=subject)
    kinds = {a["kind"] for a in records.views_of(tx, attachments, ids)}
    if "business_license" not in kinds:
        raise InvalidInput.field("attachment_ids", "unit.business_license_required", "请上传企业营业执照")
    return ids


def checked_unit(tx: Tx, data: dict, *, except_unit: str | None = None, subject: tuple[str, str] | None = None):
    if not isinstance(data, dict):
        raise InvalidInput("请填写单位信息", code="unit.data_required")
    unit = check_unit(data)
    terms_version = check_terms_accepted(tx, "unit", data.get("terms_version"))
    ids = check_unit_attachments(tx, data, subject)
    if uscc_taken(tx, unit.uscc, except_unit=except_unit):
        raise uscc_conflict()
    return unit, ids, terms_version


def load_unit(tx: Tx, unit_id: object, *, lock: bool = False):
    try:
        key = str(uuid.UUID(str(unit_id)))
    except ValueError:
        raise unit_not_found() from None
    row = tx.repository(UnitRepository).get(key, lock=lock)
    if row is None:
        raise unit_not_found()
    return row


def may_see_unit(tx: Tx, row) -> bool:
    """A unit's own clerks, the county HRSS of its 主管部门 and the city departments of its city."""
    p = tx.principal
    if p.role == Role.UNIT_ADMIN:
        return row["id"] == p.unit_id
    return p.role in UNIT_OFFICERS and p.sees_region(row["supervisor_region"])


def emit_unit_event(tx: Tx, event_type: str, row) -> None:
    tx.emit(event_type, subject=row["id"], region=row["supervisor_region"], data=views.unit_event(row))


def reload_unit(tx: Tx, unit_id: str):
    return tx.repository(UnitRepository).one(unit_id)


def jurisdiction(principal) -> list[str]:
    return area_of(principal)


def change_view(tx: Tx, row, *, with_history: bool = True) -> dict:
    view = views.change_view(row)
    view["attachments"] = records.views_of(tx, attachments, row["attachment_ids"] or [])
    if with_history:
        view["history"] = history_of(tx, "unit_change", [row["id"]])
    return view
