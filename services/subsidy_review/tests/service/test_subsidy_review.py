"""subsidy_review against real RabbitMQ and PostgreSQL: stages 1-4, rules, returns, the timeline and
the status mirror fed by the other authorities' events."""
import uuid

import pytest
from nameko.exceptions import RemoteError

from shared.db.tables import metadata as platform_metadata
from shared.events import Envelope, source_of
from shared.testing import rabbit
from shared.testing.checks import migration_drift
from shared.testing.helpers import remote_code, rows, scalar, wait_for
from shared.testing.service import call
from subsidy_review.adapters.orm import metadata

UNIT = "6f1c2a10-0000-4000-8000-0000000000aa"


def svc(config, method, *args, token=None, key=None):
    return call(config, "subsidy_review", method, *args, token=token, key=key)


def error(config, method, *args, token=None):
    with pytest.raises(RemoteError) as info:
        svc(config, method, *args, token=token)
    return remote_code(info.value)


def event(producer, event_type, data, actor=None):
    return Envelope(type=event_type, source=source_of(producer), subject=data.get("application_id") or
                    data.get("individual_id") or data.get("unit_id"), region=data.get("county") or data.get("region"),
                    data=data, actor=actor or {"role": "county_hrss", "account_id": None, "name": "某经办人"}).to_dict()


@pytest.fixture
def people(subsidy_review, subsidy_review_config, vhost, issue):
    """A unit in 440703 with a graduate (as unit_registry's events describe them) and everyone's token."""
    url = subsidy_review_config["DATABASE_URL"]
    graduate_token, claims = issue(role="individual", region=None, unit_id=UNIT)
    rabbit.publish(vhost, "unit_registry.events", "unit.approved", event("unit_registry", "unit.approved", {
        "unit_id": UNIT, "name": "测试科技有限公司", "uscc": "91440703MA5X12349J", "region": "440703",
        "status": "approved"}))
    individual_id = str(uuid.uuid4())
    rabbit.publish(vhost, "unit_registry.events", "individual.approved", event("unit_registry", "individual.approved", {
        "individual_id": individual_id, "account_id": claims["sub"], "unit_id": UNIT, "unit_name": "测试科技有限公司",
        "name": "王小明", "id_type": "resident_id", "id_number": "440703199803151233", "mobile": "13800000002",
        "degree": "bachelor", "region": "440703", "status": "approved",
        "bank_account": {"holder": "王小明", "bank": "工商银行", "number": "6222020000000000011"}}))
    wait_for(lambda: scalar(url, "SELECT count(*) FROM applicants") == 1, message="applicant copy")
    return {"graduate": graduate_token, "unit": issue(role="unit_admin", region=None, unit_id=UNIT)[0],
            "county": issue(role="county_hrss", region="440703")[0],
            "other_county": issue(role="county_hrss", region="440704")[0],
            "county_org": issue(role="county_org", region="440703")[0], "url": url,
            "graduate_account": claims["sub"]}


def submit(config, people, months=12):
    history = [{"employer": "测试科技有限公司", "position": "工程师"}]
    return svc(config, "submit_application", {"degree": "bachelor", "months": months, "start_date": "2026-07-01",
                                               "work_history": history}, token=people["graduate"])


def test_migrations_create_exactly_the_tables_of_the_models(subsidy_review_db):
    assert migration_drift(subsidy_review_db, metadata, platform_metadata, compare_type=False) == []


def test_stages_one_to_four_hand_over_a_full_snapshot(subsidy_review_config, people, vhost):
    cfg = subsidy_review_config
    tap = rabbit.Tap(vhost, ["subsidy_review.events"], "application.county_approved")
    app = submit(cfg, people)
    assert (app["status"], app["standard_fen"], app["amount_fen"]) == ("pending_unit_review", 80000, 960000)
    assert app["application_no"].startswith("BZ4407032026")
    assert svc(cfg, "approve", app["id"], "情况属实", token=people["unit"])["status"] == "pending_report"
    assert svc(cfg, "report", [app["id"]], token=people["unit"])["reported"] == 1
    approved = svc(cfg, "approve", app["id"], None, token=people["county"])
    assert (approved["status"], approved["round"]) == ("county_approved", 1)
    [message] = tap.drain(wait=5, until=1)
    snapshot = message["body"]["data"]["snapshot"]
    assert snapshot["bank_account"]["number"] == "6222020000000000011" and snapshot["amount_fen"] == 960000
    assert message["body"]["data"]["round"] == 1 and message["body"]["actor"]["role"] == "county_hrss"
    timeline = svc(cfg, "timeline", app["id"], token=people["graduate"])
    assert [s["done"] for s in timeline["stages"]][:5] == [True, True, True, True, False]
    assert timeline["stages"][1]["opinion"] == "情况属实"


def test_wrong_actor_other_county_and_wrong_order_change_nothing(subsidy_review_config, people):
    cfg = subsidy_review_config
    app = submit(cfg, people)
    assert error(cfg, "approve", app["id"], None, token=people["county_org"]) == (403, "auth.forbidden")
    assert error(cfg, "get_application", app["id"], token=people["other_county"]) == (404, "application.not_found")
    assert error(cfg, "approve", app["id"], None, token=people["county"]) == (409, "application.illegal_transition")
    assert error(cfg, "report", [app["id"]], token=people["unit"]) == (409, "application.illegal_transition")
    assert error(cfg, "return_application", app["id"], " ", token=people["unit"]) == (400, "opinion.required")
    assert svc(cfg, "get_application", app["id"], token=people["graduate"])["status"] == "pending_unit_review"
    assert scalar(people["url"], "SELECT count(*) FROM timeline") == 1


def test_invalid_submission_and_second_active_application_are_refused(subsidy_review_config, people):
    cfg = subsidy_review_config
    assert error(cfg, "submit_application", {"degree": "bachelor", "months": 99, "start_date": "2026-07-01"},
                 token=people["graduate"]) == (400, "application.months_out_of_range")
    submit(cfg, people)
    assert error(cfg, "submit_application", {"degree": "bachelor", "months": 3, "start_date": "2026-07-01"},
                 token=people["graduate"]) == (409, "application.already_active")
    assert scalar(people["url"], "SELECT count(*) FROM applications") == 1


def test_return_and_resubmission(subsidy_review_config, people):
    cfg = subsidy_review_config
    app = submit(cfg, people)
    returned = svc(cfg, "return_application", app["id"], "请补充工作经历", token=people["unit"])
    assert (returned["status"], returned["opinion"]) == ("unit_returned", "请补充工作经历")
    todos = svc(cfg, "todos", token=people["graduate"])
    assert todos[0]["count"] == 1 and todos[0]["label"] == "您有【1】个补助申请被退回待修改"
    again = svc(cfg, "resubmit_application", app["id"], {"degree": "bachelor", "months": 6,
                                                         "start_date": "2026-07-01"}, token=people["graduate"])
    assert (again["status"], again["amount_fen"]) == ("pending_unit_review", 480000)


def _county_approved(cfg, people):
    app = submit(cfg, people)
    svc(cfg, "approve", app["id"], None, token=people["unit"])
    svc(cfg, "report", [app["id"]], token=people["unit"])
    return svc(cfg, "approve", app["id"], None, token=people["county"])


def downstream(app, event_type, status, round_=1, **extra):
    data = {"application_id": app["id"], "application_no": app["application_no"], "county": "440703",
            "city": "440700", "unit_id": UNIT, "status": status, "round": round_, **extra}
    producer = {"application.publicity_started": "publicity_assessment",
                "application.objection_upheld": "publicity_assessment",
                "application.county_org_returned": "org_confirmation"}[event_type]
    return event(producer, event_type, data)


def test_downstream_events_move_the_mirror_and_returns_reopen_stage_four(subsidy_review_config, people, vhost):
    cfg, url = subsidy_review_config, people["url"]
    app = _county_approved(cfg, people)
    started = downstream(app, "application.publicity_started", "in_publicity", batch_id=str(uuid.uuid4()),
                         ends_on="2026-12-02")
    rabbit.publish(vhost, "publicity_assessment.events", "application.publicity_started", started)
    rabbit.publish(vhost, "publicity_assessment.events", "application.publicity_started", started)  # duplicate
    wait_for(lambda: svc(cfg, "get_application", app["id"], token=people["county"])["status"] == "in_publicity",
             message="mirror in publicity")
    returned = downstream(app, "application.county_org_returned", "pending_county_review", opinion="学历材料存疑")
    rabbit.publish(vhost, "org_confirmation.events", "application.county_org_returned", returned)
    wait_for(lambda: svc(cfg, "get_application", app["id"], token=people["county"])["status"]
             == "pending_county_review", message="back at stage 4")
    second = svc(cfg, "approve", app["id"], "已核实", token=people["county"])
    assert (second["status"], second["round"]) == ("county_approved", 2)
    # a stale round-1 event (new id) is history only
    rabbit.publish(vhost, "publicity_assessment.events", "application.publicity_started",
                   downstream(app, "application.publicity_started", "in_publicity", 1, batch_id=str(uuid.uuid4()),
                              ends_on="2026-12-02"))
    wait_for(lambda: scalar(url, "SELECT count(*) FROM timeline WHERE event_type='application.publicity_started'")
             == 2, message="stale event recorded")
    assert svc(cfg, "get_application", app["id"], token=people["county"])["status"] == "county_approved"
    history = svc(cfg, "timeline", app["id"], token=people["graduate"])["history"]
    assert [h["event_type"] for h in history].count("application.county_approved") == 2
    assert any(h["opinion"] == "学历材料存疑" for h in history)


def test_one_click_approve_reports_as_a_job(subsidy_review_config, people):
    cfg = subsidy_review_config
    app = submit(cfg, people)
    job = svc(cfg, "bulk_approve_and_report", None, token=people["unit"])
    done = wait_for(lambda: (lambda j: j if j["status"] == "done" else None)(
        svc(cfg, "get_job", job["id"], token=people["unit"])), message="job done")
    assert (done["succeeded"], done["failed"]) == (1, 0)
    assert svc(cfg, "get_application", app["id"], token=people["unit"])["status"] == "pending_county_review"
    assert [r["stage"] for r in rows(people["url"], "SELECT stage FROM timeline ORDER BY id")] == [1, 2, 3]
    county_todo = svc(cfg, "todos", token=people["county"])
    assert county_todo[0]["count"] == 1


def test_application_windows_and_their_graduation_range(subsidy_review_config, people, vhost, issue):
    """申报期 as city policy data: outside every window (once the city has one) an application is 409
    application.outside_window; inside one whose graduation range excludes the graduate, 409
    application.graduation_outside_window; either way nothing is written."""
    from datetime import timedelta

    from shared.clock import SystemClock

    cfg, url = subsidy_review_config, people["url"]
    admin = issue(role="sys_admin", region=None)[0]
    today = SystemClock().today_local()
    later = {"name": "下一申报期", "opens_on": (today + timedelta(days=10)).isoformat(),
             "closes_on": (today + timedelta(days=40)).isoformat()}
    assert error(cfg, "add_window", "440700", later, token=people["county"]) == (403, "auth.forbidden")
    assert error(cfg, "add_window", "440703", later, token=admin) == (400, "region.unknown")     # a county, not a city
    assert error(cfg, "add_window", "440700", {**later, "closes_on": today.isoformat()},
                 token=admin) == (400, "window.closes_before_opens")
    assert error(cfg, "add_window", "440700", {**later, "name": ""}, token=admin) == (400, "window.name_invalid")
    assert error(cfg, "add_window", "440700", {**later, "opens_on": "2026-02-30"}, token=admin) == \
        (400, "window.date_invalid")
    coming = svc(cfg, "add_window", "440700", later, token=admin)
    assert (coming["status"], coming["graduated_from"]) == ("active", None)
    assert error(cfg, "add_window", "440700", {**later, "name": "重叠"}, token=admin) == (409, "window.overlap")

    before = scalar(url, "SELECT count(*) FROM applications"), scalar(url, "SELECT count(*) FROM platform_outbox")
    assert error(cfg, "submit_application", {"degree": "bachelor", "months": 12, "start_date": "2026-07-01"},
                 token=people["graduate"]) == (409, "application.outside_window")
    current = svc(cfg, "add_window", "440700", {
        "name": "本期", "opens_on": (today - timedelta(days=5)).isoformat(), "closes_on": today.isoformat(),
        "graduated_from": "2021-07-01", "graduated_to": "2025-06-30"}, token=admin)
    assert error(cfg, "submit_application", {"degree": "bachelor", "months": 12, "start_date": "2026-07-01"},
                 token=people["graduate"]) == (409, "application.graduation_outside_window")   # none known
    assert (scalar(url, "SELECT count(*) FROM applications"), scalar(url, "SELECT count(*) FROM platform_outbox")) \
        == before

    rabbit.publish(vhost, "unit_registry.events", "individual.updated", event("unit_registry", "individual.updated", {
        "individual_id": scalar(url, "SELECT individual_id FROM applicants"), "account_id": people["graduate_account"],
        "unit_id": UNIT, "unit_name": "测试科技有限公司", "name": "王小明", "id_type": "resident_id",
        "id_number": "440703199803151233", "mobile": "13800000002", "degree": "bachelor", "region": "440703",
        "status": "approved", "graduated_on": "2025-06-30"}))
    wait_for(lambda: scalar(url, "SELECT graduated_on::text FROM applicants") == "2025-06-30", message="graduation")
    assert submit(cfg, people)["status"] == "pending_unit_review"

    listed = svc(cfg, "list_windows", "440700", token=people["graduate"])["items"]
    assert [w["id"] for w in listed] == [current["id"], coming["id"]]
    assert svc(cfg, "cancel_window", coming["id"], token=admin)["status_label"] == "已撤销"
    assert error(cfg, "cancel_window", coming["id"], token=admin) == (409, "window.already_cancelled")
    assert error(cfg, "cancel_window", str(uuid.uuid4()), token=admin) == (404, "window.not_found")


def test_the_standard_in_force_at_submission_stays_frozen(subsidy_review_config, people, vhost, issue):
    """A new policy version changes neither a submitted application nor what the county approval hands on."""
    cfg = subsidy_review_config
    admin = issue(role="sys_admin", region=None)[0]
    app = submit(cfg, people)
    version = app["policy_version"]
    svc(cfg, "set_policy", "440700", {"college": 60000, "bachelor": 99900, "master": 150000, "doctor": 200000},
        36, "2026-01-01", token=admin)
    read = svc(cfg, "get_application", app["id"], token=people["graduate"])
    assert (read["standard_fen"], read["amount_fen"], read["policy_version"]) == (80000, 960000, version)
    tap = rabbit.Tap(vhost, ["subsidy_review.events"], "application.county_approved")
    svc(cfg, "approve", app["id"], "情况属实", token=people["unit"])
    svc(cfg, "report", [app["id"]], token=people["unit"])
    svc(cfg, "approve", app["id"], None, token=people["county"])
    [message] = tap.drain(wait=5, until=1)
    snapshot = message["body"]["data"]["snapshot"]
    assert (snapshot["standard_fen"], snapshot["amount_fen"]) == (80000, 960000)
