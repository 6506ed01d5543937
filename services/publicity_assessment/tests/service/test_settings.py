"""The admin's parameters (publicity period, holiday schedule), health, and batch numbering."""
from datetime import date, datetime, time, timedelta

from shared.clock import SHANGHAI, SystemClock
from shared.testing.helpers import scalar


def test_the_city_policy_and_the_holiday_schedule_decide_the_end_of_publicity(desk):
    admin = {"role": "sys_admin", "region": None}
    seeded = desk.call("get_policy", "440700", **admin)
    assert (seeded["days"], seeded["counts_working_days"], seeded["is_default"]) == (5, True, False)
    assert desk.error("set_policy", "440703", 7, False, **admin) == (400, "policy.city_invalid")
    assert desk.error("set_policy", "440700", 0, False, **admin) == (400, "policy.days_invalid")
    changed = desk.call("set_policy", "440700", 7, False, **admin)
    assert (changed["days"], changed["description"]) == (7, "7个自然日")

    first = desk.call("start_publicity", [desk.approve()["data"]["application_id"]])
    second = desk.call("start_publicity", [desk.approve()["data"]["application_id"]])
    today = SystemClock().today_local()
    assert first["ends_on"] == (today + timedelta(days=7)).isoformat()
    assert [first["batch_no"][-2:], second["batch_no"][-2:]] == ["01", "02"]
    listed = desk.call("list_batches", {"status": "open"}, 1, 20)
    assert listed["total"] == 2 and {b["case_count"] for b in listed["items"]} == {1}

    assert desk.error("set_calendar_day", "2027-01-01", "holiday", "元旦") == (403, "auth.forbidden")
    assert desk.error("set_calendar_day", "2027-01-01", "rest", "元旦", **admin) == (400, "calendar.kind_invalid")
    added = desk.call("set_calendar_day", "2027-01-01", "holiday", "元旦", **admin)
    assert added == {"day": "2027-01-01", "kind": "holiday", "kind_label": "法定节假日", "name": "元旦"}
    desk.call("set_calendar_day", "2027-01-01", "holiday", "元旦节", **admin)  # a correction replaces it
    assert desk.call("list_calendar_days", 2027)["items"] == [{**added, "name": "元旦节"}]
    assert desk.call("list_calendar_days", 2026)["total"] == 39  # 33 days off, 6 make-up working days
    assert scalar(desk.url, "SELECT count(*) FROM platform_audit_log WHERE action='calendar_day.set'") == 2


def test_health_and_todos_of_other_roles(desk):
    assert desk.call("health", anonymous=True) == {"service": "publicity_assessment", "database": "ok", "restarts": 0}
    assert desk.call("todos", role="unit_admin", region=None) == []
    assert [t["key"] for t in desk.call("todos")] == [
        "publicity.awaiting", "publicity.objections", "assessment.pending", "assessment.to_report"]


def _to_local_noon(desk, day: date) -> None:
    """Move the service's clock to 12:00 Asia/Shanghai on ``day``."""
    target = datetime.combine(day, time(12), SHANGHAI)
    desk.move_clock((target - SystemClock().now()).total_seconds() / 86400)


def test_a_period_reaching_a_year_without_a_schedule_is_refused_until_the_admin_enters_it(desk):
    admin = {"role": "sys_admin", "region": None}
    case = desk.approve()["data"]["application_id"]
    _to_local_noon(desk, date(2026, 12, 31))
    assert "calendar.year_missing" in [t["key"] for t in desk.call("todos", **admin)]
    before = desk.state()
    assert desk.error("start_publicity", [case]) == (409, "calendar.year_missing")
    assert desk.state() == before  # nothing started, no event, no audit row

    assert desk.call("list_calendar_days", 2027, **admin)["confirmed"] is False
    assert desk.error("confirm_calendar_year", 2027, **admin) == (400, "calendar.year_empty")
    assert desk.error("confirm_calendar_year", 2027) == (403, "auth.forbidden")
    # the admin's 2027 (test data, not the official schedule): 元旦 Fri 1 Jan off, Sat 9 Jan worked
    desk.call("set_calendar_day", "2027-01-01", "holiday", "元旦", **admin)
    desk.call("set_calendar_day", "2027-01-09", "workday", "元旦调休", **admin)
    assert desk.error("start_publicity", [case]) == (409, "calendar.year_missing")  # entered, not confirmed
    confirmed = desk.call("confirm_calendar_year", 2027, **admin)
    assert (confirmed["confirmed"], confirmed["total"]) == (True, 2)
    assert desk.call("confirm_calendar_year", 2027, **admin)["confirmed"] is True  # twice is once
    assert scalar(desk.url, "SELECT count(*) FROM platform_audit_log WHERE action='calendar_year.confirm'") == 1
    assert "calendar.year_missing" not in [t["key"] for t in desk.call("todos", **admin)]

    batch = desk.call("start_publicity", [case])
    # Thu 31 Dec: Fri 1 Jan off; Mon 4 - Fri 8 are working days 1-5
    assert (batch["starts_on"], batch["ends_on"]) == ("2026-12-31", "2027-01-08")
    assert desk.call("list_calendar_days", 2026)["confirmed"] is True  # shipped years are complete


def test_the_schedule_as_other_readers_count_with_it(desk):
    admin = {"role": "sys_admin", "region": None}
    desk.call("set_calendar_day", "2027-01-01", "holiday", "元旦", **admin)
    calendar = desk.call("working_calendar", "2026-09-25", "2027-01-31", role="city_hrss", region="440700")
    assert calendar["overrides"]["2026-10-01"] == "holiday" and calendar["overrides"]["2026-10-10"] == "workday"
    assert calendar["overrides"]["2027-01-01"] == "holiday" and "2026-09-20" not in calendar["overrides"]
    assert (calendar["first"], calendar["last"]) == ("2026-09-25", "2027-01-31")
    assert 2026 in calendar["known_years"] and 2027 not in calendar["known_years"]   # entered, not confirmed
    assert desk.call("working_calendar", "2026-01-01", "2026-01-31", role="county_finance")["overrides"]
    assert desk.error("working_calendar", "2026-13-01", "2027-01-31") == (400, "calendar.day_invalid")
    assert desk.error("working_calendar", "2026-01-01", "2031-01-31") == (400, "calendar.span_invalid")
