"""站内消息 on a fake unit of work: whose application an event concerns, which kinds also go by SMS, one
message per event, the employer's monthly reminder, and reading one's own messages."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from identity import notifications
from shared.errors import NotFound
from shared.events import Envelope

from .conftest import ACC, DEFAULT_NOW, UNIT

APPLICATION = "6f1c2a10-0000-4000-8000-00000000ap01"


def event(event_type: str, source: str = "subsidy_review", **data) -> Envelope:
    return Envelope(type=event_type, source=f"/services/{source}", subject=data.get("application_id", "x"),
                    region="440703", actor={}, data=data)


def applicant(world, account_id: str = ACC, *, status: str = "active") -> str:
    world.account(account_id, f"user-{account_id[-4:]}", role="applicant", mobile="13800000001", status=status)
    return account_id


def test_an_event_of_an_application_whose_owner_is_not_known_yet_is_retried(world):
    with pytest.raises(notifications.OwnerUnknown):
        notifications.on_application_event(world.tx(), event("application.unit_returned",
                                                             application_id=APPLICATION, opinion="材料不全"))
    assert world.messages.rows == {}


def test_a_returned_application_is_messaged_to_its_owner_with_an_sms_and_once_per_event(world):
    owner = applicant(world)
    notifications.remember_owner(world.tx(), event("application.submitted", application_id=APPLICATION,
                                                   snapshot={"account_id": owner}))
    returned = event("application.county_returned", application_id=APPLICATION, application_no="SQ001",
                     opinion="收入证明缺失")
    notifications.on_application_event(world.tx(), returned)
    notifications.on_application_event(world.tx(), returned)   # redelivered
    [message] = world.messages.rows.values()
    assert (message["account_id"], message["kind"], message["body"]) == (
        owner, "returned", "您的补助申请SQ001被县区人社局退回：收入证明缺失")
    assert (message["sms_mobile"], message["sms_state"]) == ("13800000001", "pending")


def test_an_approval_is_messaged_without_sms_and_a_locked_account_gets_no_sms(world):
    owner = applicant(world, status="locked")
    notifications.remember_owner(world.tx(), event("application.submitted", application_id=APPLICATION,
                                                   snapshot={"account_id": owner}))
    notifications.on_application_event(world.tx(), event("application.county_approved",
                                                          application_id=APPLICATION, application_no="SQ001"))
    notifications.on_application_event(world.tx(), event("application.paid", application_id=APPLICATION,
                                                          application_no="SQ001", amount_fen=1234500))
    by_kind = {m["kind"]: m for m in world.messages.rows.values()}
    assert by_kind["approved"]["sms_state"] is None
    assert "12,345.00元" in by_kind["paid"]["body"] and by_kind["paid"]["sms_mobile"] is None
    assert by_kind["paid"]["link"] == "/portal/payments"


def test_the_monthly_reminder_goes_to_the_employer_s_first_active_account(world):
    world.account("6f1c2a10-0000-4000-8000-0000000000e2", "employer-late", role="employer", unit_id=UNIT,
                  created_at=DEFAULT_NOW - timedelta(days=1))
    world.account("6f1c2a10-0000-4000-8000-0000000000e1", "employer-first", role="employer", unit_id=UNIT)
    reminder = event("remittance.reminder_due", "housing_fund", employer_id=UNIT, month="202611")
    notifications.on_remittance_reminder(world.tx(), reminder)
    [message] = world.messages.rows.values()
    assert (message["account_id"], message["title"]) == ("6f1c2a10-0000-4000-8000-0000000000e1", "2026年11月尚未汇缴")
    notifications.on_remittance_reminder(world.tx(), event("remittance.reminder_due", "housing_fund",
                                                           employer_id=str(uuid.uuid4()), month="202611"))
    assert len(world.messages.rows) == 1   # an employer without a login: nothing to tell


def test_one_reads_and_marks_only_one_s_own_messages(world):
    owner = applicant(world)
    notifications.remember_owner(world.tx(), event("application.submitted", application_id=APPLICATION,
                                                   snapshot={"account_id": owner}))
    for opinion in ("一", "二"):
        notifications.on_application_event(world.tx(), event("application.unit_returned",
                                                              application_id=APPLICATION, opinion=opinion))
    mine = notifications.my_messages(world.tx(owner), False, 1, 20)
    assert mine["unread"] == 2 and [m["read"] for m in mine["items"]] == [False, False]
    first, second = (m["id"] for m in mine["items"])
    assert notifications.mark_read(world.tx(owner), first) == {"marked": 1, "unread": 1}
    assert [m["id"] for m in notifications.my_messages(world.tx(owner), True, 1, 20)["items"]] == [second]
    other = applicant(world, "6f1c2a10-0000-4000-8000-0000000000a2")
    with pytest.raises(NotFound):
        notifications.mark_read(world.tx(other), first)
    assert notifications.mark_read(world.tx(owner), None) == {"marked": 1, "unread": 0}
