"""The monthly reminder to employers that have not remitted, and the to-do counters of remittances."""
from __future__ import annotations

from sqlalchemy import and_, exists, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from housing_fund.adapters.orm import employers, remittance_reminders, remittances
from housing_fund.domain import remittances as rules
from housing_fund.use_cases.remittances.common import current_month
from shared.auth.roles import Role
from shared.db.engine import affected_rows
from shared.jurisdiction import area_of
from shared.service import Tx


def send_reminders(tx: Tx, month: str | None = None) -> int:
    """The monthly reminder: every active employer with no remittance (not returned) for ``month``
    (default: the current month) gets one reminder row and one ``remittance.reminder_due`` event;
    running it again in the same month sends nothing twice. Returns how many were sent."""
    month = month or current_month(tx)
    remitted = exists().where(remittances.c.employer_id == employers.c.id, remittances.c.mode == rules.REMIT,
                              remittances.c.month_from == month, remittances.c.status != rules.RETURNED)
    already = exists().where(remittance_reminders.c.employer_id == employers.c.id,
                             remittance_reminders.c.month == month)
    due = tx.session.execute(select(employers).where(
        employers.c.status.in_(("01", "03")), employers.c.review_status == "approved", ~remitted, ~already)
        .order_by(employers.c.id)).mappings().all()
    sent = 0
    for e in due:
        inserted = affected_rows(tx.session.execute(pg_insert(remittance_reminders).values(
            employer_id=e["id"], month=month, region=e["region"], at=tx.now).on_conflict_do_nothing()))
        if inserted:
            sent += 1
            tx.emit("remittance.reminder_due", subject=e["id"], region=e["region"],
                    data={"employer_id": e["id"], "region": e["region"], "month": month, "employer_name": e["name"],
                          "org_code": e["org_code"], "mobile": e["contact_mobile"]})
    return sent


def todos(tx: Tx) -> list[dict]:
    p = tx.principal
    out = []
    if p.role == Role.HOUSING_BUREAU:
        pending = tx.session.execute(select(func.count()).select_from(remittances).where(
            remittances.c.region.in_(area_of(p)), remittances.c.status == rules.PENDING)).scalar_one()
        if pending:
            out.append({"key": "remittances.pending_review", "count": int(pending),
                        "label": f"您有【{pending}】个汇缴申请待审核", "href": "/portal/remittances?status=pending"})
    elif p.role == Role.EMPLOYER and p.unit_id:
        month = current_month(tx)
        reminded = tx.session.execute(select(func.count()).select_from(remittance_reminders).where(
            and_(remittance_reminders.c.employer_id == p.unit_id, remittance_reminders.c.month == month),
            ~exists().where(remittances.c.employer_id == p.unit_id, remittances.c.month_from == month,
                            remittances.c.status != rules.RETURNED))).scalar_one()
        if reminded:
            out.append({"key": "remittances.reminder", "count": 1, "label": f"您有【1】个月（{month}）尚未汇缴",
                        "href": "/portal/housing/remit"})
        awaiting = tx.session.execute(select(func.count()).select_from(remittances).where(
            remittances.c.employer_id == p.unit_id, remittances.c.status == rules.APPROVED)).scalar_one()
        if awaiting:
            out.append({"key": "payment_notices.awaiting", "count": int(awaiting),
                        "label": f"您有【{awaiting}】个缴费通知待缴款", "href": "/portal/payment-notices"})
    return out
