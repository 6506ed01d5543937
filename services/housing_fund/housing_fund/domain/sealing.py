"""批量封存/启封: the month a seal or an unseal takes effect. A clerk seals within 30 days of the
employee leaving, so the effective month is this month or the previous one, never a future month
(remittances of the months before it stay due) and never before the employee's start month."""
from __future__ import annotations

from datetime import date

from housing_fund.domain.employees import check_month, month_of
from shared.errors import InvalidInput

ACTIONS = {"seal": ("封存", "05"), "unseal": ("启封", "04")}


def previous_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[4:])
    return f"{year - 1:04d}12" if mon == 1 else f"{year:04d}{mon - 1:02d}"


def check_action(action: object) -> str:
    if action not in ACTIONS:
        raise InvalidInput.field("action", "sealing.action_unknown", "操作应为 seal（封存）或 unseal（启封）")
    return str(action)


def check_effective_month(value: object, today: date) -> str:
    """The effective month (yyyyMM): empty means this month; this month or the previous one only."""
    current = month_of(today)
    month = check_month(value, "effective_month", "生效月份", required=False) or current
    if month > current:
        raise InvalidInput.field("effective_month", "sealing.month_future", "生效月份不能晚于本月")
    if month < previous_month(current):
        raise InvalidInput.field("effective_month", "sealing.month_too_early",
                                 "生效月份只能是本月或上月（须在职工离职30日内办理封存）")
    return month


def check_not_before_start(month: str, start_month: str | None, name: str) -> None:
    if start_month and month < start_month:
        raise InvalidInput.field("effective_month", "sealing.before_start",
                                 f"职工{name}的汇缴开始月份为{start_month}，生效月份不能早于该月")
