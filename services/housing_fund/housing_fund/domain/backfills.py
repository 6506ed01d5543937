"""缴款历史补录: rows of past payments for chosen employees, checked before the bureau reviews them."""
from __future__ import annotations

from typing import Any

from housing_fund.domain.employees import check_month
from shared.errors import InvalidInput
from shared.workflow import Workflow

PENDING, APPROVED, RETURNED = "pending", "approved", "returned"
STATUSES = {PENDING: "待住建局审核", APPROVED: "审核通过，已入账", RETURNED: "已退回"}
FLOW = Workflow("backfill", {(PENDING, "approve"): APPROVED, (PENDING, "return"): RETURNED})
MAX_ROWS = 500


def check_rows(value: Any, current_month: str) -> list[dict]:
    """Each row: employee_id, month (yyyyMM, before the current month), amount_fen > 0, periods >= 1
    (default 1), paid_on (date text) optional. Every field required is named with its row (400)."""
    if not isinstance(value, list) or not value:
        raise InvalidInput.field("rows", "backfill.rows_required", "请至少填写一条补录记录")
    if len(value) > MAX_ROWS:
        raise InvalidInput.field("rows", "backfill.too_many_rows", f"一次最多补录{MAX_ROWS}条")
    out, seen = [], set()
    for i, row in enumerate(value, start=1):
        if not isinstance(row, dict):
            raise InvalidInput.field("rows", "backfill.row_invalid", f"第{i}条补录记录格式不正确")
        employee_id = row.get("employee_id")
        if not isinstance(employee_id, str) or not employee_id:
            raise InvalidInput(f"第{i}条：请选择职工", code="backfill.employee_required", details={"row": i})
        month = check_month(row.get("month"), "month", f"第{i}条缴款月份")
        if month >= current_month:
            raise InvalidInput(f"第{i}条：补录的是历史缴款，月份应早于本月", code="backfill.month_not_past",
                               details={"row": i})
        amount = row.get("amount_fen")
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise InvalidInput(f"第{i}条：缴款金额应为大于0的整数（分）", code="backfill.amount_invalid",
                               details={"row": i})
        periods = row.get("periods", 1)
        if isinstance(periods, bool) or not isinstance(periods, int) or not 1 <= periods <= 120:
            raise InvalidInput(f"第{i}条：期数应为1-120的整数", code="backfill.periods_invalid", details={"row": i})
        if (employee_id, month) in seen:
            raise InvalidInput(f"第{i}条：同一职工同一月份重复补录", code="backfill.duplicate_row", details={"row": i})
        seen.add((employee_id, month))
        out.append({"employee_id": employee_id, "month": month, "amount_fen": amount, "periods": periods})
    return out
