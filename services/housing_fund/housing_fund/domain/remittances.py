"""汇缴申请 rules: modes, months, the rounding rule and the back-payment limits. No framework here.

Rounding rule (domain.md, "rounding 2 places HALF_UP per line"): every line (one employee, one month)
is rounded to whole fen (2 decimal places of a yuan) with ROUND_HALF_UP on its own, and a total is
the sum of the rounded lines, never the rounded sum: three lines of 0.005 yuan are 0.01 + 0.01 + 0.01
= 0.03 yuan, not round(0.015) = 0.02."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from housing_fund.domain.employers import check_active
from shared.errors import InvalidInput

REMIT, BACK_PAY = "remit", "back_pay"              # 汇缴 / 补缴
MONTHLY, LUMP_SUM = "monthly", "lump_sum"          # 按月补缴 / 一次性补缴
MODES = {REMIT: "汇缴", BACK_PAY: "补缴"}
BACK_PAY_KINDS = {MONTHLY: "按月补缴", LUMP_SUM: "一次性补缴"}
BUSINESS_CODE = {REMIT: "01", BACK_PAY: "02"}      # the ledger's 业务类型
#: seed 004: "按月补缴，每次补缴不可超过十二个月"
MAX_BACK_PAY_MONTHS = 12

PENDING, APPROVED, RETURNED, PAID = "pending", "approved", "returned", "paid"
STATUSES = {PENDING: "待住建局审核", APPROVED: "待缴款", RETURNED: "已退回", PAID: "已到账"}
UNFINISHED = (PENDING, APPROVED)
_CENT = Decimal("0.01")


def line_fen(value: Any, field: str = "amount") -> int:
    """One line's amount in fen. An int is fen already; a yuan text or Decimal is rounded to 2 places
    HALF_UP (the line rule). Floats, negatives and zero are refused."""
    if isinstance(value, bool) or isinstance(value, float):
        raise InvalidInput.field(field, "money.format", "金额格式不正确")
    if isinstance(value, int):
        fen = value
    else:
        try:
            yuan = Decimal(str(value).strip().replace(",", ""))
        except (InvalidOperation, ValueError):
            raise InvalidInput.field(field, "money.format", "金额格式不正确") from None
        if not yuan.is_finite():
            raise InvalidInput.field(field, "money.format", "金额格式不正确")
        fen = int(yuan.quantize(_CENT, rounding=ROUND_HALF_UP) * 100)
    if fen <= 0:
        raise InvalidInput.field(field, "remittance.amount_positive", "汇缴金额应大于0")
    if fen > 100_000_000:  # one million yuan on one line is a typing error
        raise InvalidInput.field(field, "remittance.amount_too_large", "单笔汇缴金额过大，请核对")
    return fen


def total_fen(amounts: list[int]) -> int:
    """The total of already rounded lines."""
    return sum(amounts)


def month_index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[4:]) - 1


def month_of_index(index: int) -> str:
    return f"{index // 12:04d}{index % 12 + 1:02d}"


def months_between(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` inclusive (400 if reversed)."""
    a, b = month_index(first), month_index(last)
    if b < a:
        raise InvalidInput.field("month_to", "remittance.months_reversed", "补缴结束月份不能早于开始月份")
    return [month_of_index(i) for i in range(a, b + 1)]


def check_mode(mode: Any, kind: Any) -> tuple[str, str | None]:
    if mode not in MODES:
        raise InvalidInput.field("mode", "remittance.mode_unknown", "汇缴方式应为汇缴（remit）或补缴（back_pay）")
    if mode == REMIT:
        return mode, None
    kind = kind or MONTHLY
    if kind not in BACK_PAY_KINDS:
        raise InvalidInput.field("back_pay_kind", "remittance.kind_unknown", "补缴方式应为按月补缴或一次性补缴")
    return mode, kind


def check_back_pay_months(months: list[str], current: str) -> None:
    """At most 12 months per submission, none after the current month."""
    if len(months) > MAX_BACK_PAY_MONTHS:
        raise InvalidInput("按月补缴每次不可超过十二个月", code="remittance.too_many_months",
                           details={"months": len(months), "max": MAX_BACK_PAY_MONTHS})
    if months and months[-1] > current:
        raise InvalidInput.field("month_to", "remittance.future_month", "补缴月份不能晚于当前月份")


def check_new_employee_months(employee: dict, months: list[str], has_history: bool) -> None:
    """An employee with no remittance at this employer back-pays only months before the start month
    of the personnel record (人事档案设定的汇缴开始月份)."""
    if has_history:
        return
    start = employee.get("start_month")
    late = [m for m in months if start and m >= start]
    if late:
        raise InvalidInput(
            f"职工{employee['name']}在本单位没有汇缴记录，补缴月份需在汇缴开始月份{start}之前",
            code="remittance.back_pay_after_start",
            details={"employee_id": employee["id"], "start_month": start, "months": late})


def check_employer_may_remit(status: str, name: str) -> None:
    """正常 and 缓缴 employers remit; 开户 (not yet approved), 销户 and 封存 ones may not (409)."""
    check_active(status, name, "汇缴")


def apply_first_page(months: list[str], first: list[dict]) -> dict[str, list[dict]]:
    """全部应用第一页信息: the people and amounts of the first month copied to every month."""
    return {m: [dict(line) for line in first] for m in months}
