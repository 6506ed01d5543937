"""What an application is made of and the checks on it, framework-free."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from shared.contracts.statuses import DEGREES
from shared.errors import Conflict, InvalidInput
from shared.hardening import strict_int
from shared.opinions import check_opinion


def check_submission(data: dict, *, max_months: int, today: date) -> dict:
    """Validate the graduate's input: degree, months (1..policy max), start date, work history."""
    degree = data.get("degree")
    if degree not in DEGREES:
        raise InvalidInput.field("degree", "application.degree_invalid",
                                 "请选择学历（大专/本科/硕士研究生/博士研究生）")
    try:  # a true integer: 12.9 is not 12, "１２" (full-width) is not read as 12
        months = strict_int(data.get("months"), "months", what="补贴月数")
    except InvalidInput:
        raise InvalidInput.field("months", "application.months_invalid", "补贴月数应为整数") from None
    if not 1 <= months <= max_months:
        raise InvalidInput.field("months", "application.months_out_of_range", f"补贴月数应为1-{max_months}个月")
    try:
        start = date.fromisoformat(str(data.get("start_date")))
    except ValueError:
        raise InvalidInput.field("start_date", "application.start_date_invalid",
                                 "补助申领起始日期格式应为YYYY-MM-DD") from None
    if start > today + timedelta(days=366) or start.year < 2000:
        raise InvalidInput.field("start_date", "application.start_date_out_of_range", "补助申领起始日期不在有效范围内")
    history = data.get("work_history") or []
    if not isinstance(history, list) or len(history) > 20:
        raise InvalidInput.field("work_history", "application.work_history_invalid", "工作经历格式不正确")
    cleaned = []
    for i, item in enumerate(history):
        if not isinstance(item, dict) or not str(item.get("employer", "")).strip():
            raise InvalidInput.field(f"work_history.{i}.employer", "application.work_history_invalid",
                                     "请填写工作单位")
        cleaned.append({k: str(item.get(k, "")).strip()[:100] for k in ("employer", "position", "from", "to")})
    return {"degree": degree, "months": months, "start_date": start, "work_history": cleaned}


def check_registered_degree(degree: str, registered: str | None) -> None:
    """The degree applied for is the one recorded at registration (or a later approved change of it):
    the standard is paid by degree, so a graduate registered as 本科 cannot be paid as 博士."""
    if degree != registered:
        label = DEGREES.get(registered or "", "未登记")
        raise InvalidInput.field("degree", "application.degree_mismatch",
                                 f"申报学历应与注册登记的学历（{label}）一致；学历有变更请先变更个人注册信息")


def add_months(start: date, months: int) -> date:
    """The day ``months`` calendar months after ``start`` (the 31st of a shorter month is its last day)."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for day in (start.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class Period:
    """One application's subsidy period: ``months`` calendar months from ``start`` (end exclusive)."""

    application_no: str
    start: date
    months: int

    @property
    def end(self) -> date:
        return add_months(self.start, self.months)

    def overlaps(self, other: "Period") -> bool:
        return self.start < other.end and other.start < self.end


def check_allowance(new: Period, others: list[Period], *, max_months: int) -> None:
    """One person's subsidy over all their applications: at most ``max_months`` months in all (granted
    or in progress) and no two periods overlapping. ``others`` are the person's other counted
    applications."""
    clash = next((p for p in others if p.overlaps(new)), None)
    if clash is not None:
        last = clash.end - timedelta(days=1)
        raise Conflict(f"补助期间与申请{clash.application_no}的补助期间（{clash.start.isoformat()}至"
                       f"{last.isoformat()}）重叠", code="application.period_overlap")
    used = sum(p.months for p in others)
    if used + new.months > max_months:
        remaining = max(0, max_months - used)
        raise Conflict(f"每人累计补贴最长{max_months}个月，已申报或已享受{used}个月，本次最多可申报{remaining}个月",
                       code="application.months_exceed_allowance")


def amount_fen(standards_fen: dict[str, int], degree: str, months: int) -> tuple[int, int]:
    """(monthly standard, total) in fen: 合计金额 = 补贴标准 × 补贴月数."""
    standard = int(standards_fen[degree])
    return standard, standard * months


def require_opinion(opinion: object) -> str:
    """A return's opinion: required (the graduate must know what to change)."""
    return check_opinion(opinion, required=True) or ""


def optional_opinion(opinion: object) -> str | None:
    return check_opinion(opinion, required=False)


BANK_ACCOUNT_PARTS = ("holder", "bank", "number")


def bank_account_for_approval(bank: dict | None) -> dict:
    """The applicant's bank account as the county approval freezes it into the application: every part
    of it filled in, or 409 (the money could not be paid at stage 12)."""
    if not bank or not all(bank.get(k) for k in BANK_ACCOUNT_PARTS):
        raise Conflict("该申请人未登记银行账户，无法审核通过", code="applicant.bank_account_missing")
    return bank
