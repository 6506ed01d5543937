"""The admin's parameters (publicity period, holiday schedule), health, and batch numbering."""
from datetime import timedelta

from shared.clock import SystemClock
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
