"""单位状态 set by the housing bureau (domain/employer_status.py): 缓缴, 恢复正常, 封存, 销户 with a reason.
The change joins the employer's change history (单位变更记录, approved at once by the bureau that made
it) and goes out as ``employer.changed`` with the new status. What a status allows is checked where it
matters: remitting, opening or importing employees, receiving a transfer (``check_can_receive``)."""
from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, insert, select, update

from housing_fund.adapters.orm import employees, employer_changes, employers, remittances
from housing_fund.domain import employer_status as rules
from housing_fund.domain.remittances import UNFINISHED
from housing_fund.use_cases.changes import emit_change
from housing_fund.use_cases.employers import get_employer
from housing_fund.use_cases.records import load_employer
from shared.service import Tx

HOLDING = ("01", "02")  # employees still holding an account here (正常, 封存)


def set_status(tx: Tx, employer_id: Any, action: Any, reason: Any) -> dict:
    employer = load_employer(tx, employer_id, lock=True)  # 404 outside the bureau's area
    action = rules.check_action(action)
    text = rules.check_reason(reason)
    after = rules.next_status(employer["status"], action, employer["name"])
    holders = tx.session.execute(select(func.count()).select_from(employees).where(
        employees.c.employer_id == employer["id"], employees.c.status.in_(HOLDING))).scalar_one()
    unfinished = tx.session.execute(select(func.count()).select_from(remittances).where(
        remittances.c.employer_id == employer["id"], remittances.c.status.in_(UNFINISHED))).scalar_one()
    rules.check_may_stop(after, holders, unfinished)
    tx.session.execute(update(employers).where(employers.c.id == employer["id"]).values(
        status=after, updated_at=tx.now))
    change_id = str(uuid.uuid4())
    me = tx.principal.account_id
    tx.session.execute(insert(employer_changes).values(
        id=change_id, employer_id=employer["id"], region=employer["region"], status="approved",
        before={"status": employer["status"]}, after={"status": after}, attachments=[], reason=text,
        submitted_by=me, submitted_at=tx.now, decided_by=me, decided_at=tx.now))
    fresh = tx.session.execute(select(employers).where(employers.c.id == employer["id"])).mappings().one()
    emit_change(tx, "employer.changed", fresh, change_id, {"status": after}, status=after,
                mobile=fresh["contact_mobile"])
    tx.audit(f"employer.status_{action}", "employer", employer["id"], region=employer["region"],
             before={"status": employer["status"]}, after={"status": after, "reason": text})
    return get_employer(tx, employer["id"])
