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


WAIT = {"city": "440700", "stage": 10, "since": "2026-09-24T02:00:00Z"}


def test_another_services_counters_say_what_they_count_and_get_their_overdue(app, pool, issue, monkeypatch):
    """A batch service's counter hands over its batches' waits, an application counter its statuses: the
    gateway asks subsidy_review once, with the schedule, and the counters no longer carry them."""
    monkeypatch.setitem(app.config, "COUNTER_SERVICES", ["org_confirmation"])
    pool.results.update({"todos": [
        {"key": "org.batches_pending", "count": 2, "label": "您有【2】个汇总批次待确认",
         "href": "/portal/city-batches?status=aggregated", "waits": [WAIT, {**WAIT, "since": "2026-10-19T02:00:00Z"}]},
        {"key": "org.to_aggregate", "count": 1, "label": "您有【1】个申请待汇总", "href": "/portal/org-reviews",
         "application_statuses": ["county_org_confirmed"]},
        {"key": "org.nothing", "count": 0, "label": "您有【0】个", "href": "/", "waits": []}],
        "working_calendar": CALENDAR, "overdue_todos": {"org.batches_pending": 1, "org.to_aggregate": 0}})
    answer = app.test_client().get("/api/v1/todos", headers={"Authorization": issue(role="city_org",
                                                                                      region="440700")[0]})
    assert answer.status_code == 200, answer.json
    assert [(i["key"], i.get("overdue")) for i in answer.json["items"]] == [
        ("org.batches_pending", 1), ("org.to_aggregate", 0), ("org.nothing", None)]
    assert not any("waits" in i or "application_statuses" in i for i in answer.json["items"])
    assert pool.calls[-1][:2] == ("subsidy_review", "overdue_todos")
    assert pool.calls[-1][2] == (CALENDAR, {"org.batches_pending": {"waits": [WAIT, {**WAIT, "since":
                                                                                      "2026-10-19T02:00:00Z"}]},
                                            "org.to_aggregate": {"statuses": ["county_org_confirmed"]}})


def test_a_list_of_batches_gets_each_waiting_ones_clock(app, pool, issue):
    late = {"stage": 10, "stage_name": "市组织部确认", "working_days": 4, "limit_days": 3, "overdue": True,
            "overdue_days": 1, "overdue_label": "已超时 1 个工作日"}
    pool.results.update({"list_batches": {"items": [{"id": "b1", "batch_no": "HZ1", "waiting": WAIT},
                                                    {"id": "b2", "batch_no": "HZ2", "waiting": None}],
                                          "total": 2, "page": 1, "page_size": 20},
                         "working_calendar": CALENDAR, "batch_clocks": {"b1": late}})
    answer = app.test_client().get("/api/v1/city-batches", headers={"Authorization": issue(role="city_org",
                                                                                             region="440700")[0]})
    assert answer.status_code == 200, answer.json
    assert [(i["id"], i["stage_clock"]) for i in answer.json["items"]] == [("b1", late), ("b2", None)]
    assert answer.json["items"][0]["waiting"] == WAIT
    assert pool.calls[-1] == ("subsidy_review", "batch_clocks", ({"b1": WAIT}, CALENDAR))
    from gateway.portal.lists import STAGE_CLOCK
    with app.test_request_context():
        cell = app.jinja_env.get_template("portal/macros.html").module.cell
        shown = cell({"stage_clock": late}, STAGE_CLOCK)
    assert "4/3个工作日" in shown and '<strong class="badge">已超时 1 个工作日</strong>' in shown


@pytest.mark.parametrize(("role", "asked"), [
    ("unit_admin", ["unit_registry", "subsidy_review"]),
    ("county_hrss", ["unit_registry", "subsidy_review", "publicity_assessment"]),
    ("city_hrss", ["org_confirmation"]),
    ("individual", ["subsidy_review", "finance_disbursement"]),
    ("employer", ["housing_fund"]),
    ("employee", ["unit_registry"]),   # counted nowhere: one is asked all the same (its revocation check)
])
def test_the_to_do_list_asks_the_services_that_count_for_the_role(app, pool, issue, role, asked):
    from gateway.api.work import COUNTER_SERVICES
    from shared.contracts.todos import COUNTER_ROLES
    assert sorted(COUNTER_ROLES) == sorted(COUNTER_SERVICES)
    pool.results["todos"] = []
    answer = app.test_client().get("/api/v1/todos", headers={"Authorization": issue(role=role, unit_id="u1")[0]})
    assert answer.status_code == 200 and answer.json == {"items": [], "unavailable": []}
    assert [c[0] for c in pool.calls if c[1] == "todos"] == asked
