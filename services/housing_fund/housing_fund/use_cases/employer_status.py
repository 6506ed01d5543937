"""单位状态 set by the housing bureau (domain/employer_status.py): 缓缴, 恢复正常, 封存, 销户 with a reason.
The change joins the employer's change history (单位变更记录, approved at once by the bureau that made
it) and goes out as ``employer.changed`` with the new status. What a status allows is checked where it
matters: remitting, opening or importing employees, receiving a transfer (``check_can_receive``)."""
from __future__ import annotations

import uuid
from typing import Any

from housing_fund.adapters.repository import EmployeeRepository, EmployerRepository, RemittanceRepository
from housing_fund.domain import employer_status as rules
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
    counts = tx.repository(EmployeeRepository).counts_by_status(employer["id"])
    holders = sum(counts.get(status, 0) for status in HOLDING)
    unfinished = tx.repository(RemittanceRepository).unfinished_count(employer["id"])
    rules.check_may_stop(after, holders, unfinished)
    found = tx.repository(EmployerRepository)
    found.update(employer["id"], {"status": after, "updated_at": tx.now})
    change_id = str(uuid.uuid4())
    me = tx.principal.account_id
    found.add_change(dict(
        id=change_id, employer_id=employer["id"], region=employer["region"], status="approved",
        before={"status": employer["status"]}, after={"status": after}, attachments=[], reason=text,
        submitted_by=me, submitted_at=tx.now, decided_by=me, decided_at=tx.now))
    fresh = found.get(employer["id"])
    emit_change(tx, "employer.changed", fresh, change_id, {"status": after}, status=after,
                mobile=fresh["contact_mobile"])
    tx.audit(f"employer.status_{action}", "employer", employer["id"], region=employer["region"],
             before={"status": employer["status"]}, after={"status": after, "reason": text})
    return get_employer(tx, employer["id"])
