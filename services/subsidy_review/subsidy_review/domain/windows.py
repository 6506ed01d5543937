"""申报期 (application windows) and the graduation window of each: city policy data with effective
dates. A city with no window accepts applications all year; once it has windows, an application is
taken only inside one (by the city's local date), from a graduate whose graduation date lies in that
window's graduation range (when it has one)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from shared.errors import Conflict, InvalidInput

NAME_MAX = 50
ACTIVE = "active"
CANCELLED = "cancelled"
STATUS_LABELS = {ACTIVE: "有效", CANCELLED: "已撤销"}


def _date(data: Mapping[str, Any], key: str, label: str, *, required: bool) -> date | None:
    value = data.get(key)
    if value in (None, ""):
        if required:
            raise InvalidInput.field(key, "window.date_required", f"请填写{label}")
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput.field(key, "window.date_invalid", f"{label}格式应为YYYY-MM-DD") from None


def check_window(data: Mapping[str, Any]) -> dict:
    """The admin's input: a name, the 申报期 (opens_on..closes_on, both days included) and an optional
    graduation range (graduated_from..graduated_to)."""
    name = str(data.get("name") or "").strip()
    if not name or len(name) > NAME_MAX:
        raise InvalidInput.field("name", "window.name_invalid", f"请填写申报期名称（不超过{NAME_MAX}个字）")
    opens = _date(data, "opens_on", "申报开始日期", required=True)
    closes = _date(data, "closes_on", "申报截止日期", required=True)
    assert opens is not None and closes is not None
    if closes < opens:
        raise InvalidInput.field("closes_on", "window.closes_before_opens", "申报截止日期不能早于开始日期")
    grad_from = _date(data, "graduated_from", "毕业时间起", required=False)
    grad_to = _date(data, "graduated_to", "毕业时间止", required=False)
    if grad_from and grad_to and grad_to < grad_from:
        raise InvalidInput.field("graduated_to", "window.graduation_range_invalid", "毕业时间止不能早于毕业时间起")
    return {"name": name, "opens_on": opens, "closes_on": closes, "graduated_from": grad_from,
            "graduated_to": grad_to}


def check_no_overlap(new: Mapping[str, Any], others: Iterable[Mapping[str, Any]]) -> None:
    """Two active 申报期 of one city never overlap (the one in force on a day is unambiguous)."""
    for other in others:
        if other["opens_on"] <= new["closes_on"] and new["opens_on"] <= other["closes_on"]:
            raise Conflict(f"与申报期“{other['name']}”（{other['opens_on'].isoformat()}至"
                           f"{other['closes_on'].isoformat()}）重叠", code="window.overlap")


def window_in_force(windows: Iterable[Mapping[str, Any]], today: date) -> Mapping[str, Any] | None:
    return next((w for w in windows if w["opens_on"] <= today <= w["closes_on"]), None)


def check_submission_window(windows: list[Mapping[str, Any]], today: date, graduated_on: date | None) -> Any:
    """The window an application submitted ``today`` falls in (None when the city has none), or 409."""
    if not windows:
        return None
    window = window_in_force(windows, today)
    if window is None:
        coming = sorted((w for w in windows if w["opens_on"] > today), key=lambda w: w["opens_on"])
        hint = (f"，下一申报期为{coming[0]['opens_on'].isoformat()}至{coming[0]['closes_on'].isoformat()}"
                if coming else "")
        raise Conflict(f"当前不在申报期内{hint}", code="application.outside_window",
                       details={"next_opens_on": coming[0]["opens_on"].isoformat() if coming else None})
    low, high = window["graduated_from"], window["graduated_to"]
    if (low or high) and (graduated_on is None or (low and graduated_on < low) or (high and graduated_on > high)):
        span = f"{low.isoformat() if low else '不限'}至{high.isoformat() if high else '不限'}"
        raise Conflict(f"本申报期（{window['name']}）受理毕业时间在{span}的毕业生，您的毕业时间不在此范围内",
                       code="application.graduation_outside_window")
    return window
