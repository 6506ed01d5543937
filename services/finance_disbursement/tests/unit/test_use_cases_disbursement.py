"""Stages 11-13 on a fake unit of work: a batch becomes ready when its applications add up, city
finance releases it county by county, county finance pays, the individual confirms or disputes."""
from __future__ import annotations

import uuid

import pytest

from finance_disbursement import use_cases
from shared.auth.principal import Principal
from shared.errors import Conflict, IllegalTransition, InvalidInput, NotFound

PENGJIANG, JIANGHAI = "440703", "440704"

def test_a_batch_is_ready_once_its_applications_add_up(world, events):
    batch_id = str(uuid.uuid4())
    app = events.application(batch_id, PENGJIANG, 960000)
    use_cases.receive_application(world.tx("system"), app)  # applications may arrive before their batch
    tx = world.tx("system")
    use_cases.receive_batch(tx, events.batch(batch_id, {PENGJIANG: (1, 960000)}))
    assert world.batches.find(batch_id)["status"] == "ready" and tx.audit_actions() == ["disbursement_batch.ready"]
    use_cases.receive_application(world.tx("system"), app)  # a repeat of the round changes nothing
    assert len(world.items.rows) == 1


def test_a_batch_that_does_not_add_up_waits(world, events):
    batch_id = str(uuid.uuid4())
    use_cases.receive_batch(world.tx("system"), events.batch(batch_id, {PENGJIANG: (1, 960000)}))
    use_cases.receive_application(world.tx("system"), events.application(batch_id, PENGJIANG, 1))
    assert world.batches.find(batch_id)["status"] == "waiting_items"
    with pytest.raises(IllegalTransition):
        use_cases.release(world.tx("city_finance"), batch_id)


def test_release_one_county_then_the_rest(world, ready_batch):
    batch_id, _ = ready_batch
    tx = world.tx("city_finance")
    result = use_cases.release(tx, batch_id, PENGJIANG)
    assert result["status"] == "partly_released" and result["released_transfers"][0]["count"] == 2
    assert tx.event_types() == ["application.funds_released"] * 2 + ["county_transfer.released"]
    assert result["released_transfers"][0]["transfer_no"] == "BF440703-20261125-01"
    with pytest.raises(Conflict) as info:
        use_cases.release(world.tx("city_finance"), batch_id, PENGJIANG)
    assert info.value.code == "disbursement_batch.county_already_released"
    assert use_cases.release(world.tx("city_finance"), batch_id)["status"] == "released"
    with pytest.raises(IllegalTransition):
        use_cases.release(world.tx("city_finance"), batch_id)


def test_release_refuses_bad_input_and_other_cities(world, ready_batch):
    batch_id, _ = ready_batch
    for county in ["4407", "440705"]:
        with pytest.raises(InvalidInput):
            use_cases.release(world.tx("city_finance"), batch_id, county)
    for bad_id in [batch_id, 42]:
        with pytest.raises(NotFound if bad_id == batch_id else InvalidInput):
            use_cases.release(world.tx("other_city_finance"), bad_id)
    assert world.transfers.rows == {}


def _released_transfer(world, batch_id: str, county: str) -> str:
    return use_cases.release(world.tx("city_finance"), batch_id, county)["released_transfers"][0]["id"]


def test_paying_before_the_arrival_is_confirmed_is_refused(world, ready_batch):
    transfer_id = _released_transfer(world, ready_batch[0], PENGJIANG)
    for act in (lambda tx: use_cases.pay(tx, transfer_id), lambda tx: use_cases.bank_file(tx, transfer_id)):
        with pytest.raises(Conflict) as info:
            act(world.tx("county_finance"))
        assert (info.value.status, info.value.code) == (409, "county_transfer.not_received")
    assert {i["status"] for i in world.items.rows.values() if i["county"] == PENGJIANG} == {"released"}
    assert world.payments.rows == {}
    with pytest.raises(NotFound):
        use_cases.confirm_arrival(world.tx("other_county_finance"), transfer_id)
    tx = world.tx("county_finance")
    result = use_cases.confirm_arrival(tx, transfer_id)
    assert (result["status"], result["arrival_confirmed_at"]) == ("received", "2026-11-25T02:00:00+00:00")
    assert tx.event_types() == ["county_transfer.arrival_confirmed"]
    assert tx.audit_actions() == ["county_transfer.confirm_arrival"]
    with pytest.raises(IllegalTransition):  # confirmed once
        use_cases.confirm_arrival(world.tx("county_finance"), transfer_id)


def _received_transfer(world, batch_id: str, county: str) -> str:
    transfer_id = _released_transfer(world, batch_id, county)
    use_cases.confirm_arrival(world.tx("county_finance" if county == PENGJIANG else "other_county_finance"),
                              transfer_id)
    return transfer_id


def test_county_finance_pays_those_with_a_bank_account(world, ready_batch):
    transfer_id = _received_transfer(world, ready_batch[0], PENGJIANG)
    with pytest.raises(NotFound):
        use_cases.pay(world.tx("other_county_finance"), transfer_id)
    tx = world.tx("county_finance")
    result = use_cases.pay(tx, transfer_id)
    assert result["status"] == "paid"
    assert sorted(i["status"] for i in result["items"]) == ["paid", "payment_failed"]
    assert sorted(tx.event_types()) == ["application.paid", "application.payment_failed"]
    assert len(world.payments.rows) == 1
    with pytest.raises(IllegalTransition):
        use_cases.pay(world.tx("county_finance"), transfer_id)


def _paid(world, ready_batch) -> dict:
    use_cases.pay(world.tx("county_finance"), _received_transfer(world, ready_batch[0], PENGJIANG))
    [payment] = world.payments.rows.values()
    return payment


def test_the_individual_confirms_the_receipt(world, ready_batch):
    payment = _paid(world, ready_batch)
    payee = Principal(account_id=payment["account_id"], role="individual")
    with pytest.raises(NotFound):  # another's payment
        use_cases.confirm_receipt(world.tx(Principal(account_id="someone-else", role="individual")), payment["id"])
    tx = world.tx(payee)
    assert use_cases.confirm_receipt(tx, payment["id"])["status"] == "receipt_confirmed"
    assert tx.event_types() == ["application.receipt_confirmed"]
    with pytest.raises(IllegalTransition):
        use_cases.confirm_receipt(world.tx(payee), payment["id"])


def test_a_dispute_needs_an_explanation_and_may_be_confirmed_later(world, ready_batch):
    payment = _paid(world, ready_batch)
    payee = Principal(account_id=payment["account_id"], role="individual")
    for bad in [None, " ", 5, "x" * 501]:
        with pytest.raises(InvalidInput) as info:
            use_cases.dispute_receipt(world.tx(payee), payment["id"], bad)
        assert info.value.code.startswith("payment.opinion_")
    tx = world.tx(payee)
    result = use_cases.dispute_receipt(tx, payment["id"], "没有收到")
    assert (result["status"], result["dispute_opinion"]) == ("receipt_disputed", "没有收到")
    assert tx.emitted[0].data["opinion"] == "没有收到"
    assert use_cases.confirm_receipt(world.tx(payee), payment["id"])["status"] == "receipt_confirmed"
