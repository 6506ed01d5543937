"""Counters and statistics of the finance bureaux and the individual."""
from __future__ import annotations

from typing import Any

from finance_disbursement import views
from finance_disbursement.adapters.repository import (
    BatchRepository,
    ClawbackRepository,
    ItemRepository,
    PaymentRepository,
    TransferRepository,
)
from finance_disbursement.domain.rules import check_filters
from finance_disbursement.domain.workflows import ITEM, RELEASABLE_BATCH
from shared.auth.roles import Role
from shared.service import Tx


def statistics(tx: Tx, filters: Any) -> dict:
    """资金拨付查询统计: counts and amounts per county and status, within the caller's jurisdiction (a
    unit's operator: its own people only)."""
    wanted = check_filters(filters, {"county": None, "batch_id": None, "status": ITEM.statuses()})
    if wanted.get("county"):
        tx.principal.check_region(wanted["county"])
    return views.statistics(tx.repository(ItemRepository).statistics(tx.principal, wanted))


def reconciliation(tx: Tx, filters: Any) -> dict:
    """对账 per batch and county of what city finance released (city finance: its city; county finance:
    its county): released = paid + failed + pending + returned, clawbacks apart."""
    wanted = check_filters(filters, {"county": None, "batch_id": None})
    if wanted.get("county"):
        tx.principal.check_region(wanted["county"])
    return views.reconciliation(tx.repository(ItemRepository).released_totals(tx.principal, wanted),
                                tx.repository(ClawbackRepository).totals(tx.principal, wanted))


def todos(tx: Tx) -> list[dict]:
    """The caller's to-do counter in this service (none for roles it does not serve)."""
    principal = tx.principal
    if principal.role == Role.CITY_FINANCE:
        batches = tx.repository(BatchRepository).waiting(principal.region, RELEASABLE_BATCH)
        n = len(batches)
        # waits: what the counter counts, for its 其中超时 (the gateway hands it to the stage clocks)
        return [{"key": "finance.batches_ready", "count": n, "label": f"您有【{n}】个汇总批次待拨付",
                 "href": "/portal/disbursement-batches?status=ready",
                 "waits": [w for w in map(views.batch_waiting, batches) if w]}]
    if principal.role == Role.COUNTY_FINANCE:
        transfers = tx.repository(TransferRepository).waiting(principal.region, ("released", "received"))
        arriving = [t for t in transfers if t["status"] == "released"]
        to_pay = [t for t in transfers if t["status"] == "received"]
        a, n = len(arriving), len(to_pay)
        failed = tx.repository(ItemRepository).count_in(principal.region, "payment_failed")
        return [{"key": "finance.transfers_to_confirm", "count": a, "label": f"您有【{a}】笔拨款待确认到账",
                 "href": "/portal/county-transfers?status=released",
                 "waits": [w for w in map(views.transfer_waiting, arriving) if w]},
                {"key": "finance.transfers_to_pay", "count": n, "label": f"您有【{n}】笔拨付待支付到个人",
                 "href": "/portal/county-transfers?status=received",
                 "waits": [w for w in map(views.transfer_waiting, to_pay) if w]},
                {"key": "finance.payments_failed", "count": failed, "label": f"您有【{failed}】笔支付失败待处理",
                 "href": "/portal/failed-payments", "application_statuses": ["payment_failed"]}]
    if principal.role == Role.INDIVIDUAL:
        n = tx.repository(PaymentRepository).count_of(principal.account_id, "paid")
        return [{"key": "finance.receipt_to_confirm", "count": n, "label": f"您有【{n}】笔补助待确认收款",
                 "href": "/portal/payments?status=paid"}]
    return []
