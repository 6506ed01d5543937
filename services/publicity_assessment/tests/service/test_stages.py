"""Stages 5-7 end to end inside the service: publicity on the clock, assessment, report; the
objection return path and a new round."""
from datetime import date, datetime, time, timedelta

from publicity_assessment.adapters.calendar_csv import shipped_days
from publicity_assessment.adapters.orm import metadata
from publicity_assessment.domain.calendar import nth_working_day_after
from publicity_assessment.service import PublicityAssessmentService
from shared.clock import SHANGHAI, SystemClock
from shared.db.tables import metadata as platform_metadata
from shared.testing import rabbit
from shared.testing.checks import migration_drift
from shared.testing.helpers import rows, scalar, wait_for

SCHEDULE = {row["day"]: row["kind"] for row in shipped_days()}


def events_of(tap, count: int) -> list[dict]:
    messages = tap.drain(wait=10, until=count)
    assert len(messages) == count, [m["body"]["type"] for m in messages]
    return [m["body"] for m in messages]


def test_migrations_create_exactly_the_tables_of_the_models(publicity_assessment_session_db):
    assert migration_drift(publicity_assessment_session_db, metadata, platform_metadata) == []
    # the data step loaded the shipped holiday schedule and marked its years complete (a test that ran
    # before may have left an admin's later year in this session database)
    shipped = {d.year for d in SCHEDULE}
    assert scalar(publicity_assessment_session_db, "SELECT count(*) FROM calendar_days WHERE "
                  "extract(year FROM day) = ANY(:y)", y=sorted(shipped)) == len(SCHEDULE)
    assert scalar(publicity_assessment_session_db, "SELECT count(*) FROM calendar_years WHERE "
                  "year = ANY(:y) AND confirmed_by IS NULL", y=sorted(shipped)) == len(shipped) == 2


def test_publicity_ends_by_the_clock_then_assessment_and_report(desk, tap):
    zhang = desk.approve(name="张三")["data"]
    li = desk.approve(name="李小龙")["data"]
    ids = [zhang["application_id"], li["application_id"]]
    todos = {t["key"]: t for t in desk.call("todos")}
    assert todos["publicity.awaiting"]["count"] == 2
    assert todos["publicity.awaiting"]["label"] == "您有【2】个申请待公示"
    assert todos["publicity.awaiting"]["application_statuses"] == ["county_approved"]   # for its 其中超时

    batch = desk.call("start_publicity", ids)
    today = SystemClock().today_local()
    ends_on = nth_working_day_after(today, 5, SCHEDULE)  # the demo city's 5 working days
    assert batch["batch_no"] == f"GS440703-{today:%Y%m%d}-01"
    assert (batch["starts_on"], batch["ends_on"], batch["status"]) == (today.isoformat(), ends_on.isoformat(), "open")
    assert sorted(c["application_id"] for c in batch["cases"]) == sorted(ids)
    assert {c["status_label"] for c in batch["cases"]} == {"公示中"}
    started = events_of(tap, 3)
    assert started[0]["type"] == "publicity_batch.started" and started[0]["data"]["count"] == 2
    per_case = [e["data"] for e in started[1:]]
    assert {e["type"] for e in started[1:]} == {"application.publicity_started"}
    assert {(d["status"], d["batch_id"], d["ends_on"], d["round"]) for d in per_case} == {
        ("in_publicity", batch["id"], ends_on.isoformat(), 1)}

    notice = desk.call("public_publicity", None, 1, 20, anonymous=True)
    assert notice["total"] == 2
    line = next(i for i in notice["items"] if i["application_id"] == zhang["application_id"])
    assert (line["applicant_name"], line["degree_label"], line["amount_fen"]) == ("张*", "本科", 960000)
    assert "id_number" not in line and "bank_account" not in line and line["ends_on"] == ends_on.isoformat()

    desk.move_clock((ends_on - today).days)  # the last day: still running until 24:00 Asia/Shanghai
    before = desk.state()
    assert desk.tick() == 0
    assert desk.error("end_publicity", batch["id"]) == (409, "publicity.not_ended")  # not by hand either
    assert desk.state() == before and desk.call("public_publicity", anonymous=True)["total"] == 2
    desk.move_clock((ends_on - today).days + 1)
    # over: the public page drops it at once, before the timer has ended it
    assert desk.call("public_publicity", anonymous=True)["total"] == 0
    assert desk.tick() == 1 and desk.tick() == 0  # the timer ends it, once
    ended = desk.call("get_batch", batch["id"])
    assert ended["status"] == "ended" and {c["status"] for c in ended["cases"]} == {"publicity_passed"}
    assert desk.error("end_publicity", batch["id"]) == (409, "publicity_batch.illegal_transition")
    [audit] = rows(desk.url, "SELECT actor_role, actor_account FROM platform_audit_log "
                             "WHERE action = 'publicity_batch.end'")
    assert audit == {"actor_role": "system", "actor_account": "system:publicity_assessment"}
    passed = events_of(tap, 2)
    assert {(e["type"], e["data"]["status"]) for e in passed} == {("application.publicity_ended", "publicity_passed")}

    assert desk.call("assessment_pass", [zhang["application_id"]])["count"] == 1
    failed = desk.call("assessment_fail", li["application_id"], "工作经历与社保记录不符")
    assert (failed["status"], failed["opinion"]) == ("assessment_failed", "工作经历与社保记录不符")
    todos = {t["key"]: t["count"] for t in desk.call("todos")}
    assert (todos["assessment.pending"], todos["assessment.to_report"]) == (0, 1)
    reported = desk.call("report_to_county_org", [zhang["application_id"]])
    assert reported["items"][0]["status_label"] == "已上报县组织部"

    assessed = {e["type"]: e["data"] for e in events_of(tap, 3)}
    assert assessed["application.assessment_passed"]["status"] == "assessment_passed"
    assert assessed["application.assessment_failed"]["opinion"] == "工作经历与社保记录不符"
    handoff = assessed["application.reported_to_county_org"]
    assert handoff["status"] == "pending_county_org" and handoff["round"] == 1
    assert handoff["snapshot"] == zhang["snapshot"]  # bank account included, as received
    page = desk.call("list_cases", {"status": "reported"}, 1, 20)
    assert [i["application_id"] for i in page["items"]] == [zhang["application_id"]]
    assert page["items"][0]["id_number"] == "440703********1233"
    assert scalar(desk.url, "SELECT count(*) FROM platform_audit_log WHERE subject_type='case'") >= 8


def test_upheld_objection_returns_the_application_and_a_new_round_restarts_it(desk, tap):
    wang = desk.approve(name="王五")["data"]
    zhao = desk.approve(name="赵六")["data"]
    batch = desk.call("start_publicity", [wang["application_id"], zhao["application_id"]])
    events_of(tap, 3)
    objection = {"application_no": wang["application_no"], "reason": "该申请人实际未在该单位工作",
                 "contact_name": "举报人", "contact_phone": "13912345678"}
    lodged = desk.call("lodge_objection", objection, anonymous=True)
    second = desk.call("lodge_objection", {**objection, "reason": "同一问题的第二份异议材料"}, anonymous=True)
    other = desk.call("lodge_objection", {**objection, "application_no": zhao["application_no"]}, anonymous=True)
    assert lodged["status_label"] == "待处理"
    assert [e["type"] for e in events_of(tap, 3)] == ["objection.lodged"] * 3
    assert {t["key"]: t["count"] for t in desk.call("todos")}["publicity.objections"] == 3

    desk.move_clock((date.fromisoformat(batch["ends_on"]) - SystemClock().today_local()).days + 1)
    assert desk.error("end_publicity", batch["id"]) == (409, "publicity.objections_pending")
    assert desk.tick() == 0  # the timer leaves a batch with objections pending open, too

    upheld = desk.call("uphold_objection", lodged["id"], "经核查，申请人未在该单位实际工作")
    assert upheld["status"] == "upheld"
    [event] = events_of(tap, 1)
    assert event["type"] == "application.objection_upheld"
    assert (event["data"]["status"], event["data"]["opinion"], event["data"]["objection_id"]) == (
        "pending_county_review", "经核查，申请人未在该单位实际工作", lodged["id"])
    # the case left publicity: its other objection is settled with it, new ones are refused
    assert desk.call("get_objection", second["id"])["status"] == "upheld"
    assert desk.error("lodge_objection", objection, anonymous=True) == (409, "objection.not_in_publicity")
    assert desk.call("get_case", wang["application_id"])["status"] == "objection_upheld"

    dismissed = desk.call("dismiss_objection", other["id"], "经核查，异议不成立")
    assert dismissed["status_label"] == "异议不成立"
    [event] = events_of(tap, 1)
    assert (event["type"], event["data"]["opinion"]) == ("objection.dismissed", "经核查，异议不成立")
    assert desk.error("dismiss_objection", other["id"], "再次处理") == (409, "objection.illegal_transition")
    ended = desk.call("end_publicity", batch["id"])
    assert [c["application_id"] for c in ended["cases"] if c["status"] == "publicity_passed"] == [
        zhao["application_id"]]
    events_of(tap, 1)

    # subsidy_review approves it again after correction: round 2 goes through publicity again
    again = desk.approve(application_id=wang["application_id"], name="王五", round_=2)
    case = desk.case(wang["application_id"])
    assert (case["status"], case["round"], case["batch_id"], case["opinion"]) == ("awaiting_publicity", 2, None, None)
    stale = desk.approve(application_id=wang["application_id"], name="王五(旧)", round_=2)
    assert stale["id"] != again["id"]
    assert desk.case(wang["application_id"])["applicant_name"] == "王五"
    rebatch = desk.call("start_publicity", [wang["application_id"]])
    moved_today = date.fromisoformat(batch["ends_on"]) + timedelta(days=1)
    assert rebatch["batch_no"] == f"GS440703-{moved_today:%Y%m%d}-01"  # today, moved
    assert [(c["round"], c["status"]) for c in rebatch["cases"]] == [(2, "in_publicity")]
    assert {e["data"].get("round") for e in events_of(tap, 2)} == {None, 2}  # the batch event has no round


def test_objections_close_after_the_last_day_of_publicity(desk, vhost):
    integrators = rabbit.Tap(vhost, ["platform.events"], "subsidy.440700.440703.objection.lodged")
    sun = desk.approve(name="孙七")["data"]
    batch = desk.call("start_publicity", [sun["application_id"]])
    days_left = (date.fromisoformat(batch["ends_on"]) - SystemClock().today_local()).days
    objection = {"application_id": sun["application_id"], "reason": "学历证书存疑，请核查",
                 "contact_name": "群众", "contact_phone": "13700000000"}
    desk.move_clock(days_left)
    assert desk.call("lodge_objection", objection, anonymous=True)["status"] == "pending"  # the last day counts
    [copy] = [m["body"]["data"] for m in integrators.drain(wait=10, until=1)]
    assert copy["contact_name"] == "群*" and "contact_phone" not in copy  # integrators never see the mobile
    integrators.close()
    desk.move_clock(days_left + 1)
    before = desk.state()
    assert desk.error("lodge_objection", objection, anonymous=True) == (409, "objection.publicity_ended")
    assert desk.state() == before
    assert desk.call("list_objections", {"status": "pending"}, 1, 20)["items"][0]["contact_phone"] == "13700000000"


def _at_local(desk, day: date, hour: int, minute: int, second: int = 0) -> None:
    """Move the service's clock to ``day`` at the given time in Asia/Shanghai."""
    target = datetime.combine(day, time(hour, minute, second), SHANGHAI)
    desk.move_clock((target - SystemClock().now()).total_seconds() / 86400)


def test_objections_are_taken_until_midnight_of_the_last_day_in_shanghai(desk):
    case = desk.approve(name="周八")["data"]
    batch = desk.call("start_publicity", [case["application_id"]])
    last = date.fromisoformat(batch["ends_on"])
    objection = {"application_id": case["application_id"], "reason": "学历证书存疑，请核查",
                 "contact_name": "群众", "contact_phone": "13700000001"}
    _at_local(desk, last, 23, 59, 30)
    assert desk.call("lodge_objection", objection, anonymous=True)["status"] == "pending"
    assert desk.error("end_publicity", batch["id"]) == (409, "publicity.not_ended")
    # 00:00:30 the next day in Shanghai is still the last day in UTC (16:00:30): the city's day counts
    _at_local(desk, last + timedelta(days=1), 0, 0, 30)
    assert desk.error("lodge_objection", {**objection, "contact_phone": "13700000002"}, anonymous=True) == (
        409, "objection.publicity_ended")
    assert desk.call("public_publicity", anonymous=True)["total"] == 0
    assert desk.tick() == 0  # one objection pending: the batch waits for the clerk's decision
    [pending] = desk.call("list_objections", {"status": "pending"}, 1, 20)["items"]
    desk.call("dismiss_objection", pending["id"], "经核查，异议不成立")
    assert desk.tick() == 1
    assert desk.call("get_batch", batch["id"])["status"] == "ended"


def test_batches_that_fell_due_while_the_service_was_down_end_at_start_up(desk, container_factory,
                                                                          publicity_assessment_config):
    batch = desk.call("start_publicity", [desk.approve(name="吴九")["data"]["application_id"]])
    desk.container.stop()  # the service is down ...
    desk.move_clock((date.fromisoformat(batch["ends_on"]) - SystemClock().today_local()).days + 3)
    assert scalar(desk.url, "SELECT status FROM publicity_batches") == "open"  # ... while the batch falls due
    container_factory(PublicityAssessmentService, publicity_assessment_config).start()
    wait_for(lambda: scalar(desk.url, "SELECT status FROM publicity_batches") == "ended", message="ended at start-up")
    assert desk.call("get_batch", batch["id"])["cases"][0]["status"] == "publicity_passed"
