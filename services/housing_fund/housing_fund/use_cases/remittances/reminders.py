"""The monthly reminder to employers that have not remitted, and the to-do counters of remittances."""
from __future__ import annotations

from housing_fund.adapters.repository import RemittanceRepository
from housing_fund.use_cases.remittances.common import current_month
from shared.auth.roles import Role
from shared.jurisdiction import area_of
from shared.service import Tx


def send_reminders(tx: Tx, month: str | None = None) -> int:
    """The monthly reminder: every active employer with no remittance (not returned) for ``month``
    (default: the current month) gets one reminder row and one ``remittance.reminder_due`` event;
    running it again in the same month sends nothing twice. Returns how many were sent."""
    month = month or current_month(tx)
    found = tx.repository(RemittanceRepository)
    sent = 0
    for e in found.reminders_due(month):
        if found.add_reminder(e["id"], month, e["region"], tx.now):
            sent += 1
            tx.emit("remittance.reminder_due", subject=e["id"], region=e["region"],
                    data={"employer_id": e["id"], "region": e["region"], "month": month, "employer_name": e["name"],
                          "org_code": e["org_code"], "mobile": e["contact_mobile"]})
    return sent


def todos(tx: Tx) -> list[dict]:
    p = tx.principal
    found = tx.repository(RemittanceRepository)
    out = []
    if p.role == Role.HOUSING_BUREAU:
        pending = found.pending_count(area_of(p))
        if pending:
            out.append({"key": "remittances.pending_review", "count": pending,
                        "label": f"您有【{pending}】个汇缴申请待审核", "href": "/portal/remittances?status=pending"})
    elif p.role == Role.EMPLOYER and p.unit_id:
        month = current_month(tx)
        if found.reminded_unremitted(p.unit_id, month):
            out.append({"key": "remittances.reminder", "count": 1, "label": f"您有【1】个月（{month}）尚未汇缴",
                        "href": "/portal/housing/remit"})
        awaiting = found.awaiting_payment_count(p.unit_id)
        if awaiting:
            out.append({"key": "payment_notices.awaiting", "count": awaiting,
                        "label": f"您有【{awaiting}】个缴费通知待缴款", "href": "/portal/payment-notices"})
    return out
