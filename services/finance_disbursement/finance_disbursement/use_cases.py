"""finance_disbursement's use cases. Each takes the unit of work (``tx``) first; the nameko class only
wires them. Stage 11: city finance releases a batch county by county; stage 12: county finance pays
each individual; stage 13: the individual confirms (or disputes) the receipt."""
from __future__ import annotations

import logging
import uuid
from typing import Any

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from finance_disbursement import views
from finance_disbursement.adapters import queries as q
from finance_disbursement.adapters.orm import county_transfers, disbursement_batches, items, payments
from finance_disbursement.domain.reconciliation import CountyTotal, Reconciliation, reconcile
from finance_disbursement.domain.rules import (
    NO_BANK_ACCOUNT,
    check_county_choice,
    check_filters,
    check_id,
    check_opinion,
    is_new_round,
    transfer_no,
)
from finance_disbursement.domain.workflows import (
    BATCH,
    ITEM,
    ITEM_APPLICATION_STATUS,
    PAYMENT,
    RELEASABLE_BATCH,
    TRANSFER,
    release_action,
)
from shared.auth.roles import Role
from shared.clock import to_local
from shared.contracts.applications import round_of
from shared.errors import Conflict, NotFound
from shared.events import Envelope
from shared.pagination import like_pattern, paginate

log = logging.getLogger(__name__)


# -- hand-offs from org_confirmation (events) ---------------------------------------------------------
def receive_application(tx, event: Envelope) -> None:
    """``application.city_org_confirmed``: keep the finance bureau's copy of the application's money.

    Keyed by (application, round): a repeat of a round already here, or an older round delivered late,
    is a no-op; the inbox has already dropped a repeat of the same event id.
    """
    data = event.data
    snapshot = data["snapshot"]
    round_ = round_of(data)
    q.advisory_lock(tx.session, f"application:{data['application_id']}")
    recorded = q.latest_round(tx.session, data["application_id"])
    if not is_new_round(round_, recorded):
        log.info("application %s round %s already recorded (round %s): ignored", data["application_id"],
                 round_, recorded)
        return
    batch_id = data["batch_id"]
    q.advisory_lock(tx.session, f"batch:{batch_id}")
    bank = snapshot.get("bank_account") or {}
    inserted = tx.session.execute(pg_insert(items).values(
        application_id=data["application_id"], round=round_, batch_id=batch_id,
        application_no=data["application_no"], county=data["county"], city=data["city"], unit_id=data["unit_id"],
        unit_name=snapshot["unit_name"], applicant_name=snapshot["applicant_name"],
        account_id=snapshot.get("account_id"), amount_fen=snapshot["amount_fen"], bank_holder=bank.get("holder"),
        bank_name=bank.get("bank"), bank_number=bank.get("number"), status="confirmed",
        received_at=tx.now, updated_at=tx.now).on_conflict_do_nothing()).rowcount
    if inserted:
        _settle_batch(tx, batch_id)


def receive_batch(tx, event: Envelope) -> None:
    """``city_batch.confirmed``: the batch's totals; it becomes 待拨付 once its applications add up."""
    data = event.data
    q.advisory_lock(tx.session, f"batch:{data['batch_id']}")
    inserted = tx.session.execute(pg_insert(disbursement_batches).values(
        id=data["batch_id"], batch_no=data["batch_no"], city=data["city"], expected_count=data["count"],
        amount_fen=data["amount_fen"], status="waiting_items", received_at=tx.now, updated_at=tx.now,
        counties=[{"county": c["county"], "count": c["count"], "amount_fen": c["amount_fen"]}
                  for c in data["counties"]]).on_conflict_do_nothing()).rowcount
    if inserted:
        _settle_batch(tx, data["batch_id"])


def _reconciliation(tx, batch: dict) -> Reconciliation:
    return reconcile(batch["expected_count"], batch["amount_fen"], q.batch_lines(batch),
                     q.arrived_by_county(tx.session, batch["id"]))


def _settle_batch(tx, batch_id: str) -> None:
    """Mark the batch ready when the batch and all its applications are here and agree (under the
    batch's advisory lock, so the last of several concurrent arrivals sees all the others)."""
    batch = q.one(tx.session, select(disbursement_batches).where(disbursement_batches.c.id == batch_id)
                  .with_for_update())
    if batch is None or batch["status"] != "waiting_items":
        return
    reconciliation = _reconciliation(tx, batch)
    if not reconciliation.ready:
        if reconciliation.complete:
            log.warning("batch %s does not add up: %s", batch["batch_no"],
                        [d.message for d in reconciliation.discrepancies])
        return
    status = BATCH.next(batch["status"], "items_complete")
    tx.session.execute(update(disbursement_batches).where(disbursement_batches.c.id == batch_id)
                       .values(status=status, ready_at=tx.now, updated_at=tx.now))
    tx.audit("disbursement_batch.ready", "disbursement_batch", batch_id, before={"status": batch["status"]},
             after={"status": status, **reconciliation.to_dict()}, region=batch["city"])


# -- per-application events ---------------------------------------------------------------------------
def _emit_for_item(tx, event_type: str, item: dict, status: str, **extra: Any) -> None:
    tx.emit(event_type, subject=item["application_id"], region=item["county"], data={
        "application_id": item["application_id"], "application_no": item["application_no"],
        "county": item["county"], "city": item["city"], "unit_id": item["unit_id"], "status": status,
        "round": item["round"], "applicant_name": item["applicant_name"], "unit_name": item["unit_name"],
        "amount_fen": item["amount_fen"], "batch_id": item["batch_id"], **extra})


def _move_item(tx, item: dict, action: str, **values: Any) -> str:
    status = ITEM.next(item["status"], action)
    tx.session.execute(update(items).where(items.c.application_id == item["application_id"],
                                           items.c.round == item["round"])
                       .values(status=status, updated_at=tx.now, **values))
    return status


# -- stage 11: city finance releases (市财政局确认拨付) ---------------------------------------------------
def _load_batch(tx, batch_id: Any, *, lock: bool = False) -> dict:
    stmt = select(disbursement_batches).where(disbursement_batches.c.id == check_id(batch_id, "batch_id"))
    batch = q.one(tx.session, stmt.with_for_update() if lock else stmt)
    if batch is None:
        raise NotFound("汇总批次不存在", code="disbursement_batch.not_found")
    tx.principal.check_region(batch["city"])
    return batch


def release(tx, batch_id: Any, county: Any = None) -> dict:
    """Release a ready batch's money to one county (or every county not yet released): one county
    transfer per county; its applications become 市财政局已拨付."""
    batch = _load_batch(tx, batch_id, lock=True)
    lines = [line for line in q.batch_lines(batch) if line.count > 0]
    chosen = check_county_choice(county, [line.county for line in lines])
    released = q.transfers_of_batch(tx.session, batch["id"])
    if chosen in released:
        raise Conflict("该县区本批次资金已拨付，不能重复拨付", code="disbursement_batch.county_already_released",
                       details={"county": chosen, "transfer_no": released[chosen]["transfer_no"]})
    targets = [chosen] if chosen else [line.county for line in lines if line.county not in released]
    action = release_action({line.county for line in lines}, set(released), set(targets))
    status = BATCH.next(batch["status"], action)  # 409 while waiting for applications, or all released
    reconciliation = _reconciliation(tx, batch)
    if not reconciliation.ready:  # an application that arrived after the batch was ready would be paid unchecked
        raise Conflict("汇总批次与到达的申请数据不符，暂不能拨付", code="disbursement_batch.discrepancy",
                       details={"discrepancies": [d.to_dict() for d in reconciliation.discrepancies]})
    created = [_release_county(tx, batch, county_) for county_ in targets]
    tx.session.execute(update(disbursement_batches).where(disbursement_batches.c.id == batch["id"])
                       .values(status=status, updated_at=tx.now))
    tx.audit("disbursement_batch.release", "disbursement_batch", batch["id"], before={"status": batch["status"]},
             after={"status": status, "counties": targets, "transfer_nos": [t["transfer_no"] for t in created]},
             region=batch["city"])
    return {**get_batch(tx, batch["id"]), "released_transfers": [views.transfer(t) for t in created]}


def _next_transfer_no(tx, county: str) -> str:
    day = to_local(tx.now).date()
    # numbers are per county and day; the lock keeps two batches released at once from taking the same
    q.advisory_lock(tx.session, f"transfer-no:{county}")
    prefix = transfer_no(county, day, 0)[:-2]
    return transfer_no(county, day, q.transfers_on_day(tx.session, county, prefix) + 1)


def _release_county(tx, batch: dict, county: str) -> dict:
    released = q.items_of(tx.session, items.c.batch_id == batch["id"], items.c.county == county,
                          items.c.status == "confirmed", lock=True)
    transfer = {"id": str(uuid.uuid4()), "transfer_no": _next_transfer_no(tx, county), "batch_id": batch["id"],
                "city": batch["city"], "county": county, "count": len(released),
                "amount_fen": sum(i["amount_fen"] for i in released), "status": "released",
                "released_by": tx.principal.account_id, "released_at": tx.now, "paid_by": None, "paid_at": None,
                "batch_no": batch["batch_no"]}
    tx.session.execute(insert(county_transfers).values(
        **{k: v for k, v in transfer.items() if k != "batch_no"}))
    for item in released:
        status = _move_item(tx, item, "release", transfer_id=transfer["id"])
        _emit_for_item(tx, "application.funds_released", item, ITEM_APPLICATION_STATUS[status],
                       transfer_id=transfer["id"])
    tx.emit("county_transfer.released", subject=transfer["id"], region=county, data={
        "transfer_id": transfer["id"], "transfer_no": transfer["transfer_no"], "city": batch["city"],
        "county": county, "batch_id": batch["id"], "batch_no": batch["batch_no"], "count": transfer["count"],
        "amount_fen": transfer["amount_fen"]})
    tx.audit("county_transfer.release", "county_transfer", transfer["id"], after={
        "transfer_no": transfer["transfer_no"], "batch_id": batch["id"], "count": transfer["count"],
        "amount_fen": transfer["amount_fen"], "application_ids": [i["application_id"] for i in released]},
        region=county)
    return transfer


def list_batches(tx, filters: Any, page: Any, page_size: Any) -> dict:
    """City finance's batches of its city, newest first; filters ``status`` (ready = 待拨付) and ``q``
    (batch number)."""
    f = check_filters(filters, {"status": BATCH.statuses(), "q": None})
    stmt = q.batch_list_stmt().where(disbursement_batches.c.city == tx.principal.region)
    if f.get("status"):
        stmt = stmt.where(disbursement_batches.c.status == f["status"])
    if f.get("q"):
        stmt = stmt.where(disbursement_batches.c.batch_no.ilike(like_pattern(f["q"])))
    stmt = stmt.order_by(disbursement_batches.c.received_at.desc(), disbursement_batches.c.id)
    return paginate(tx.session, stmt, page, page_size, views.batch)


def get_batch(tx, batch_id: Any) -> dict:
    """A batch with its county lines (announced, arrived, released), its reconciliation and items."""
    batch = _load_batch(tx, batch_id)
    summary = q.one(tx.session, q.batch_list_stmt().where(disbursement_batches.c.id == batch["id"]))
    arrived = {t.county: t for t in q.arrived_by_county(tx.session, batch["id"])}
    transfers = q.transfers_of_batch(tx.session, batch["id"])
    lines = q.batch_lines(batch)
    return {**views.batch(summary),
            "counties": [views.county_line(line, arrived.get(line.county, CountyTotal(line.county, 0, 0)),
                                           transfers.get(line.county)) for line in lines],
            "reconciliation": _reconciliation(tx, batch).to_dict(),
            "items": [views.item(i) for i in q.items_of(tx.session, items.c.batch_id == batch["id"])]}


# -- stage 12: county finance pays the individuals (县财政局拨付至个人) -------------------------------------
def _load_transfer(tx, transfer_id: Any, *, lock: bool = False) -> dict:
    stmt = q.transfer_list_stmt().where(county_transfers.c.id == check_id(transfer_id, "transfer_id"))
    transfer = q.one(tx.session, stmt.with_for_update(of=county_transfers) if lock else stmt)
    if transfer is None:
        raise NotFound("拨付单不存在", code="county_transfer.not_found")
    tx.principal.check_region(transfer["county"])
    return transfer


def pay(tx, transfer_id: Any) -> dict:
    """Pay every application of a released transfer to its bank account: one payment each, which the
    UNIQUE (application, round) of ``payments`` makes impossible to repeat."""
    transfer = _load_transfer(tx, transfer_id, lock=True)
    status = TRANSFER.next(transfer["status"], "pay")
    paid_on = to_local(tx.now).date()
    paid, failed = 0, 0
    for item in q.items_of(tx.session, items.c.transfer_id == transfer["id"], lock=True):
        if item["bank_number"] and item["bank_name"] and item["bank_holder"]:
            _pay_item(tx, transfer, item, paid_on)
            paid += 1
        else:
            _fail_item(tx, item, NO_BANK_ACCOUNT)
            failed += 1
    tx.session.execute(update(county_transfers).where(county_transfers.c.id == transfer["id"]).values(
        status=status, paid_by=tx.principal.account_id, paid_at=tx.now))
    tx.audit("county_transfer.pay", "county_transfer", transfer["id"], before={"status": transfer["status"]},
             after={"status": status, "paid_on": paid_on.isoformat(), "paid": paid, "failed": failed},
             region=transfer["county"])
    return _transfer_detail(tx, transfer["id"], full_bank=False)


def _pay_item(tx, transfer: dict, item: dict, paid_on) -> None:
    payment_id = str(uuid.uuid4())
    inserted = tx.session.execute(pg_insert(payments).values(
        id=payment_id, application_id=item["application_id"], round=item["round"], transfer_id=transfer["id"],
        account_id=item["account_id"], amount_fen=item["amount_fen"], bank_holder=item["bank_holder"],
        bank_name=item["bank_name"], bank_number=item["bank_number"], paid_on=paid_on,
        paid_by=tx.principal.account_id, paid_at=tx.now, status="paid",
    ).on_conflict_do_nothing(index_elements=["application_id", "round"])).rowcount
    if not inserted:  # the workflow should make this unreachable; the money must never go out twice
        raise Conflict("该申请本轮补助已支付，不能重复支付", code="payment.already_paid",
                       details={"application_no": item["application_no"], "round": item["round"]})
    status = _move_item(tx, item, "pay", payment_id=payment_id)
    _emit_for_item(tx, "application.paid", item, ITEM_APPLICATION_STATUS[status], payment_id=payment_id,
                   paid_on=paid_on.isoformat())


def _fail_item(tx, item: dict, reason: str) -> None:
    attempt_id = str(uuid.uuid4())  # names the failed attempt in the timeline; no money moved
    status = _move_item(tx, item, "fail_payment", payment_id=attempt_id, failure_reason=reason)
    _emit_for_item(tx, "application.payment_failed", item, ITEM_APPLICATION_STATUS[status],
                   payment_id=attempt_id, reason=reason)


def list_transfers(tx, filters: Any, page: Any, page_size: Any) -> dict:
    """County finance's transfers from city finance (待支付 = released)."""
    f = check_filters(filters, {"status": TRANSFER.statuses(), "batch_id": None, "q": None})
    stmt = q.transfer_list_stmt().where(county_transfers.c.county == tx.principal.region)
    if f.get("status"):
        stmt = stmt.where(county_transfers.c.status == f["status"])
    if f.get("batch_id"):
        stmt = stmt.where(county_transfers.c.batch_id == f["batch_id"])
    if f.get("q"):
        pattern = like_pattern(f["q"])
        stmt = stmt.where(or_(county_transfers.c.transfer_no.ilike(pattern),
                              disbursement_batches.c.batch_no.ilike(pattern)))
    stmt = stmt.order_by(county_transfers.c.released_at.desc(), county_transfers.c.id)
    return paginate(tx.session, stmt, page, page_size, views.transfer)


def _transfer_detail(tx, transfer_id: str, *, full_bank: bool) -> dict:
    transfer = q.one(tx.session, q.transfer_list_stmt().where(county_transfers.c.id == transfer_id))
    return {**views.transfer(transfer),
            "items": [views.item(i, full_bank=full_bank)
                      for i in q.items_of(tx.session, items.c.transfer_id == transfer_id)]}


def get_transfer(tx, transfer_id: Any) -> dict:
    """A transfer with its applications and their full bank accounts: the read is audited."""
    transfer = _load_transfer(tx, transfer_id)
    detail = _transfer_detail(tx, transfer["id"], full_bank=True)
    tx.audit("payment.bank_read", "county_transfer", transfer["id"],
             after={"application_ids": [i["application_id"] for i in detail["items"]]}, region=transfer["county"])
    return detail


# -- stage 13: the individual confirms the receipt (个人确认拨付) -------------------------------------------
def _load_own_payment(tx, payment_id: Any) -> dict:
    payment = q.one(tx.session, q.payment_list_stmt().where(payments.c.id == check_id(payment_id, "payment_id"))
                    .with_for_update(of=payments))
    if payment is None or payment["account_id"] != tx.principal.account_id:
        raise NotFound("补助拨付记录不存在", code="payment.not_found")
    return payment


def _answer_receipt(tx, payment_id: Any, action: str, opinion: str | None = None) -> dict:
    payment = _load_own_payment(tx, payment_id)
    status = PAYMENT.next(payment["status"], action)
    values: dict[str, Any] = {"status": status}
    if action == "confirm_receipt":
        values["confirmed_at"] = tx.now
    else:
        values.update(disputed_at=tx.now, dispute_opinion=opinion)
    tx.session.execute(update(payments).where(payments.c.id == payment["id"]).values(**values))
    [item] = q.items_of(tx.session, items.c.application_id == payment["application_id"],
                        items.c.round == payment["round"], lock=True)
    item_status = _move_item(tx, item, action)
    event_type = "application.receipt_confirmed" if action == "confirm_receipt" else "application.receipt_disputed"
    extra = {"opinion": opinion} if opinion else {}
    _emit_for_item(tx, event_type, item, ITEM_APPLICATION_STATUS[item_status], **extra)
    tx.audit(f"payment.{action}", "payment", payment["id"], before={"status": payment["status"]},
             after={"status": status, **extra}, region=item["county"])
    return views.payment(q.one(tx.session, q.payment_list_stmt().where(payments.c.id == payment["id"])))


def confirm_receipt(tx, payment_id: Any) -> dict:
    """The individual confirms the subsidy has reached their account (个人已确认收到)."""
    return _answer_receipt(tx, payment_id, "confirm_receipt")


def dispute_receipt(tx, payment_id: Any, opinion: Any) -> dict:
    """The individual reports the subsidy has not arrived, with an explanation (个人反馈未收到)."""
    return _answer_receipt(tx, payment_id, "dispute_receipt", check_opinion(opinion))


def my_payments(tx, filters: Any, page: Any, page_size: Any) -> dict:
    """The caller's own payments, newest first."""
    f = check_filters(filters, {"status": PAYMENT.statuses()})
    stmt = q.payment_list_stmt().where(payments.c.account_id == tx.principal.account_id)
    if f.get("status"):
        stmt = stmt.where(payments.c.status == f["status"])
    stmt = stmt.order_by(payments.c.paid_at.desc(), payments.c.id)
    return paginate(tx.session, stmt, page, page_size, views.payment)


# -- counters and statistics --------------------------------------------------------------------------------
def statistics(tx, filters: Any) -> dict:
    """资金拨付查询统计: counts and amounts per county and status, within the caller's jurisdiction."""
    f = check_filters(filters, {"county": None, "batch_id": None, "status": ITEM.statuses()})
    p = tx.principal
    conditions = [items.c.county == p.region if p.role == Role.COUNTY_FINANCE else items.c.city == p.region]
    if f.get("county"):
        p.check_region(f["county"])
        conditions.append(items.c.county == f["county"])
    if f.get("batch_id"):
        conditions.append(items.c.batch_id == f["batch_id"])
    if f.get("status"):
        conditions.append(items.c.status == f["status"])
    rows = tx.session.execute(
        select(items.c.county, items.c.status, func.count().label("count"), q.fen_sum(items.c.amount_fen).label("fen"))
        .where(*conditions).group_by(items.c.county, items.c.status).order_by(items.c.county, items.c.status))
    return views.statistics([(r.county, r.status, r.count, r.fen) for r in rows])


def todos(tx) -> list[dict]:
    """The caller's to-do counter in this service (none for roles it does not serve)."""
    p = tx.principal
    if p.role == Role.CITY_FINANCE:
        n = tx.session.execute(select(func.count()).where(
            disbursement_batches.c.city == p.region,
            disbursement_batches.c.status.in_(RELEASABLE_BATCH))).scalar_one()
        return [{"key": "finance.batches_ready", "count": n, "label": f"您有【{n}】个汇总批次待拨付",
                 "href": "/portal/disbursement-batches?status=ready"}]
    if p.role == Role.COUNTY_FINANCE:
        n = tx.session.execute(select(func.count()).where(
            county_transfers.c.county == p.region, county_transfers.c.status == "released")).scalar_one()
        return [{"key": "finance.transfers_to_pay", "count": n, "label": f"您有【{n}】笔拨付待支付到个人",
                 "href": "/portal/county-transfers?status=released"}]
    if p.role == Role.INDIVIDUAL:
        n = tx.session.execute(select(func.count()).where(
            payments.c.account_id == p.account_id, payments.c.status == "paid")).scalar_one()
        return [{"key": "finance.receipt_to_confirm", "count": n, "label": f"您有【{n}】笔补助待确认收款",
                 "href": "/portal/payments?status=paid"}]
    return []
