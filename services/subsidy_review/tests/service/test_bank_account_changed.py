"""个人更正银行账户 reaching subsidy_review over the real broker and database: unit_registry's
``individual.bank_account_changed`` (a duplicate, an older one arriving late) changes the copy of the person
once, an application the county already approved keeps the account it froze, and the same person's later
application freezes the corrected account at its county approval (with the time unit_registry stated it)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shared.testing import rabbit
from shared.testing.helpers import scalar, wait_for

from .test_subsidy_review import UNIT, event, people, svc  # noqa: F401  (people: the fixture)

OLD_NUMBER = "6222020000000000011"  # the account of the people fixture's individual.approved
CORRECTED = {"holder": "王小明", "bank": "中国建设银行江门分行", "number": "6217000000000000099"}


def account_changed(graduate: dict, account: dict, *, at: datetime | None = None) -> dict:
    """``individual.bank_account_changed`` as unit_registry publishes it for the fixture's graduate."""
    individual_id = scalar(graduate["url"], "SELECT individual_id FROM applicants")
    envelope = event("unit_registry", "individual.bank_account_changed", {
        "individual_id": individual_id, "account_id": graduate["graduate_account"], "unit_id": UNIT,
        "unit_name": "测试科技有限公司", "name": "王小明", "id_type": "resident_id",
        "id_number": "440703199803151233", "mobile": "13800000002", "degree": "bachelor", "region": "440703",
        "status": "approved", "opinion": None, "bank_account": account},
        actor={"role": "individual", "account_id": graduate["graduate_account"], "name": "王小明"})
    if at is not None:
        envelope["time"] = at.isoformat()
    return envelope


def deliver(vhost: str, url: str, *envelopes: dict) -> None:
    """Publish on unit_registry's exchange; wait until every event id is in the inbox and the queue is empty."""
    for envelope in envelopes:
        rabbit.publish(vhost, "unit_registry.events", envelope["type"], envelope)
    ids = sorted({e["id"] for e in envelopes})
    wait_for(lambda: scalar(url, "SELECT count(*) FROM platform_inbox WHERE event_id = ANY(:ids)", ids=ids)
             == len(ids), message="corrections consumed")
    wait_for(lambda: rabbit.queue_depth(vhost, "subsidy_review.individual.bank_account_changed")[0] == 0,
             message="queue drained")


def through_county(cfg: dict, tokens: dict, start_date: str) -> dict:
    app = svc(cfg, "submit_application", {"degree": "bachelor", "months": 12, "start_date": start_date},
              token=tokens["graduate"])
    svc(cfg, "approve", app["id"], None, token=tokens["unit"])
    svc(cfg, "report", [app["id"]], token=tokens["unit"])
    return app


def frozen_number(cfg: dict, tokens: dict, app: dict) -> str:
    return svc(cfg, "get_application", app["id"], token=tokens["county"])["bank_account"]["number"]


def test_a_later_application_freezes_the_corrected_account_and_an_approved_one_keeps_its_own(
        subsidy_review_config, people, vhost):  # noqa: F811
    cfg, url = subsidy_review_config, people["url"]
    first = through_county(cfg, people, "2026-07-01")
    svc(cfg, "approve", first["id"], None, token=people["county"])
    assert frozen_number(cfg, people, first) == OLD_NUMBER

    correction = account_changed(people, CORRECTED)
    deliver(vhost, url, correction, correction)  # the same event twice: handled once
    assert scalar(url, "SELECT count(*) FROM platform_inbox WHERE event_id = :id", id=correction["id"]) == 1
    assert scalar(url, "SELECT bank_account->>'number' FROM applicants") == CORRECTED["number"]
    stated_at = scalar(url, "SELECT bank_account_at FROM applicants")
    assert stated_at == datetime.fromisoformat(correction["time"])
    assert frozen_number(cfg, people, first) == OLD_NUMBER  # approved: its frozen account does not change

    older = account_changed(people, {**CORRECTED, "number": "6217000000000000011"},
                            at=datetime.now(UTC) - timedelta(hours=1))
    deliver(vhost, url, older)  # stated before the correction, delivered after it: changes nothing
    assert scalar(url, "SELECT bank_account->>'number' FROM applicants") == CORRECTED["number"]

    # the first application is paid and confirmed (finance's event): the same person applies again
    receipt = event("finance_disbursement", "application.receipt_confirmed", {
        "application_id": first["id"], "application_no": first["application_no"], "county": "440703",
        "city": "440700", "unit_id": UNIT, "status": "receipt_confirmed", "round": 1})
    rabbit.publish(vhost, "finance_disbursement.events", "application.receipt_confirmed", receipt)
    wait_for(lambda: svc(cfg, "get_application", first["id"], token=people["county"])["status"]
             == "receipt_confirmed", message="first application confirmed")
    tap = rabbit.Tap(vhost, ["subsidy_review.events"], "application.county_approved")
    second = through_county(cfg, people, "2027-07-01")
    svc(cfg, "approve", second["id"], None, token=people["county"])
    assert frozen_number(cfg, people, second) == CORRECTED["number"]
    assert frozen_number(cfg, people, first) == OLD_NUMBER
    # the tap may also catch the first approval's event if the outbox relay publishes it late
    [message] = wait_for(lambda: [m for m in tap.drain(wait=1) if m["body"]["data"]["application_id"]
                                  == second["id"]] or None, message="second approval published")
    snapshot = message["body"]["data"]["snapshot"]
    assert snapshot["bank_account"] == CORRECTED
    assert datetime.fromisoformat(snapshot["bank_account_at"]) == stated_at
