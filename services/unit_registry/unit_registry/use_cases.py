"""unit_registry's use cases. Each takes the unit of work (``tx``) first; the nameko class only wires them.

Who sees what: a graduate their own registration, a unit clerk the people of their unit, the county
HRSS the units and people of its county, city officers the units of their city. Anything else is 404.
"""
from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from shared import attachment_records as records
from shared import regions, validators
from shared.auth.roles import LEVELS, Role
from shared.errors import Conflict, InvalidInput, NotFound
from shared.pagination import like_pattern, paginate
from unit_registry import unit_registration, views
from unit_registry.adapters.orm import attachments, individuals, units
from unit_registry.domain.individuals import REVIEW, Registration, check_registration
from unit_registry.domain.statuses import APPROVED, PENDING, RETURNED, check_opinion, check_status_filter

MAX_BULK = 500
PROOF_KINDS = ("proof",)

# an individual with the unit it belongs to: the unit's county is the individual's jurisdiction
INDIVIDUAL = (select(individuals, units.c.name.label("unit_name"), units.c.region.label("region"))
              .join(units, units.c.id == individuals.c.unit_id))


def _individual_not_found() -> NotFound:
    return NotFound("个人注册信息不存在或不在您的管辖范围内", code="individual.not_found")


def _unit_not_found() -> NotFound:
    return NotFound("单位不存在或不在您的管辖范围内", code="unit.not_found")


def _one(tx, stmt: Select, *, lock: bool = False):
    if lock:
        stmt = stmt.with_for_update(of=individuals)
    return tx.session.execute(stmt).mappings().first()


def _individual(tx, individual_id: str, *, lock: bool = False):
    row = _one(tx, INDIVIDUAL.where(individuals.c.id == str(individual_id)), lock=lock)
    if row is None:
        raise _individual_not_found()
    return row


def _visible(tx, row) -> bool:
    p = tx.principal
    if p.role == Role.INDIVIDUAL:
        return row["account_id"] == p.account_id
    if p.role == Role.UNIT_ADMIN:
        return row["unit_id"] == p.unit_id
    return p.sees_region(row["region"])


def _own_registration(tx, *, lock: bool = False):
    row = _one(tx, INDIVIDUAL.where(individuals.c.account_id == tx.principal.account_id), lock=lock)
    if row is None:
        raise NotFound("您尚未提交个人注册信息", code="individual.not_registered")
    return row


def _check_id_number_free(tx, reg: Registration, except_id: str | None = None) -> None:
    stmt = select(individuals.c.id).where(individuals.c.id_type == reg.id_type,
                                          individuals.c.id_number == reg.id_number)
    if except_id:
        stmt = stmt.where(individuals.c.id != except_id)
    if tx.session.execute(stmt).first():
        raise _id_number_taken()


def _id_number_taken() -> Conflict:
    return Conflict("该证件号码已注册，请勿重复注册", code="individual.id_number_taken",
                    details={"fields": {"id_number": "该证件号码已注册"}})


def _registration_values(reg: Registration) -> dict[str, Any]:
    return {"name": reg.name, "id_type": reg.id_type, "id_number": reg.id_number, "mobile": reg.mobile,
            "degree": reg.degree, "graduated_on": reg.graduated_on, "bank_holder": reg.bank_account.holder,
            "bank_name": reg.bank_account.bank, "bank_number": reg.bank_account.number}


def _insert_individual(tx, reg: Registration, *, individual_id: str, account_id: str, unit_id: str,
                       status: str, attachment_ids: list[str] | None = None) -> None:
    values = {**_registration_values(reg), "id": individual_id, "account_id": account_id, "unit_id": unit_id,
              "attachment_ids": attachment_ids or [],
              "status": status, "created_at": tx.now, "updated_at": tx.now,
              "approved_at": tx.now if status == APPROVED else None}
    try:
        with tx.session.begin_nested():  # a concurrent twin registration loses here, as a 409
            tx.session.execute(insert(individuals).values(**values))
    except IntegrityError:
        raise _id_number_taken() from None


def _emit_person(tx, event_type: str, row) -> None:
    tx.emit(event_type, subject=row["id"], region=row["region"],
            data=views.person_event(row, with_bank_account=event_type == "individual.approved"))


# -- registration (个人注册) -----------------------------------------------------------------------
def register_individual(tx, data: dict) -> dict:
    """A graduate registers under the unit of their account; the unit reviews it. Emits
    ``individual.registered``."""
    p = tx.principal
    if not p.unit_id:
        raise InvalidInput.field("unit_id", "individual.unit_required", "您的账号未关联单位，请重新注册并选择单位")
    unit = _approved_unit(tx, p.unit_id)
    existing = tx.session.execute(select(individuals.c.status).where(
        individuals.c.account_id == p.account_id)).scalar()
    if existing == RETURNED:
        raise Conflict("您的注册已被退回，请修改后重新提交", code="individual.already_registered")
    if existing is not None:
        raise Conflict("您已提交个人注册信息，请勿重复注册", code="individual.already_registered")
    reg = check_registration(data, tx.clock.today_local())
    ids = records.check_ids(data.get("attachment_ids"))
    _check_id_number_free(tx, reg)
    individual_id = str(uuid.uuid4())
    _insert_individual(tx, reg, individual_id=individual_id, account_id=p.account_id, unit_id=unit["id"],
                       status=PENDING, attachment_ids=ids)
    records.link(tx, attachments, ids, kinds=PROOF_KINDS, subject_type="individual", subject_id=individual_id)
    row = _individual(tx, individual_id)
    unit_registration.history(tx, "individual", individual_id, 1, "submitted", data=views.audit_view(row))
    tx.audit("individual.register", "individual", individual_id, after=views.audit_view(row), region=row["region"])
    _emit_person(tx, "individual.registered", row)
    return individual_detail(tx, row)


def check_individual_registration(tx, unit_id: object, data: dict) -> dict:
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


def _approved_unit(tx, unit_id: object):
    try:
        key = str(uuid.UUID(str(unit_id)))
    except ValueError:
        raise InvalidInput.field("unit_id", "individual.unit_not_approved", "所选单位不存在或尚未审核通过") from None
    unit = tx.session.execute(select(units).where(units.c.id == key)).mappings().first()
    if unit is None or unit["status"] != APPROVED:
        raise InvalidInput.field("unit_id", "individual.unit_not_approved", "所选单位不存在或尚未审核通过")
    return unit


def individual_detail(tx, row) -> dict:
    """The full view with the proof materials (证明材料) and every round of the unit's review."""
    return {**views.individual_view(row, full=True),
            "attachments": records.views_of(tx, attachments, row["attachment_ids"] or []),
            "history": unit_registration.history_of(tx, "individual", [row["id"]])}


def resubmit_individual(tx, data: dict) -> dict:
    """A returned registration, corrected, goes back to the unit. Emits ``individual.resubmitted``."""
    row = _own_registration(tx, lock=True)
    status = REVIEW.next(row["status"], "resubmit")
    reg = check_registration(data, tx.clock.today_local())
    ids = records.check_ids(data.get("attachment_ids"))
    _check_id_number_free(tx, reg, except_id=row["id"])
    records.link(tx, attachments, ids, kinds=PROOF_KINDS, subject_type="individual", subject_id=row["id"])
    tx.session.execute(update(individuals).where(individuals.c.id == row["id"]).values(
        **_registration_values(reg), status=status, round=row["round"] + 1, attachment_ids=ids, updated_at=tx.now))
    after = _individual(tx, row["id"])
    unit_registration.history(tx, "individual", row["id"], after["round"], "resubmitted",
                              data=views.audit_view(after))
    tx.audit("individual.resubmit", "individual", row["id"], before=views.audit_view(row),
             after=views.audit_view(after), region=row["region"])
    _emit_person(tx, "individual.resubmitted", after)
    return individual_detail(tx, after)


def my_registration(tx) -> dict:
    """The caller's own registration, in full."""
    return individual_detail(tx, _own_registration(tx))


# -- the unit's review (审核通过 / 退回修改 / 一键审核通过) -------------------------------------------
def _unit_individual(tx, individual_id: str):
    """An individual of the clerk's own unit, locked for a decision; any other is 404."""
    row = _individual(tx, individual_id, lock=True)
    if row["unit_id"] != tx.principal.unit_id:
        raise _individual_not_found()
    return row


def _decide(tx, row, action: str, opinion: str | None) -> dict:
    status = REVIEW.next(row["status"], action)
    tx.session.execute(update(individuals).where(individuals.c.id == row["id"]).values(
        status=status, opinion=opinion, updated_at=tx.now,
        approved_at=tx.now if status == APPROVED else row["approved_at"]))
    after = _individual(tx, row["id"])
    unit_registration.history(tx, "individual", row["id"], row["round"],
                              "approved" if status == APPROVED else "returned", opinion=opinion)
    tx.audit(f"individual.{action}", "individual", row["id"], before=views.audit_view(row),
             after=views.audit_view(after), region=row["region"])
    _emit_person(tx, "individual.approved" if status == APPROVED else "individual.returned", after)
    return views.individual_view(after, full=False)


def approve_individual(tx, individual_id: str, opinion: str | None = None) -> dict:
    """审核通过. Emits ``individual.approved`` with what subsidy_review keeps of the person."""
    row = _unit_individual(tx, individual_id)
    return _decide(tx, row, "approve", check_opinion(opinion, required=False))


def return_individual(tx, individual_id: str, opinion: str) -> dict:
    """退回修改, with the reason. Emits ``individual.returned``."""
    row = _unit_individual(tx, individual_id)
    return _decide(tx, row, "return", check_opinion(opinion, required=True))


def approve_all_individuals(tx, individual_ids: list[str] | None = None) -> dict:
    """一键审核通过: every pending registration of the clerk's unit, or only the ticked ones when
    ``individual_ids`` is given (what the clerk saw, so a registration arriving meanwhile waits)."""
    stmt = INDIVIDUAL.where(individuals.c.unit_id == tx.principal.unit_id)
    if individual_ids is not None:
        if (not isinstance(individual_ids, list) or not individual_ids or len(individual_ids) > MAX_BULK
                or not all(isinstance(i, str) for i in individual_ids)):
            raise InvalidInput.field("individual_ids", "individual.ids_invalid", f"请选择1-{MAX_BULK}条注册信息")
        stmt = stmt.where(individuals.c.id.in_(set(individual_ids)))
    else:
        stmt = stmt.where(individuals.c.status == PENDING)
    rows = tx.session.execute(stmt.order_by(individuals.c.created_at, individuals.c.id)
                              .with_for_update(of=individuals)).mappings().all()
    if individual_ids is not None and len(rows) != len(set(individual_ids)):
        raise _individual_not_found()
    approved = [_decide(tx, row, "approve", None)["id"] for row in rows if row["status"] == PENDING]
    return {"approved": len(approved), "individual_ids": approved}


# -- reading people ------------------------------------------------------------------------------
def list_individuals(tx, filters: dict, page: Any, page_size: Any) -> dict:
    """The unit's people (unit clerk) or the county's (county HRSS); ID numbers and mobiles masked."""
    p = tx.principal
    stmt = INDIVIDUAL
    if p.role == Role.UNIT_ADMIN:
        stmt = stmt.where(individuals.c.unit_id == p.unit_id)
    else:
        stmt = stmt.where(units.c.region.in_(_jurisdiction(p)))
        if filters.get("unit_id"):
            stmt = stmt.where(individuals.c.unit_id == str(filters["unit_id"]))
    status = check_status_filter(filters.get("status"))
    if status:
        stmt = stmt.where(individuals.c.status == status)
    if filters.get("q"):
        pattern = like_pattern(str(filters["q"]))
        stmt = stmt.where(or_(individuals.c.name.ilike(pattern), individuals.c.id_number.ilike(pattern)))
    stmt = stmt.order_by(individuals.c.created_at.desc(), individuals.c.id)
    return paginate(tx.session, stmt, page, page_size, lambda r: views.individual_view(r._mapping, full=False))


def get_individual(tx, individual_id: str) -> dict:
    """The detail view, unmasked: the read itself is audited (``individual.read``)."""
    row = _individual(tx, individual_id)
    if not _visible(tx, row):
        raise _individual_not_found()
    tx.audit("individual.read", "individual", row["id"], region=row["region"])
    return individual_detail(tx, row)


# -- units ---------------------------------------------------------------------------------------
def _jurisdiction(principal) -> list[str]:
    """The county codes an officer's units may lie in: its county, or every county of its city."""
    if LEVELS.get(principal.role) == "county":
        return [principal.region]
    return sorted({principal.region, *(r.code for r in regions.counties_of(principal.region or ""))})


def _unit_detail(tx, row) -> dict:
    counts = dict(tx.session.execute(select(individuals.c.status, func.count()).where(
        individuals.c.unit_id == row["id"]).group_by(individuals.c.status)).all())
    return {**unit_registration.unit_detail(tx, row),
            "individual_counts": {s: counts.get(s, 0) for s in (PENDING, APPROVED, RETURNED)}}


def get_unit(tx, unit_id: str) -> dict:
    """A unit: its own clerks, or an officer of its 主管部门's county (or city)."""
    row = unit_registration._unit(tx, unit_id)
    if not unit_registration.may_see_unit(tx, row):
        raise _unit_not_found()
    return _unit_detail(tx, row)


def my_unit(tx) -> dict:
    """The clerk's own unit (pending, returned or approved: the clerk sees its status and opinion)."""
    row = tx.session.execute(select(units).where(units.c.id == (tx.principal.unit_id or ""))).mappings().first()
    if row is None:
        raise NotFound("本单位尚未提交注册信息", code="unit.not_registered")
    return _unit_detail(tx, row)


def list_units(tx, filters: dict, page: Any, page_size: Any) -> dict:
    """Units whose 主管部门 is the officer's county (or a county of its city), by status, name or USCC."""
    stmt = select(units).where(units.c.supervisor_region.in_(_jurisdiction(tx.principal)))
    status = check_status_filter(filters.get("status"))
    if status:
        stmt = stmt.where(units.c.status == status)
    if filters.get("region"):
        stmt = stmt.where(units.c.region == validators.region_code(filters["region"]))
    if filters.get("q"):
        pattern = like_pattern(str(filters["q"]))
        stmt = stmt.where(or_(units.c.name.ilike(pattern), units.c.uscc.ilike(pattern)))
    stmt = stmt.order_by(units.c.created_at.desc(), units.c.id)
    return paginate(tx.session, stmt, page, page_size, lambda r: views.unit_view(r._mapping, full=False))


def list_approved_units(tx, region: str | None, q: str | None, page: Any, page_size: Any) -> dict:
    """Approved units a graduate may choose at registration (public): in a county, or a whole city."""
    stmt = select(units.c.id, units.c.name, units.c.region).where(units.c.status == APPROVED)
    if region:
        code = validators.region_code(region)
        stmt = stmt.where(units.c.region.in_({code, *(r.code for r in regions.counties_of(code))}))
    if q:
        stmt = stmt.where(units.c.name.ilike(like_pattern(str(q))))
    stmt = stmt.order_by(units.c.region, units.c.name, units.c.id)
    return paginate(tx.session, stmt, page, page_size, lambda r: views.public_unit_view(r._mapping))


# -- to-dos (您有【N】个…待审核) -----------------------------------------------------------------------
def todos(tx) -> list[dict]:
    """The clerk's pending individual registrations; other roles have none here."""
    p = tx.principal
    if p.role == Role.COUNTY_HRSS:
        return unit_registration.county_todos(tx)
    if p.role != Role.UNIT_ADMIN:
        return []
    count = tx.session.execute(select(func.count()).select_from(individuals).where(
        individuals.c.unit_id == p.unit_id, individuals.c.status == PENDING)).scalar_one()
    return [{"key": "individuals.pending_review", "count": count,
             "label": f"您有【{count}】个个人注册账号待审核", "href": "/portal/individuals?status=pending"}]


# -- demo data: people already registered and approved before the platform ------------------------------
def import_approved_individual(tx, spec: dict) -> bool:
    """Create an approved individual with a fixed id unless it exists; emits ``individual.approved``."""
    if tx.session.execute(select(individuals.c.id).where(individuals.c.id == spec["id"])).first():
        return False
    reg = check_registration(spec, tx.clock.today_local())
    _insert_individual(tx, reg, individual_id=spec["id"], account_id=spec["account_id"], unit_id=spec["unit_id"],
                       status=APPROVED)
    row = _individual(tx, spec["id"])
    tx.audit("individual.import", "individual", row["id"], after=views.audit_view(row), region=row["region"])
    _emit_person(tx, "individual.approved", row)
    return True
