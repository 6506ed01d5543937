"""Line A end to end: one application through all 13 stages over HTTP, each actor with its own token;
the rules at every stage; catch-up after a service was down; duplicate events change nothing."""
import pytest

from shared import contracts
from shared.events import Envelope
from shared.testing import rabbit
from tests.e2e.walk import ApiError, City, Walk, end_publicity, until

STAGE_EXCHANGES = [f"{s}.events" for s in ("subsidy_review", "publicity_assessment", "org_confirmation",
                                            "finance_disbursement")]

#: the per-application events one uneventful walk produces, once each
WALK_EVENTS = [
    "application.submitted", "application.unit_approved", "application.reported", "application.county_approved",
    "application.publicity_started", "application.publicity_ended", "application.assessment_passed",
    "application.reported_to_county_org", "application.county_org_confirmed", "application.city_aggregated",
    "application.city_org_confirmed", "application.funds_released", "application.paid",
    "application.receipt_confirmed",
]


@pytest.fixture(scope="module")
def city(platform):
    return City(platform.config.gateway_url)


@pytest.fixture(scope="module")
def clock(platform):
    """Move every process's time ``days`` further on (as `python -m deploy.stack clock --days` does)."""
    from deploy.stack import advance_clock

    return lambda days: advance_clock(platform.config.clock_file, days)


def error_of(action) -> tuple[int, str]:
    with pytest.raises(ApiError) as info:
        action()
    return info.value.status, info.value.error.get("code")


def app_events(messages, app_id):
    return [m for m in messages if m["body"].get("data", {}).get("application_id") == app_id]


def test_one_application_through_all_thirteen_stages(city, clock, platform):
    tap = rabbit.Tap(platform.vhost, STAGE_EXCHANGES)
    walk = Walk(city)
    walk.run_all(clock)
    until(lambda: walk.status() == "receipt_confirmed", message="mirror reaches receipt_confirmed")
    timeline = walk.graduate.get(f"/applications/{walk.app_id}/timeline")
    assert [s["stage"] for s in timeline["stages"] if s["done"]] == list(range(1, 14))
    roles = [s["actor_role"] for s in timeline["stages"]]
    assert roles == ["individual", "unit_admin", "unit_admin", "county_hrss", "county_hrss", "county_hrss",
                     "county_hrss", "county_org", "city_hrss", "city_org", "city_finance", "county_finance",
                     "individual"]
    assert all(s["at"] and s["actor_name"] for s in timeline["stages"])
    assert timeline["stages"][1]["opinion"] == "情况属实"

    seen = app_events(tap.drain(wait=2), walk.app_id)
    types = [m["body"]["type"] for m in seen]
    assert sorted(types) == sorted(WALK_EVENTS), types       # each stage change exactly once
    for message in seen:
        envelope = Envelope.from_dict(message["body"])
        contract = contracts.get(envelope.type)
        contract.validate(envelope.data)
        assert message["exchange"] == contract.exchange and message["properties"]["message_id"] == envelope.id
        assert "token" not in repr(message).lower() and "authorization" not in repr(message).lower()
    paid = next(m for m in seen if m["body"]["type"] == "application.paid")["body"]["data"]
    assert paid["amount_fen"] == walk.application["amount_fen"] == 80000 * 12


def test_wrong_actor_other_county_and_wrong_order_are_refused_at_every_stage(city, clock, platform):
    # every state change emits its event: if this application's events over the whole test are exactly
    # those of a plain walk, none of the refused requests changed anything
    tap = rabbit.Tap(platform.vhost, STAGE_EXCHANGES)
    walk = Walk(city)
    other = Walk(city, county="440704")
    app = walk.stage1_submit()
    path = f"/applications/{walk.app_id}"
    unit, county, foreign_county = walk.officer("unit"), walk.officer("county"), other.officer("county")

    def unchanged(status):
        assert walk.status() == status

    # stage 2: the county may not act for the unit; another unit's clerk sees nothing; no report yet
    assert error_of(lambda: county.post(f"{path}/approve", {}))[0] == 409      # county's turn is stage 4
    assert error_of(lambda: walk.graduate.post(f"{path}/approve", {})) == (403, "auth.forbidden")
    assert error_of(lambda: other.officer("unit").post(f"{path}/approve", {}))[0] == 404
    assert error_of(lambda: unit.post("/applications/report", {"application_ids": [walk.app_id]}))[0] == 409
    unchanged("pending_unit_review")
    walk.stage2_unit_approve()
    # stage 3
    assert error_of(lambda: foreign_county.post(f"{path}/approve", {}))[0] == 404
    walk.stage3_report()
    # stage 4
    assert error_of(lambda: walk.officer("county_org").post(f"{path}/approve", {}))[0] == 403
    assert error_of(lambda: foreign_county.post(f"{path}/approve", {}))[0] == 404
    assert error_of(lambda: county.post("/publicity-batches", {"application_ids": [walk.app_id]}))[0] in (404, 409)
    unchanged("pending_county_review")
    walk.stage4_county_approve()
    # stage 5: publicity belongs to the county HRSS of the application's county
    assert error_of(lambda: foreign_county.post("/publicity-batches", {"application_ids": [walk.app_id]}))[0] == 404
    assert error_of(lambda: walk.officer("county_org").post("/publicity-batches",
                                                            {"application_ids": [walk.app_id]}))[0] == 403
    assert error_of(lambda: county.post("/assessments/pass", {"application_ids": [walk.app_id]}))[0] in (404, 409)
    walk.publicity_batch = until(lambda: _try(lambda: county.post("/publicity-batches",
                                                                  {"application_ids": [walk.app_id]})),
                                 message="publicity case")
    assert error_of(lambda: county.post(f"/publicity-batches/{walk.publicity_batch['id']}/end"))[1] \
        == "publicity.not_ended"
    clock(15)
    city.relogin()
    county = walk.officer("county")
    end_publicity(county, walk.publicity_batch["id"])
    # stage 6-7
    assert error_of(lambda: county.post("/assessments/report", {"application_ids": [walk.app_id]}))[0] == 409
    assert error_of(lambda: other.officer("county").post("/assessments/pass",
                                                         {"application_ids": [walk.app_id]}))[0] == 404
    walk.stage6_assess()
    walk.stage7_report_to_org()
    # stage 8
    assert error_of(lambda: county.post("/org-reviews/confirm", {"application_ids": [walk.app_id]}))[0] == 403
    until(lambda: _try(lambda: walk.officer("county_org").get(f"/org-reviews/{walk.app_id}")), message="org case")
    assert error_of(lambda: other.officer("county_org").post("/org-reviews/confirm",
                                                             {"application_ids": [walk.app_id]}))[0] == 404
    assert error_of(lambda: city.city("city_hrss").post("/city-batches", {"application_ids": [walk.app_id]}))[0] \
        == 409
    walk.stage8_county_org()
    # stage 9-10
    assert error_of(lambda: walk.officer("county_org").post("/city-batches",
                                                            {"application_ids": [walk.app_id]}))[0] == 403
    walk.stage9_aggregate()
    assert error_of(lambda: city.city("city_hrss").post(f"/city-batches/{walk.city_batch['id']}/confirm"))[0] == 403
    walk.stage10_city_org()
    assert error_of(lambda: city.city("city_org").post(f"/city-batches/{walk.city_batch['id']}/confirm"))[0] == 409
    # stage 11-13
    assert error_of(lambda: walk.officer("county_finance").post(
        f"/disbursement-batches/{walk.city_batch['id']}/release", {"county": walk.county}))[0] == 403
    walk.stage11_release()
    assert error_of(lambda: city.city("city_finance").post(
        f"/disbursement-batches/{walk.city_batch['id']}/release", {"county": walk.county}))[0] == 409
    walk.transfer = until(walk._my_transfer, message="transfer")
    assert error_of(lambda: other.officer("county_finance").post(f"/county-transfers/{walk.transfer['id']}/pay"))[0] \
        == 404
    assert error_of(lambda: walk.officer("county_finance").post(f"/county-transfers/{walk.transfer['id']}/pay")) \
        == (409, "county_transfer.not_received")
    walk.stage12_pay()
    assert error_of(lambda: walk.officer("county_finance").post(f"/county-transfers/{walk.transfer['id']}/pay"))[0] \
        == 409
    walk.payment = until(walk._my_payment, message="payment")
    stranger = city.new_graduate()
    assert error_of(lambda: stranger.post(f"/payments/{walk.payment['id']}/confirm-receipt"))[0] == 404
    walk.stage13_confirm()
    assert error_of(lambda: walk.graduate.post(f"/payments/{walk.payment['id']}/confirm-receipt"))[0] == 409
    until(lambda: walk.status() == "receipt_confirmed", message="receipt confirmed")
    assert app["amount_fen"] == 960000
    events = [m["body"]["type"] for m in app_events(tap.drain(wait=2), walk.app_id)]
    assert sorted(events) == sorted(WALK_EVENTS), events


def _try(action):
    try:
        return action()
    except ApiError as exc:
        if exc.status in (404, 409):
            return None
        raise


def test_catch_up_after_publicity_service_was_down(city, platform):
    walk = Walk(city)
    walk.stage1_submit()
    walk.stage2_unit_approve()
    walk.stage3_report()
    platform.stop_one("publicity_assessment")
    try:
        walk.stage4_county_approve()
        # the relay publishes after the commit: on a loaded machine that may take a moment
        until(lambda: rabbit.queue_depth(platform.vhost, "publicity_assessment.application.county_approved")[0] >= 1,
              timeout=30, message="the approval waiting in the stopped service's queue")
    finally:
        platform.restart("publicity_assessment")
    county = walk.officer("county")
    batch = until(lambda: _try(lambda: county.post("/publicity-batches", {"application_ids": [walk.app_id]})),
                  message="the approval reaching publicity after the restart")
    assert batch["id"]
    until(lambda: walk.status() == "in_publicity", message="mirror in publicity")


def test_every_stage_event_published_twice_changes_nothing(city, clock, platform):
    tap = rabbit.Tap(platform.vhost, STAGE_EXCHANGES)
    walk = Walk(city)
    walk.run_all(clock)
    until(lambda: walk.status() == "receipt_confirmed", message="walk done")
    messages = app_events(tap.drain(wait=2), walk.app_id)
    assert len(messages) == len(WALK_EVENTS)
    timeline_before = walk.graduate.get(f"/applications/{walk.app_id}/timeline")["history"]
    stats_before = city.city("city_finance").get("/disbursement-statistics")
    for message in messages:                          # plain pika, exactly as a redelivery would look
        rabbit.publish(platform.vhost, message["exchange"], message["routing_key"], message["body"])
    until(lambda: all(rabbit.queue_depth(platform.vhost, contracts.queue_name(c, m["body"]["type"]))[0] == 0
                      for m in messages for c in contracts.consumers_of(m["body"]["type"])),
          message="duplicates consumed")
    assert walk.graduate.get(f"/applications/{walk.app_id}/timeline")["history"] == timeline_before
    assert walk.status() == "receipt_confirmed"
    assert city.city("city_finance").get("/disbursement-statistics") == stats_before
    payments = walk.graduate.get("/payments")
    items = payments["items"] if isinstance(payments, dict) else payments
    assert len([p for p in items if p["application_id"] == walk.app_id]) == 1
