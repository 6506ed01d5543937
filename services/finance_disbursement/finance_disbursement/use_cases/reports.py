"""Counters and statistics of the finance bureaux and the individual."""
from __future__ import annotations

from typing import Any

from finance_disbursement import views
from finance_disbursement.adapters import queries
from finance_disbursement.adapters.orm import clawbacks, county_transfers, disbursement_batches, items, payments
from finance_disbursement.domain.rules import check_filters
from finance_disbursement.domain.workflows import ITEM, RELEASABLE_BATCH
from shared.auth.roles import Role
from shared.jurisdiction import within
from shared.service import Tx


def statistics(tx: Tx, filters: Any) -> dict:
    """资金拨付查询统计: counts and amounts per county and status, within the caller's jurisdiction (a
    unit's operator: its own people only)."""
    wanted = check_filters(filters, {"county": None, "batch_id": None, "status": ITEM.statuses()})
    conditions = [within(tx.principal, county=items.c.county, city=items.c.city, unit=items.c.unit_id)]
    if wanted.get("county"):
        tx.principal.check_region(wanted["county"])
        conditions.append(items.c.county == wanted["county"])
    if wanted.get("batch_id"):
        conditions.append(items.c.batch_id == wanted["batch_id"])
    if wanted.get("status"):
        conditions.append(items.c.status == wanted["status"])
    return views.statistics(queries.statistics_rows(tx.session, *conditions))


def reconciliation(tx: Tx, filters: Any) -> dict:
    """对账 per batch and county of what city finance released (city finance: its city; county finance:
    its county): released = paid + failed + pending + returned, clawbacks apart."""
    wanted = check_filters(filters, {"county": None, "batch_id": None})
    item_conditions = [within(tx.principal, county=items.c.county, city=items.c.city)]
    clawback_conditions = [within(tx.principal, county=clawbacks.c.county, city=clawbacks.c.city)]
    if wanted.get("county"):
        tx.principal.check_region(wanted["county"])
        item_conditions.append(items.c.county == wanted["county"])
        clawback_conditions.append(clawbacks.c.county == wanted["county"])
    if wanted.get("batch_id"):
        item_conditions.append(items.c.batch_id == wanted["batch_id"])
        clawback_conditions.append(clawbacks.c.batch_id == wanted["batch_id"])
    return views.reconciliation(queries.reconciliation_rows(tx.session, *item_conditions),
                                queries.clawback_rows(tx.session, *clawback_conditions))


def todos(tx: Tx) -> list[dict]:
    """The caller's to-do counter in this service (none for roles it does not serve)."""
    principal = tx.principal
    if principal.role == Role.CITY_FINANCE:
        batches = queries.rows(tx.session, [disbursement_batches.c.city, disbursement_batches.c.status,
                                            disbursement_batches.c.received_at],
                               disbursement_batches.c.city == principal.region,
                               disbursement_batches.c.status.in_(RELEASABLE_BATCH))
        n = len(batches)
        # waits: what the counter counts, for its 其中超时 (the gateway hands it to the stage clocks)
        return [{"key": "finance.batches_ready", "count": n, "label": f"您有【{n}】个汇总批次待拨付",
                 "href": "/portal/disbursement-batches?status=ready",
                 "waits": [w for w in map(views.batch_waiting, batches) if w]}]
    if principal.role == Role.COUNTY_FINANCE:
        transfers = queries.rows(tx.session, [county_transfers.c.city, county_transfers.c.status,
                                              county_transfers.c.released_at],
                                 county_transfers.c.county == principal.region,
                                 county_transfers.c.status.in_(("released", "received")))
        arriving = [t for t in transfers if t["status"] == "released"]
        to_pay = [t for t in transfers if t["status"] == "received"]
        a, n = len(arriving), len(to_pay)
        failed = queries.count(tx.session, items.c.county == principal.region, items.c.status == "payment_failed")
        return [{"key": "finance.transfers_to_confirm", "count": a, "label": f"您有【{a}】笔拨款待确认到账",
                 "href": "/portal/county-transfers?status=released",
                 "waits": [w for w in map(views.transfer_waiting, arriving) if w]},
                {"key": "finance.transfers_to_pay", "count": n, "label": f"您有【{n}】笔拨付待支付到个人",
                 "href": "/portal/county-transfers?status=received",
                 "waits": [w for w in map(views.transfer_waiting, to_pay) if w]},
                {"key": "finance.payments_failed", "count": failed, "label": f"您有【{failed}】笔支付失败待处理",
                 "href": "/portal/failed-payments", "application_statuses": ["payment_failed"]}]
    if principal.role == Role.INDIVIDUAL:
        n = queries.count(tx.session, payments.c.account_id == principal.account_id, payments.c.status == "paid")
        return [{"key": "finance.receipt_to_confirm", "count": n, "label": f"您有【{n}】笔补助待确认收款",
                 "href": "/portal/payments?status=paid"}]
    return []
