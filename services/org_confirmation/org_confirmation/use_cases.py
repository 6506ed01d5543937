"""org_confirmation's use cases. Each takes the unit of work (``tx``) first; the nameko class only
wires them. Every decision writes its audit rows and its events in the caller's transaction."""
from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from org_confirmation import views
from org_confirmation.adapters.orm import cases, city_batches
from org_confirmation.domain import batches as batch_rules
from org_confirmation.domain import cases as case_rules
from org_confirmation.domain.cases import (
    APPLICATION_STATUS,
    CASE_FLOW,
    CITY_AGGREGATED,
    COUNTY_ORG_CONFIRMED,
    PENDING_COUNTY_ORG,
    Arrival,
    check_application_ids,
    check_opinion,
)
from shared import regions
from shared.auth.roles import Role
from shared.clock import to_local
from shared.contracts.applications import round_of
from shared.errors import IllegalTransition, InvalidInput, NotFound
from shared.events import Envelope
from shared.pagination import like_pattern, paginate

if TYPE_CHECKING:
    from shared.service import Tx

log = logging.getLogger(__name__)


# --- stage 7 -> 8: the county HRSS reports an application to the county organisation department ---
def receive_report(tx: Tx, event: Envelope) -> Arrival:
    """Open a case for ``application.reported_to_county_org``, or reopen a returned one for a new
    round; a stale or repeated report (same or earlier round) changes nothing."""
    data = event.data
    snapshot = data["snapshot"]
    application_id = data["application_id"]
    incoming = round_of(data)
    row = _find_case(tx, application_id, lock=True)
    arrival = case_rules.arrival(row["status"] if row else None, row["round"] if row else None, incoming)
    if arrival is Arrival.IGNORE:
        log.info("report of %s round %s ignored: case is %s in round %s", application_id, incoming,
                 row["status"], row["round"])
        return arrival
    county = data["county"]
    values = {
        "round": incoming, "application_no": data["application_no"], "county": county,
        "city": regions.city_of(county) or data["city"], "unit_id": data["unit_id"],
        "unit_name": snapshot["unit_name"], "applicant_name": snapshot["applicant_name"],
        "degree": snapshot["degree"], "months": snapshot["months"], "amount_fen": snapshot["amount_fen"],
        "snapshot": snapshot, "status": PENDING_COUNTY_ORG, "city_batch_id": None, "opinion": None,
        "received_at": tx.now, "updated_at": tx.now,
    }
    if arrival is Arrival.OPEN:
        inserted = tx.session.execute(pg_insert(cases).values(application_id=application_id, **values)
                                      .on_conflict_do_nothing()).rowcount
        if not inserted:  # a concurrent delivery of another report of this application came first
            return Arrival.IGNORE
    else:
        tx.session.execute(update(cases).where(cases.c.application_id == application_id).values(**values))
    before = {"status": row["status"], "round": row["round"]} if row else None
    tx.audit(f"case.{arrival.value}", "case", application_id, before=before,
             after={"status": PENDING_COUNTY_ORG, "round": incoming}, region=county)
    return arrival


# --- stage 8: the county organisation department ---------------------------------------------------
def county_confirm(tx: Tx, application_ids: Any, opinion: Any = None) -> dict:
    """县区组织部确认 the ticked applications (all or none): pending_county_org -> county_org_confirmed."""
    ids = check_application_ids(application_ids)
    opinion = check_opinion(opinion, required=False)
    rows = _cases_for_decision(tx, ids)
    moves = [(row, _advance(row, "county_confirm")) for row in rows]
    for row, status in moves:
        _move(tx, row, status, "county_confirm", opinion=opinion)
        _emit_case(tx, "application.county_org_confirmed", row, status, opinion=opinion)
    return _decided(tx, ids)


def county_return(tx: Tx, application_id: str, opinion: Any) -> dict:
    """县区组织部退回 one application with an opinion: it goes back to the county HRSS review (stage 4)."""
    opinion = check_opinion(opinion, required=True)
    [row] = _cases_for_decision(tx, [str(application_id)])
    status = _advance(row, "county_return")
    _move(tx, row, status, "county_return", opinion=opinion)
    _emit_case(tx, "application.county_org_returned", row, status, opinion=opinion)
    return views.case(_load_case(tx, row["application_id"]))


# --- stage 9: the city HRSS aggregates --------------------------------------------------------------
def aggregate(tx: Tx, application_ids: Any) -> dict:
    """市人社局汇总: the ticked county-confirmed applications of the city form one city batch with
    totals per county; each application moves to city_aggregated."""
    ids = check_application_ids(application_ids)
    rows = _cases_for_decision(tx, ids)
    moves = [(row, _advance(row, "aggregate")) for row in rows]
    totals = batch_rules.totals((row["county"], row["amount_fen"]) for row in rows)
    city = tx.principal.region
    batch_id = str(uuid.uuid4())
    tx.session.execute(city_batches.insert().values(
        id=batch_id, batch_no=_next_batch_no(tx, city), city=city, count=totals.count,
        amount_fen=totals.amount_fen, counties=[c.as_dict() for c in totals.counties], application_ids=ids,
        status=batch_rules.AGGREGATED, created_by=tx.principal.account_id, created_by_name=tx.principal.name,
        created_at=tx.now))
    for row, status in moves:
        _move(tx, row, status, "aggregate", city_batch_id=batch_id)
        _emit_case(tx, "application.city_aggregated", row, status, batch_id=batch_id)
    batch = _find_batch(tx, batch_id)
    tx.emit("city_batch.aggregated", subject=batch_id, region=city,
            data={**_batch_event_data(batch), "application_ids": ids})
    tx.audit("city_batch.aggregate", "city_batch", batch_id, after=views.batch(batch), region=city)
    return get_batch(tx, batch_id)


# --- stage 10: the city organisation department decides on a batch ---------------------------------
def city_confirm(tx: Tx, batch_id: str, opinion: Any = None) -> dict:
    """市组织部确认 a batch: its applications go to city finance (each with its snapshot first, so
    finance has them all when ``city_batch.confirmed`` tells it the batch is complete)."""
    opinion = check_opinion(opinion, required=False)
    batch, status, moves = _batch_decision(tx, batch_id, "city_confirm")
    for row, case_status in moves:
        _move(tx, row, case_status, "city_confirm", opinion=opinion)
        _emit_case(tx, "application.city_org_confirmed", row, case_status, batch_id=batch["id"],
                   snapshot=row["snapshot"], opinion=opinion)
    _decide_batch(tx, batch, status, opinion)
    tx.emit("city_batch.confirmed", subject=batch["id"], region=batch["city"],
            data={**_batch_event_data(batch), "opinion": opinion})
    return get_batch(tx, batch["id"])


def city_return(tx: Tx, batch_id: str, opinion: Any) -> dict:
    """市组织部退回 a batch with an opinion: every application in it goes back to stage 4."""
    opinion = check_opinion(opinion, required=True)
    batch, status, moves = _batch_decision(tx, batch_id, "city_return")
    for row, case_status in moves:
        _move(tx, row, case_status, "city_return", opinion=opinion)
        _emit_case(tx, "application.city_org_returned", row, case_status, batch_id=batch["id"], opinion=opinion)
    _decide_batch(tx, batch, status, opinion)
    tx.emit("city_batch.returned", subject=batch["id"], region=batch["city"],
            data={**_batch_event_data(batch), "opinion": opinion})
    return get_batch(tx, batch["id"])


# --- reads -------------------------------------------------------------------------------------------
def list_cases(tx: Tx, filters: Any, page: Any, page_size: Any) -> dict:
    """Cases of the caller's county (county org) or city (city roles); the city HRSS sees the
    applications waiting for aggregation unless it asks for another status."""
    filters = _filters(filters)
    principal = tx.principal
    stmt = _case_query()
    if principal.role == Role.COUNTY_ORG:
        stmt = stmt.where(cases.c.county == principal.region)
    else:
        stmt = stmt.where(cases.c.city == principal.region)
    default = COUNTY_ORG_CONFIRMED if principal.role == Role.CITY_HRSS else None
    status = _status_filter(filters.get("status") or default, case_rules.STATUSES)
    if status:
        stmt = stmt.where(cases.c.status == status)
    if filters.get("county"):
        stmt = stmt.where(cases.c.county == str(filters["county"]))
    if filters.get("city_batch_id"):
        stmt = stmt.where(cases.c.city_batch_id == str(filters["city_batch_id"]))
    if filters.get("q"):
        pattern = like_pattern(str(filters["q"]))
        stmt = stmt.where(or_(cases.c.applicant_name.ilike(pattern), cases.c.application_no.ilike(pattern)))
    return paginate(tx.session, stmt.order_by(cases.c.received_at, cases.c.application_id), page, page_size,
                    lambda r: views.case(r._mapping))


def get_case(tx: Tx, application_id: str) -> dict:
    """One case with the applicant's data; the read of personal data is audited."""
    row = _load_case(tx, str(application_id))
    tx.audit("case.view", "case", row["application_id"], region=row["county"])
    return views.case_detail(row)


def list_batches(tx: Tx, filters: Any, page: Any, page_size: Any) -> dict:
    """The city batches of the caller's city, newest first."""
    filters = _filters(filters)
    stmt = select(city_batches).where(city_batches.c.city == tx.principal.region)
    status = _status_filter(filters.get("status"), batch_rules.STATUSES)
    if status:
        stmt = stmt.where(city_batches.c.status == status)
    if filters.get("q"):
        stmt = stmt.where(city_batches.c.batch_no.ilike(like_pattern(str(filters["q"]))))
    return paginate(tx.session, stmt.order_by(city_batches.c.created_at.desc(), city_batches.c.id), page,
                    page_size, lambda r: views.batch(r._mapping))


def get_batch(tx: Tx, batch_id: str) -> dict:
    """A city batch with its applications (as they stand now), ordered by county."""
    batch = _find_batch(tx, str(batch_id))
    if batch is None or not tx.principal.sees_region(batch["city"]):
        raise NotFound("汇总批次不存在或不在您的管辖范围内", code="city_batch.not_found")
    rows = tx.session.execute(_case_query().where(cases.c.application_id.in_(batch["application_ids"]))
                              .order_by(cases.c.county, cases.c.application_no)).mappings()
    return {**views.batch(batch), "cases": [views.case(r) for r in rows]}


def todos(tx: Tx) -> list[dict]:
    """The caller's to-do counter (您有【N】个…待…) for the portal's home page."""
    principal = tx.principal
    if principal.role == Role.COUNTY_ORG:
        count = _count(tx, select(func.count()).select_from(cases).where(
            cases.c.county == principal.region, cases.c.status == PENDING_COUNTY_ORG))
        return [_todo("org.county_pending", count, f"您有【{count}】个申请待确认",
                      "/portal/org-reviews?status=pending_county_org")]
    if principal.role == Role.CITY_HRSS:
        count = _count(tx, select(func.count()).select_from(cases).where(
            cases.c.city == principal.region, cases.c.status == COUNTY_ORG_CONFIRMED))
        return [_todo("org.to_aggregate", count, f"您有【{count}】个申请待汇总",
                      "/portal/org-reviews?status=county_org_confirmed")]
    if principal.role == Role.CITY_ORG:
        count = _count(tx, select(func.count()).select_from(city_batches).where(
            city_batches.c.city == principal.region, city_batches.c.status == batch_rules.AGGREGATED))
        return [_todo("org.batches_pending", count, f"您有【{count}】个汇总批次待确认",
                      "/portal/city-batches?status=aggregated")]
    return []


# --- helpers -----------------------------------------------------------------------------------------
def _todo(key: str, count: int, label: str, href: str) -> dict:
    return {"key": key, "count": count, "label": label, "href": href}


def _count(tx: Tx, stmt: Select) -> int:
    return int(tx.session.execute(stmt).scalar_one())


def _filters(filters: Any) -> Mapping[str, Any]:
    if filters is None:
        return {}
    if not isinstance(filters, Mapping):
        raise InvalidInput("查询条件格式不正确", code="filters.invalid")
    return filters


def _status_filter(status: Any, allowed: tuple[str, ...]) -> str | None:
    if not status:
        return None
    if status not in allowed:
        raise InvalidInput.field("status", "filters.status_invalid", "状态不正确")
    return status


def _case_query() -> Select:
    return select(cases, city_batches.c.batch_no.label("city_batch_no")).select_from(
        cases.outerjoin(city_batches, cases.c.city_batch_id == city_batches.c.id))


def _find_case(tx: Tx, application_id: str, *, lock: bool = False):
    stmt = select(cases).where(cases.c.application_id == application_id)
    if lock:
        stmt = stmt.with_for_update()
    return tx.session.execute(stmt).mappings().first()


def _case_not_found(application_id: str) -> NotFound:
    return NotFound("申请不存在或不在您的管辖范围内", code="case.not_found",
                    details={"application_id": application_id})


def _load_case(tx: Tx, application_id: str):
    row = tx.session.execute(_case_query().where(cases.c.application_id == application_id)).mappings().first()
    if row is None or not tx.principal.sees_region(row["county"]):
        raise _case_not_found(application_id)
    return row


def _cases_for_decision(tx: Tx, ids: list[str]) -> list:
    """The named cases, locked (in id order, so two clerks never deadlock), each within the caller's
    jurisdiction; one that is missing or outside it fails the whole action with 404."""
    found = {r["application_id"]: r for r in tx.session.execute(
        select(cases).where(cases.c.application_id.in_(ids)).order_by(cases.c.application_id)
        .with_for_update()).mappings()}
    for application_id in ids:
        row = found.get(application_id)
        if row is None or not tx.principal.sees_region(row["county"]):
            raise _case_not_found(application_id)
    return [found[i] for i in ids]


def _advance(row, action: str) -> str:
    """The case's status after ``action``, or 409 naming the application and its current status."""
    try:
        return CASE_FLOW.next(row["status"], action)
    except IllegalTransition as exc:
        label = case_rules.case_status_label(row["status"])
        raise IllegalTransition(f"申请{row['application_no']}当前状态为“{label}”，不能办理此操作", code=exc.code,
                                details={**exc.details, "application_id": row["application_id"]}) from None


def _advance_batch(batch, action: str) -> str:
    """The batch's status after ``action``, or 409 naming the batch and its current status."""
    try:
        return batch_rules.BATCH_FLOW.next(batch["status"], action)
    except IllegalTransition as exc:
        label = batch_rules.STATUS_LABELS[batch["status"]]
        raise IllegalTransition(f"汇总批次{batch['batch_no']}当前状态为“{label}”，不能办理此操作", code=exc.code,
                                details={**exc.details, "batch_id": batch["id"]}) from None


def _move(tx: Tx, row, status: str, action: str, **values: Any) -> None:
    tx.session.execute(update(cases).where(cases.c.application_id == row["application_id"])
                       .values(status=status, updated_at=tx.now, **values))
    tx.audit(f"case.{action}", "case", row["application_id"], before={"status": row["status"]},
             after={"status": status, **values}, region=row["county"])


def _emit_case(tx: Tx, event_type: str, row, status: str, **extra: Any) -> None:
    """A per-application event: the application's reference (APP_REF) plus what the stage adds."""
    tx.emit(event_type, subject=row["application_id"], region=row["county"], data={
        "application_id": row["application_id"], "application_no": row["application_no"],
        "county": row["county"], "city": row["city"], "unit_id": row["unit_id"],
        "status": APPLICATION_STATUS[status], "round": row["round"], "applicant_name": row["applicant_name"],
        "unit_name": row["unit_name"], "amount_fen": row["amount_fen"], **extra})


def _decided(tx: Tx, ids: list[str]) -> dict:
    rows = tx.session.execute(_case_query().where(cases.c.application_id.in_(ids))).mappings()
    by_id = {r["application_id"]: r for r in rows}
    return {"count": len(ids), "items": [views.case(by_id[i]) for i in ids]}


def _find_batch(tx: Tx, batch_id: str, *, lock: bool = False):
    stmt = select(city_batches).where(city_batches.c.id == batch_id)
    if lock:
        stmt = stmt.with_for_update()
    return tx.session.execute(stmt).mappings().first()


def _batch_decision(tx: Tx, batch_id: str, action: str) -> tuple[Any, str, list]:
    """Lock the batch and its cases and check that ``action`` is allowed for all of them."""
    batch = _find_batch(tx, str(batch_id), lock=True)
    if batch is None or not tx.principal.sees_region(batch["city"]):
        raise NotFound("汇总批次不存在或不在您的管辖范围内", code="city_batch.not_found")
    status = _advance_batch(batch, action)
    rows = tx.session.execute(select(cases).where(cases.c.city_batch_id == batch["id"],
                                                  cases.c.status == CITY_AGGREGATED)
                              .order_by(cases.c.application_id).with_for_update()).mappings().all()
    return batch, status, [(row, _advance(row, action)) for row in rows]


def _decide_batch(tx: Tx, batch, status: str, opinion: str | None) -> None:
    tx.session.execute(update(city_batches).where(city_batches.c.id == batch["id"]).values(
        status=status, opinion=opinion, decided_by=tx.principal.account_id, decided_by_name=tx.principal.name,
        decided_at=tx.now))
    tx.audit(f"city_batch.{status}", "city_batch", batch["id"], before={"status": batch["status"]},
             after={"status": status, "opinion": opinion}, region=batch["city"])


def _batch_event_data(batch) -> dict:
    return {"batch_id": batch["id"], "batch_no": batch["batch_no"], "city": batch["city"], "count": batch["count"],
            "amount_fen": batch["amount_fen"],
            "counties": [{"county": c["county"], "count": c["count"], "amount_fen": c["amount_fen"]}
                         for c in batch["counties"]]}


def _next_batch_no(tx: Tx, city: str) -> str:
    """The next ``HZ<city>-<local date>-NN``; a transaction lock per city and day keeps two
    simultaneous aggregations from drawing the same number."""
    day = to_local(tx.now).date()
    prefix = batch_rules.batch_no_prefix(city, day)
    tx.session.execute(select(func.pg_advisory_xact_lock(func.hashtext(prefix))))
    existing = tx.session.execute(select(city_batches.c.batch_no).where(
        city_batches.c.batch_no.like(prefix + "%"))).scalars().all()
    return batch_rules.batch_no(city, day, batch_rules.next_seq(existing, city, day))
