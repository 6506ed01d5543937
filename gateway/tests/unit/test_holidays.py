"""The holiday schedule kept between page renders (gateway.holidays): the to-do counters and every list
of applications count working days over it, and a page render does not ask publicity_assessment again
while it is kept; the admin's edit, the ttl and a refusal each make the next page ask."""
import pytest

from gateway.holidays import MAX_SPANS, CalendarCache
from shared.errors import Unavailable

TODOS = [{"key": "applications.pending_unit_review", "count": 3, "label": "您有【3】个大学生租房补助申请待审核",
          "href": "/portal/applications?status=pending_unit_review"}]
CALENDAR = {"overrides": {}, "known_years": [2026], "first": "2024-01-01", "last": "2027-12-31"}


@pytest.fixture
def counters(app, pool, issue, monkeypatch):
    """GET /api/v1/todos as a unit clerk (subsidy_review's counters only): each asks for the schedule."""
    monkeypatch.setitem(app.config, "COUNTER_SERVICES", ["subsidy_review"])
    pool.results.update({"todos": [dict(t) for t in TODOS], "working_calendar": CALENDAR,
                         "overdue_todos": {"applications.pending_unit_review": 2}})
    token = issue(role="unit_admin")[0]

    def get():
        answer = app.test_client().get("/api/v1/todos", headers={"Authorization": token})
        assert answer.status_code == 200 and answer.json["items"][0]["overdue"] == 2
        return answer
    return get


def schedule_asked(pool) -> int:
    return sum(1 for _, method, _ in pool.calls if method == "working_calendar")


def test_a_second_render_does_not_ask_for_the_schedule(pool, counters):
    counters()
    counters()
    assert schedule_asked(pool) == 1
    assert [m for _, m, _ in pool.calls].count("overdue_todos") == 2   # the caller's own counters each time
    assert pool.calls[-1][2] == (CALENDAR,)


@pytest.mark.parametrize("edit", [("put", "/api/v1/calendar-days/2026-10-08", {"kind": "holiday", "name": "国庆节"}),
                                  ("post", "/api/v1/calendar-years/2027/confirm", None)])
def test_the_admin_s_edit_makes_the_next_render_ask_again(app, pool, issue, counters, edit):
    counters()
    method, path, body = edit
    admin = {"Authorization": issue(role="sys_admin")[0]}
    assert getattr(app.test_client(), method)(path, json=body, headers=admin).status_code == 200
    counters()
    assert schedule_asked(pool) == 2


def test_a_refused_edit_keeps_the_schedule(app, pool, issue, counters):
    counters()
    pool.answers["publicity_assessment.set_calendar_day"] = Unavailable("服务暂不可用", code="service_unavailable")
    admin = {"Authorization": issue(role="sys_admin")[0]}
    put = app.test_client().put("/api/v1/calendar-days/2026-10-08", json={"kind": "holiday", "name": "国庆节"},
                                headers=admin)
    assert put.status_code == 503
    counters()
    assert schedule_asked(pool) == 1


def test_a_schedule_that_could_not_be_had_is_asked_again(app, pool, issue, counters):
    pool.answers["publicity_assessment.working_calendar"] = Unavailable("服务暂不可用", code="service_unavailable")
    down = app.test_client().get("/api/v1/todos", headers={"Authorization": issue(role="unit_admin")[0]})
    assert down.status_code == 200 and "overdue" not in down.json["items"][0]   # the counters, without 其中超时
    del pool.answers["publicity_assessment.working_calendar"]
    counters()                          # the refusal was not kept: this render asked and got the schedule
    assert schedule_asked(pool) == 2


def test_an_entry_lives_its_ttl_then_is_asked_again():
    now = [1000.0]
    cache = CalendarCache(ttl=60, clock=lambda: now[0])
    asked = []

    def fetch():
        asked.append(now[0])
        return {"asked_at": now[0]}
    assert cache.get("2024-01-01", "2027-12-31", fetch) == {"asked_at": 1000.0}
    now[0] += 59
    assert cache.get("2024-01-01", "2027-12-31", fetch) == {"asked_at": 1000.0}
    now[0] += 2
    assert cache.get("2024-01-01", "2027-12-31", fetch) == {"asked_at": 1061.0}
    assert cache.get("2025-01-01", "2027-12-31", fetch) == {"asked_at": 1061.0}  # another span: its own entry
    assert asked == [1000.0, 1061.0, 1061.0]


def test_a_ttl_of_zero_asks_every_time_and_the_spans_kept_are_bounded():
    asked = []
    never = CalendarCache(ttl=0)
    never.get("a", "b", lambda: asked.append(1))
    never.get("a", "b", lambda: asked.append(1))
    assert len(asked) == 2
    cache = CalendarCache(ttl=60)
    for year in range(2000, 2000 + MAX_SPANS + 10):
        cache.get(f"{year}-01-01", f"{year + 2}-12-31", lambda: {})
    assert len(cache._entries) == MAX_SPANS
