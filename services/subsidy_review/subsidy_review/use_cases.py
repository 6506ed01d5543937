"""subsidy_review's use cases: stages 1-4 of an application, its timeline across all 13 stages, and
the copies of units and applicants kept from unit_registry's events."""
from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from shared import attachment_records as records
from shared import contracts, jobs, regions, validators
from shared.auth.roles import Role
from shared.clock import to_local
from shared.contracts.statuses import DEGREES, STAGE_NAMES, status_label
from shared.errors import Conflict, Forbidden, InvalidInput, NotFound
from shared.pagination import like_pattern, paginate
from shared.validators import mask_id, mask_mobile
from subsidy_review.adapters.orm import applicants, applications, attachments, counters, policies, timeline, units
from subsidy_review.domain.application import amount_fen, check_submission, optional_opinion, require_opinion
from subsidy_review.domain.workflow import ACTIVE, REVIEW, mirrored_status

COUNTY_ROLES = {Role.COUNTY_HRSS, Role.COUNTY_ORG, Role.COUNTY_FINANCE}
CITY_ROLES = {Role.CITY_HRSS, Role.CITY_ORG, Role.CITY_FINANCE}
BULK_APPROVE = "applications.bulk_approve_and_report"


# --- reading --------------------------------------------------------------------------------------
def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def serialize(row, *, detail: bool = False) -> dict:
    r = row._mapping if hasattr(row, "_mapping") else row
    item = {
        "id": r["id"], "application_no": r["application_no"], "applicant_name": r["applicant_name"],
        "id_type": r["id_type"], "id_number": r["id_number"] if detail else mask_id(r["id_number"]),
        "unit_id": r["unit_id"], "unit_name": r["unit_name"], "county": r["county"],
        "county_name": regions.name_of(r["county"]), "city": r["city"], "degree": r["degree"],
        "degree_label": DEGREES.get(r["degree"], r["degree"]), "start_date": _iso(r["start_date"]),
        "months": r["months"], "standard_fen": r["standard_fen"], "amount_fen": r["amount_fen"],
        "status": r["status"], "status_label": status_label(r["status"]), "round": r["round"],
        "opinion": r["opinion"], "submitted_at": _iso(r["submitted_at"]), "reported_at": _iso(r["reported_at"]),
        "updated_at": _iso(r["updated_at"]), "actions": REVIEW.actions_from(r["status"]),
    }
    if detail:
        bank = r["bank_account"]
        item.update({"mobile": r["mobile"], "work_history": r["work_history"] or [], "bank_account": bank,
                     "policy_version": r["policy_version"], "county_approved_at": _iso(r["county_approved_at"])})
    else:
        item["mobile"] = mask_mobile(r["mobile"]) if r["mobile"] else None
    return item


def _scoped(stmt, principal):
    """Only what the caller may see: their own, their unit's, their county's or their city's."""
    role = principal.role
    if role == Role.INDIVIDUAL:
        return stmt.where(applications.c.account_id == principal.account_id)
    if role == Role.UNIT_ADMIN:
        return stmt.where(applications.c.unit_id == principal.unit_id)
    if role in COUNTY_ROLES:
        return stmt.where(applications.c.county == principal.region)
    if role in CITY_ROLES:
        return stmt.where(applications.c.city == principal.region)
    if role == Role.SYS_ADMIN:
        return stmt
    raise Forbidden()


def _load(tx, application_id: str, *, lock: bool = False):
    try:
        uuid.UUID(str(application_id))
    except ValueError:
        raise NotFound("申请不存在", code="application.not_found") from None
    stmt = _scoped(select(applications).where(applications.c.id == str(application_id)), tx.principal)
    if lock:
        stmt = stmt.with_for_update()
    row = tx.session.execute(stmt).mappings().first()
    if row is None:
        raise NotFound("申请不存在或不在您的管辖范围内", code="application.not_found")
    return row


def get_application(tx, application_id: str) -> dict:
    row = _load(tx, application_id)
    if tx.principal.role not in (Role.INDIVIDUAL,):  # an officer reading personal data is on record
        tx.audit("application.read", "application", row["id"], region=row["county"])
    item = serialize(row, detail=True)
    item["attachments"] = (records.views_of(tx, attachments, row["attachment_ids"] or [])
                           if tx.principal.role in MATERIAL_READERS else [])
    return item


# --- 申请材料: attachments of applications -------------------------------------------------------------
#: who sees an application's materials (stages 1-8 within their jurisdiction): the applicant, the unit,
#: the county HRSS (review, publicity, assessment) and the county organisation department
MATERIAL_READERS = (Role.INDIVIDUAL, Role.UNIT_ADMIN, Role.COUNTY_HRSS, Role.COUNTY_ORG)
MATERIAL_KINDS = ("application_material",)


def record_attachment(tx, meta: dict) -> dict:
    """Keep the record of an application material the graduate has just uploaded."""
    return records.record(tx, attachments, meta, service="subsidy_review")


def _may_read_material(tx, subject_type: str, subject_id: str) -> bool:
    if subject_type != "application" or tx.principal.role not in MATERIAL_READERS:
        return False
    stmt = _scoped(select(applications.c.id).where(applications.c.id == subject_id), tx.principal)
    return tx.session.execute(stmt).first() is not None


def attachment_for_download(tx, attachment_id: str) -> dict:
    """An application material for the applicant, the unit, the county HRSS or the county org (404 else)."""
    return records.for_download(tx, attachments, attachment_id, lambda t, i: _may_read_material(tx, t, i))


def _link_materials(tx, application_id: str, data: dict) -> list[str]:
    ids = records.check_ids(data.get("attachment_ids"))
    records.link(tx, attachments, ids, kinds=MATERIAL_KINDS, subject_type="application", subject_id=application_id)
    return ids


def list_applications(tx, filters: dict, page: Any, page_size: Any) -> dict:
    stmt = _scoped(select(applications), tx.principal)
    if filters.get("status"):
        wanted = filters["status"] if isinstance(filters["status"], list) else str(filters["status"]).split(",")
        stmt = stmt.where(applications.c.status.in_(wanted))
    if filters.get("unit_id"):
        stmt = stmt.where(applications.c.unit_id == filters["unit_id"])
    if filters.get("county"):
        stmt = stmt.where(applications.c.county == filters["county"])
    if filters.get("degree"):
        stmt = stmt.where(applications.c.degree == filters["degree"])
    if filters.get("q"):
        pattern = like_pattern(filters["q"])
        stmt = stmt.where(or_(applications.c.applicant_name.ilike(pattern), applications.c.id_number.ilike(pattern),
                              applications.c.application_no.ilike(pattern)))
    stmt = stmt.order_by(applications.c.updated_at.desc(), applications.c.id)
    return paginate(tx.session, stmt, page, page_size, lambda r: serialize(r._mapping))


def get_timeline(tx, application_id: str) -> dict:
    """The application's path: the 13 stages, each with its latest actor, time and opinion, and the full
    history (returns and repeated rounds included)."""
    app = _load(tx, application_id)
    entries = [dict(r) for r in tx.session.execute(
        select(timeline).where(timeline.c.application_id == app["id"]).order_by(timeline.c.at, timeline.c.id)
    ).mappings()]
    history = [{
        "stage": e["stage"], "stage_name": STAGE_NAMES.get(e["stage"], ""), "event_type": e["event_type"],
        "description": contracts.get(e["event_type"]).description, "status": e["status"],
        "status_label": status_label(e["status"]) if e["status"] else None, "round": e["round"],
        "actor_role": e["actor_role"], "actor_name": e["actor_name"], "opinion": e["opinion"], "at": _iso(e["at"]),
    } for e in entries]
    stages = []
    for number, name in STAGE_NAMES.items():
        latest = next((h for h in reversed(history) if h["stage"] == number), None)
        stages.append({"stage": number, "name": name, "done": latest is not None,
                       "actor_role": latest and latest["actor_role"], "actor_name": latest and latest["actor_name"],
                       "at": latest and latest["at"], "opinion": latest and latest["opinion"],
                       "description": latest and latest["description"]})
    return {"application": serialize(app), "stages": stages, "history": history}


# --- events and the timeline ------------------------------------------------------------------------
def app_ref(row, **extra) -> dict:
    data = {"application_id": row["id"], "application_no": row["application_no"], "county": row["county"],
            "city": row["city"], "unit_id": row["unit_id"], "status": row["status"],
            "applicant_name": row["applicant_name"], "unit_name": row["unit_name"], "amount_fen": row["amount_fen"],
            "round": max(1, row["round"])}
    data.update({k: v for k, v in extra.items() if v is not None})
    return data


def snapshot(row) -> dict:
    data = {
        "application_no": row["application_no"], "applicant_name": row["applicant_name"], "id_type": row["id_type"],
        "id_number": row["id_number"], "unit_id": row["unit_id"], "unit_name": row["unit_name"],
        "county": row["county"], "city": row["city"], "degree": row["degree"],
        "degree_label": DEGREES.get(row["degree"], row["degree"]), "start_date": row["start_date"].isoformat(),
        "months": row["months"], "standard_fen": row["standard_fen"], "amount_fen": row["amount_fen"],
        "individual_id": row["individual_id"], "account_id": row["account_id"], "mobile": row["mobile"],
        "policy_version": row["policy_version"], "round": max(1, row["round"]),
        "submitted_at": _iso(row["submitted_at"]),
        # 申请材料 by id: later stages show them; downloads are authorised here (attachment_for_download)
        "attachment_ids": list(row["attachment_ids"] or []),
    }
    if row["bank_account"]:
        data["bank_account"] = row["bank_account"]
    return {k: v for k, v in data.items() if v is not None}


def _record(tx, row, event, *, opinion: str | None = None) -> None:
    """Append one timeline entry for ``event`` (an Envelope) of application ``row``."""
    contract = contracts.get(event.type)
    actor = event.actor or {}
    tx.session.execute(pg_insert(timeline).values(
        application_id=row["id"], stage=contract.stage or 13, event_type=event.type, status=event.data.get("status"),
        round=int(event.data.get("round") or max(1, row["round"])), actor_role=actor.get("role"),
        actor_account=actor.get("account_id"), actor_name=actor.get("name"),
        opinion=opinion if opinion is not None else event.data.get("opinion"), event_id=event.id,
        at=event.time).on_conflict_do_nothing(index_elements=["event_id"]))


def _change(tx, row, action: str, event_type: str, *, opinion: str | None = None, values: dict | None = None,
            with_snapshot: bool = False, audit_action: str | None = None) -> dict:
    """Move the application through ``action`` of its workflow: update, audit, event, timeline."""
    new_status = REVIEW.next(row["status"], action)
    before = {"status": row["status"]}
    updates = {"status": new_status, "updated_at": tx.now, "opinion": opinion, **(values or {})}
    tx.session.execute(update(applications).where(applications.c.id == row["id"]).values(**updates))
    after = tx.session.execute(select(applications).where(applications.c.id == row["id"])).mappings().one()
    data = app_ref(after, opinion=opinion)
    if with_snapshot:
        data["snapshot"] = snapshot(after)
    event = tx.emit(event_type, subject=after["id"], region=after["county"], data=data)
    _record(tx, after, event, opinion=opinion)
    tx.audit(audit_action or f"application.{action}", "application", after["id"], before=before,
             after={"status": new_status, "opinion": opinion}, region=after["county"])
    return serialize(after)


# --- stage 1: the graduate ---------------------------------------------------------------------------
def _applicant(tx):
    row = tx.session.execute(select(applicants).where(
        applicants.c.account_id == tx.principal.account_id)).mappings().first()
    if row is None or row["status"] != "approved":
        raise Conflict("请先完成个人注册并经单位审核通过后再申报", code="applicant.not_registered")
    return row


def _policy(tx, city: str):
    row = tx.session.execute(select(policies).where(policies.c.city == city)).mappings().first()
    if row is None:
        raise Conflict("本市尚未设置补助标准，请联系市人社局", code="policy.missing")
    return row


def _next_application_no(tx, county: str) -> str:
    year = to_local(tx.now).year
    key = f"application:{county}:{year}"
    stmt = pg_insert(counters).values(key=key, value=1)
    stmt = stmt.on_conflict_do_update(index_elements=["key"], set_={"value": counters.c.value + 1})
    value = tx.session.execute(stmt.returning(counters.c.value)).scalar_one()
    return f"BZ{county}{year}{value:06d}"


def submit_application(tx, data: dict) -> dict:
    """个人补助申请: amount = the city's standard for the degree × months (policy data)."""
    person = _applicant(tx)
    county = person["region"]
    city = regions.city_of(county) or county
    policy = _policy(tx, city)
    checked = check_submission(data, max_months=policy["max_months"], today=to_local(tx.now).date())
    active = tx.session.execute(select(applications.c.application_no).where(
        applications.c.individual_id == person["individual_id"], applications.c.status.in_(ACTIVE))).first()
    if active:
        raise Conflict(f"您已有办理中的申请（{active.application_no}），不能重复申报",
                       code="application.already_active")
    standard, total = amount_fen(policy["standards_fen"], checked["degree"], checked["months"])
    unit = tx.session.execute(select(units).where(units.c.id == person["unit_id"])).mappings().first()
    application_id = str(uuid.uuid4())
    material_ids = _link_materials(tx, application_id, data)
    tx.session.execute(applications.insert().values(
        id=application_id, application_no=_next_application_no(tx, county), individual_id=person["individual_id"],
        account_id=person["account_id"], unit_id=person["unit_id"],
        unit_name=(unit and unit["name"]) or person["unit_name"] or "", county=county, city=city,
        applicant_name=person["name"], id_type=person["id_type"], id_number=person["id_number"],
        mobile=person["mobile"], degree=checked["degree"], start_date=checked["start_date"],
        months=checked["months"], standard_fen=standard, amount_fen=total, policy_version=policy["version"],
        work_history=checked["work_history"], status="pending_unit_review", round=0, submitted_at=tx.now,
        created_at=tx.now, updated_at=tx.now, attachment_ids=material_ids))
    row = tx.session.execute(select(applications).where(applications.c.id == application_id)).mappings().one()
    event = tx.emit("application.submitted", subject=application_id, region=county,
                    data={**app_ref(row), "snapshot": snapshot(row)})
    _record(tx, row, event)
    tx.audit("application.submit", "application", application_id, after={"status": row["status"],
             "amount_fen": total}, region=county)
    return serialize(row, detail=True)


def resubmit_application(tx, application_id: str, data: dict) -> dict:
    """修改后再次提交 after a return by the unit or the county HRSS."""
    row = _load(tx, application_id, lock=True)
    REVIEW.next(row["status"], "resubmit")
    policy = _policy(tx, row["city"])
    checked = check_submission(data, max_months=policy["max_months"], today=to_local(tx.now).date())
    standard, total = amount_fen(policy["standards_fen"], checked["degree"], checked["months"])
    material_ids = _link_materials(tx, row["id"], data) if "attachment_ids" in data else row["attachment_ids"]
    return _change(tx, row, "resubmit", "application.resubmitted", with_snapshot=True, values={
        "attachment_ids": material_ids,
        "degree": checked["degree"], "start_date": checked["start_date"], "months": checked["months"],
        "standard_fen": standard, "amount_fen": total, "policy_version": policy["version"],
        "work_history": checked["work_history"], "submitted_at": tx.now})


def withdraw_application(tx, application_id: str) -> dict:
    row = _load(tx, application_id, lock=True)
    return _change(tx, row, "withdraw", "application.withdrawn")


# --- stages 2-4: unit and county HRSS ----------------------------------------------------------------
def approve(tx, application_id: str, opinion: str | None = None) -> dict:
    """审核通过: stage 2 for the unit clerk, stage 4 for the county HRSS (which freezes the bank account
    and hands the full snapshot to publicity)."""
    row = _load(tx, application_id, lock=True)
    opinion = optional_opinion(opinion)
    if tx.principal.role == Role.UNIT_ADMIN:
        return _change(tx, row, "unit_approve", "application.unit_approved", opinion=opinion)
    REVIEW.next(row["status"], "county_approve")
    person = tx.session.execute(select(applicants).where(
        applicants.c.individual_id == row["individual_id"])).mappings().first()
    bank = person and person["bank_account"]
    if not bank or not all(bank.get(k) for k in ("holder", "bank", "number")):
        raise Conflict("该申请人未登记银行账户，无法审核通过", code="applicant.bank_account_missing")
    return _change(tx, row, "county_approve", "application.county_approved", opinion=opinion, with_snapshot=True,
                   values={"round": row["round"] + 1, "bank_account": bank, "county_approved_at": tx.now})


def return_application(tx, application_id: str, opinion: str) -> dict:
    """退回修改 with the reviewer's opinion."""
    row = _load(tx, application_id, lock=True)
    opinion = require_opinion(opinion)
    if tx.principal.role == Role.UNIT_ADMIN:
        return _change(tx, row, "unit_return", "application.unit_returned", opinion=opinion)
    return _change(tx, row, "county_return", "application.county_returned", opinion=opinion)


def report(tx, application_ids: list[str]) -> dict:
    """上报至县人社局: the unit reports approved applications (all or nothing)."""
    if not application_ids:
        raise InvalidInput.field("application_ids", "application.none_selected", "请选择要上报的申请")
    reported = []
    for application_id in dict.fromkeys(application_ids):
        row = _load(tx, application_id, lock=True)
        reported.append(_change(tx, row, "report", "application.reported", values={"reported_at": tx.now}))
    return {"reported": len(reported), "items": reported}


def send_back(tx, application_id: str) -> dict:
    """退回到单位待审核."""
    row = _load(tx, application_id, lock=True)
    return _change(tx, row, "send_back", "application.sent_back_to_unit_review")


def bulk_approve_and_report(tx, application_ids: list[str] | None) -> dict:
    """一键审核通过: approve every pending application of the unit (or the ticked ones) and report them
    to the county HRSS, as a job with per-item outcomes."""
    stmt = select(applications.c.id).where(applications.c.unit_id == tx.principal.unit_id,
                                          applications.c.status == "pending_unit_review")
    if application_ids:
        ticked = [str(i) for i in application_ids]
        for application_id in ticked:  # another unit's (or an unknown) id is 404, as for a single approve
            _load(tx, application_id)
        stmt = stmt.where(applications.c.id.in_(ticked))
    ids = [r.id for r in tx.session.execute(stmt.order_by(applications.c.submitted_at))]
    if not ids:
        raise Conflict("没有待审核的申请", code="application.nothing_pending")
    return jobs.submit(tx, BULK_APPROVE, [{"application_id": i} for i in ids], region=None)


def bulk_item(tx, payload: dict) -> dict:
    row = _load(tx, payload["application_id"], lock=True)
    _change(tx, row, "unit_approve", "application.unit_approved")
    row = _load(tx, payload["application_id"], lock=True)
    result = _change(tx, row, "report", "application.reported", values={"reported_at": tx.now})
    return {"application_no": result["application_no"], "status": result["status"]}


def get_job(tx, job_id: str) -> dict:
    return jobs.get(tx.session, job_id, account_id=tx.principal.account_id, with_items=True, page_size=200)


# --- downstream stages: mirror and timeline ------------------------------------------------------------
def record_stage_event(tx, event) -> None:
    """A stage event of another authority: into the timeline, and the status mirror moves if it should."""
    data = event.data
    row = tx.session.execute(select(applications).where(
        applications.c.id == data["application_id"]).with_for_update()).mappings().first()
    if row is None:
        raise NotFound(f"unknown application {data['application_id']}", code="application.not_found")
    _record(tx, row, event)
    new_status = mirrored_status(row["status"], row["round"], event.type, data.get("status", ""), data.get("round"))
    if new_status is not None:
        values = {"status": new_status, "updated_at": tx.now}
        if data.get("opinion"):
            values["opinion"] = data["opinion"]
        tx.session.execute(update(applications).where(applications.c.id == row["id"]).values(**values))


# --- copies of units and applicants --------------------------------------------------------------------
def upsert_unit(tx, data: dict) -> None:
    values = {"name": data["name"], "uscc": data.get("uscc"), "region": data["region"],
              "status": data.get("status", "approved"), "updated_at": tx.now}
    tx.session.execute(pg_insert(units).values(id=data["unit_id"], **values)
                       .on_conflict_do_update(index_elements=["id"], set_=values))


def upsert_applicant(tx, data: dict, *, status: str = "approved") -> None:
    values = {"account_id": data.get("account_id"), "unit_id": data["unit_id"], "unit_name": data.get("unit_name"),
              "name": data["name"], "id_type": data["id_type"], "id_number": data["id_number"],
              "mobile": data.get("mobile"), "degree": data.get("degree"), "region": data["region"],
              "status": status, "bank_account": data.get("bank_account"), "updated_at": tx.now}
    tx.session.execute(pg_insert(applicants).values(individual_id=data["individual_id"], **values)
                       .on_conflict_do_update(index_elements=["individual_id"], set_=values))


def applicant_profile(tx) -> dict:
    """What the application form shows the graduate (their record as their unit approved it)."""
    row = tx.session.execute(select(applicants).where(
        applicants.c.account_id == tx.principal.account_id)).mappings().first()
    if row is None:
        return {"registered": False}
    return {"registered": row["status"] == "approved", "name": row["name"], "id_type": row["id_type"],
            "id_number": row["id_number"], "mobile": row["mobile"], "degree": row["degree"],
            "degree_label": DEGREES.get(row["degree"] or "", None), "unit_id": row["unit_id"],
            "unit_name": row["unit_name"], "region": row["region"], "has_bank_account": bool(row["bank_account"])}


# --- policy, counters, statistics -----------------------------------------------------------------------
def get_policy(tx, city: str) -> dict:
    code = validators.region_code(city, "city")
    row = tx.session.execute(select(policies).where(policies.c.city == code)).mappings().first()
    if row is None:
        raise NotFound("该地区尚未设置补助标准", code="policy.not_found")
    return {"city": row["city"], "version": row["version"], "effective_from": row["effective_from"].isoformat(),
            "standards_fen": row["standards_fen"], "max_months": row["max_months"],
            "degrees": [{"degree": k, "label": v, "standard_fen": row["standards_fen"].get(k)}
                        for k, v in DEGREES.items()]}


def set_policy(tx, city: str, standards_fen: dict, max_months: int, effective_from: str) -> dict:
    """Policy numbers are data: the admin sets them per city; each change is a new version."""
    if not regions.exists(city) or regions.city_of(city) != city:
        raise InvalidInput.field("city", "region.unknown", "请选择有效的地级市")
    if set(standards_fen) != set(DEGREES) or any(not isinstance(v, int) or v < 0 for v in standards_fen.values()):
        raise InvalidInput.field("standards_fen", "policy.standards_invalid", "请为每种学历填写补贴标准（分）")
    if not isinstance(max_months, int) or not 1 <= max_months <= 120:
        raise InvalidInput.field("max_months", "policy.max_months_invalid", "最长补贴月数应为1-120")
    start = date.fromisoformat(effective_from)
    current = tx.session.execute(select(policies).where(policies.c.city == city).with_for_update()).mappings().first()
    values = {"version": (current["version"] + 1) if current else 1, "effective_from": start,
              "standards_fen": standards_fen, "max_months": max_months, "updated_at": tx.now}
    tx.session.execute(pg_insert(policies).values(city=city, **values)
                       .on_conflict_do_update(index_elements=["city"], set_=values))
    tx.audit("policy.set", "policy", city, before=current and {"version": current["version"],
             "standards_fen": current["standards_fen"], "max_months": current["max_months"]},
             after={"version": values["version"], "standards_fen": standards_fen, "max_months": max_months})
    return get_policy(tx, city)


def todos(tx) -> list[dict]:
    role = tx.principal.role
    wanted: list[tuple[str, str, str]] = []
    if role == Role.UNIT_ADMIN:
        wanted = [("pending_unit_review", "applications.pending_unit_review", "您有【{n}】个大学生租房补助申请待审核"),
                  ("pending_report", "applications.pending_report", "您有【{n}】个大学生租房补助申请待上报")]
    elif role == Role.COUNTY_HRSS:
        wanted = [("pending_county_review", "applications.pending_county_review",
                   "您有【{n}】个大学生租房补助申请待审核")]
    elif role == Role.INDIVIDUAL:
        wanted = [("unit_returned,county_returned", "applications.returned", "您有【{n}】个补助申请被退回待修改")]
    result = []
    for statuses, key, label in wanted:
        stmt = _scoped(select(func.count()).select_from(applications), tx.principal).where(
            applications.c.status.in_(statuses.split(",")))
        count = tx.session.execute(stmt).scalar_one()
        result.append({"key": key, "count": count, "label": label.format(n=count),
                       "href": f"/portal/applications?status={statuses}"})
    return result


def statistics(tx, filters: dict) -> dict:
    """补助申报查询统计: counts and amounts per status (and per unit for officers), in scope."""
    stmt = _scoped(select(applications.c.status, applications.c.unit_name, func.count().label("count"),
                          func.coalesce(func.sum(applications.c.amount_fen), 0).label("amount_fen"))
                   .group_by(applications.c.status, applications.c.unit_name), tx.principal)
    if filters.get("county"):
        stmt = stmt.where(applications.c.county == filters["county"])
    rows = tx.session.execute(stmt).all()
    by_status: dict[str, dict] = {}
    for r in rows:
        entry = by_status.setdefault(r.status, {"status": r.status, "status_label": status_label(r.status),
                                                "count": 0, "amount_fen": 0})
        entry["count"] += r.count
        entry["amount_fen"] += int(r.amount_fen)
    return {"by_status": sorted(by_status.values(), key=lambda e: e["status"]),
            "total": {"count": sum(e["count"] for e in by_status.values()),
                      "amount_fen": sum(e["amount_fen"] for e in by_status.values())}}
