"""其中超时 N on the to-do counters: the gateway hands subsidy_review the holiday schedule and puts its
answer (``overdue_todos``, the one stage-clock rule) on the counters of applications; when the schedule
or a service cannot answer, the counters still show, without it."""
import pytest
from flask import render_template

from shared.errors import Unavailable

TODOS = [{"key": "applications.pending_unit_review", "count": 3, "label": "您有【3】个大学生租房补助申请待审核",
          "href": "/portal/applications?status=pending_unit_review"},
         {"key": "applications.pending_report", "count": 1, "label": "您有【1】个大学生租房补助申请待上报",
          "href": "/portal/applications?status=pending_report"}]
CALENDAR = {"overrides": {}, "known_years": [2026], "first": "2024-01-01", "last": "2027-12-31"}


@pytest.fixture
def only_subsidy_review(app, monkeypatch):
    monkeypatch.setitem(app.config, "COUNTER_SERVICES", ["subsidy_review"])


def test_the_counters_of_applications_say_how_many_are_overdue(app, pool, issue, only_subsidy_review):
    pool.results.update({"todos": [dict(t) for t in TODOS], "working_calendar": CALENDAR,
                         "overdue_todos": {"applications.pending_unit_review": 2, "applications.pending_report": 0}})
    answer = app.test_client().get("/api/v1/todos", headers={"Authorization": issue(role="unit_admin")[0]})
    assert answer.status_code == 200, answer.json
    assert [(i["key"], i["overdue"]) for i in answer.json["items"]] == [
        ("applications.pending_unit_review", 2), ("applications.pending_report", 0)]
    assert [c[:2] for c in pool.calls] == [("subsidy_review", "todos"), ("publicity_assessment", "working_calendar"),
                                           ("subsidy_review", "overdue_todos")]
    assert pool.calls[-1][2] == (CALENDAR,)                 # subsidy_review counts on the owner's schedule
    with app.test_request_context("/portal/"):
        html = render_template("portal/home.html", todos=answer.json["items"], unavailable=[], account={})
    assert html.count("其中超时") == 1 and "其中超时 2" in html


def test_no_count_no_question(app, pool, issue, only_subsidy_review):
    pool.results["todos"] = [{**TODOS[0], "count": 0}]
    answer = app.test_client().get("/api/v1/todos", headers={"Authorization": issue(role="unit_admin")[0]})
    assert answer.status_code == 200 and "overdue" not in answer.json["items"][0]
    assert [c[1] for c in pool.calls] == ["todos"]


def test_a_schedule_that_cannot_be_had_leaves_the_counters_without_it(app, pool, issue, only_subsidy_review,
                                                                      monkeypatch):
    pool.results["todos"] = [dict(t) for t in TODOS]
    real = pool.call

    def calendar_down(service, method, *args, **kwargs):
        if method == "working_calendar":
            raise Unavailable("服务暂不可用", code="service_unavailable")
        return real(service, method, *args, **kwargs)
    monkeypatch.setattr(pool, "call", calendar_down)
    answer = app.test_client().get("/api/v1/todos", headers={"Authorization": issue(role="unit_admin")[0]})
    assert answer.status_code == 200 and [i["count"] for i in answer.json["items"]] == [3, 1]
    assert all("overdue" not in i for i in answer.json["items"])
