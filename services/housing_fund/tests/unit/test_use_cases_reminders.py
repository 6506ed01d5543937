"""The monthly reminder, the to-do counters and the bureau's receiving account, on a fake unit of work."""
from __future__ import annotations

import pytest

from housing_fund.use_cases import payment_notices
from housing_fund.use_cases.remittances import reminders, review, submission
from housing_fund.use_cases.todos import todos as registry_todos
from shared.errors import InvalidInput

from .conftest import BUREAU, CITY, JIANGHAI, JIANGHAI_BUREAU, PENGJIANG

THIS_MONTH = "202611"   # the tests' now (2026-11-25 in Shanghai)


def remit(world, clerk, employee_id) -> dict:
    return submission.submit(world.tx(clerk), {"mode": "remit", "month": THIS_MONTH,
                                               "lines": [{"employee_id": employee_id}]})


def keys(items: list[dict]) -> dict[str, int]:
    return {i["key"]: i["count"] for i in items}


def test_an_active_employer_without_a_remittance_this_month_is_reminded_once(world):
    quiet, deferred, remitting, closed = (world.employer("甲单位"), world.employer("乙单位", status="03"),
                                          world.employer("丙单位"), world.employer("丁单位", status="04"))
    remit(world, world.clerk(remitting), world.employee(remitting))
    tx = world.tx()
    assert reminders.send_reminders(tx) == 2
    assert sorted(e.subject for e in tx.emitted) == sorted([quiet, deferred])
    assert {e.data["month"] for e in tx.emitted} == {THIS_MONTH}
    again = world.tx()
    assert reminders.send_reminders(again) == 0 and again.emitted == []
    assert closed not in {e for e, _ in world.remittances.reminders}


def test_a_returned_remittance_does_not_count_as_remitted(world):
    employer = world.employer()
    pending = remit(world, world.clerk(employer), world.employee(employer))
    review.return_(world.tx(BUREAU), pending["id"], "金额有误")
    tx = world.tx()
    assert reminders.send_reminders(tx, THIS_MONTH) == 1
    assert tx.event_types() == ["remittance.reminder_due"]


def test_the_employer_s_to_dos_follow_its_reminder_and_its_notices(world):
    employer = world.employer()
    clerk, employee = world.clerk(employer), world.employee(employer)
    reminders.send_reminders(world.tx())
    assert keys(reminders.todos(world.tx(clerk))) == {"remittances.reminder": 1}
    pending = remit(world, clerk, employee)
    assert keys(reminders.todos(world.tx(clerk))) == {}
    assert keys(reminders.todos(world.tx(BUREAU))) == {"remittances.pending_review": 1}
    assert keys(reminders.todos(world.tx(JIANGHAI_BUREAU))) == {}
    review.approve(world.tx(BUREAU), pending["id"])
    assert keys(reminders.todos(world.tx(clerk))) == {"payment_notices.awaiting": 1}
    assert keys(reminders.todos(world.tx(BUREAU))) == {}


def test_the_bureau_counts_the_registrations_and_changes_of_its_area(world):
    world.employer("待审单位")
    world.employers.patch(next(iter(world.employers.rows)), {"review_status": "pending"})
    world.employer("江海待审", region=JIANGHAI)
    world.employers.patch(list(world.employers.rows)[1], {"review_status": "pending"})
    counts = keys(registry_todos(world.tx(BUREAU)))
    assert counts == {"employers.pending_review": 2, "employer_changes.pending": 0, "employee_changes.pending": 0}
    assert keys(registry_todos(world.tx(JIANGHAI_BUREAU)))["employers.pending_review"] == 1


def test_an_employer_is_asked_to_initialise_its_roster_until_it_has(world):
    employer = world.employer()
    clerk = world.clerk(employer)
    assert keys(registry_todos(world.tx(clerk))) == {"transfers.incoming": 0, "employers.initialise": 1}
    world.employers.patch(employer, {"initialised_at": world.tx().now})
    assert keys(registry_todos(world.tx(clerk))) == {"transfers.incoming": 0}


def test_a_bureau_sets_its_receiving_account_and_a_county_falls_back_to_its_city(world):
    tx = world.tx(JIANGHAI_BUREAU)
    assert payment_notices.get_receiving_account(tx)["bureau"] == CITY
    kept = payment_notices.set_receiving_account(tx, {"account_name": " 江海区住房补贴专户 ",
                                                      "account_no": "4400 1700 0000 0000 2",
                                                      "bank_name": "工商银行江海支行"})
    assert kept == {"bureau": JIANGHAI, "account_name": "江海区住房补贴专户", "account_no": "44001700000000002",
                    "bank_name": "工商银行江海支行"}
    assert tx.audit_actions() == ["receiving_account.set"]
    assert payment_notices.receiving_account_for(world.tx(), JIANGHAI)["account_no"] == "44001700000000002"
    assert payment_notices.receiving_account_for(world.tx(), PENGJIANG)["bureau"] == CITY


@pytest.mark.parametrize("data, field", [(None, None), ({"account_name": "专户", "account_no": " ", "bank_name": "行"},
                                                        "account_no"),
                                         ({"account_name": "户" * 101, "account_no": "1", "bank_name": "行"},
                                          "account_name")])
def test_a_receiving_account_needs_all_three_fields_and_keeps_nothing_otherwise(world, data, field):
    tx = world.tx(BUREAU)
    before = dict(world.remittances.accounts)
    with pytest.raises(InvalidInput) as info:
        payment_notices.set_receiving_account(tx, data)
    assert info.value.code == ("receiving_account.required" if field is None else "receiving_account.field_required")
    assert world.remittances.accounts == before and tx.audited == []
