"""The finance bureau's rules without broker or database: workflows, reconciliation, input checks."""
from datetime import date

import pytest

from finance_disbursement.domain.reconciliation import CountyTotal, reconcile
from finance_disbursement.domain.rules import (
    check_county_choice,
    check_filters,
    check_id,
    check_opinion,
    is_new_round,
    transfer_no,
)
from finance_disbursement.domain.workflows import (
    BATCH,
    ITEM,
    PAYMENT,
    TRANSFER,
    batch_label,
    item_label,
    release_action,
)
from shared.contracts.applications import round_of
from shared.contracts.statuses import APPLICATION_STATUSES
from shared.errors import IllegalTransition, InvalidInput
from shared.validators import mask_bank_number

LINES = [CountyTotal("440703", 2, 300_000), CountyTotal("440704", 1, 240_000)]


def test_a_batch_is_ready_only_when_every_application_has_arrived_and_adds_up():
    partial = reconcile(3, 540_000, LINES, [CountyTotal("440703", 2, 300_000)])
    assert not partial.complete and not partial.ready and partial.discrepancies == []
    assert partial.to_dict()["missing_count"] == 1
    full = reconcile(3, 540_000, LINES, [CountyTotal("440703", 2, 300_000), CountyTotal("440704", 1, 240_000)])
    assert full.ready and full.arrived_amount_fen == 540_000


def test_amounts_that_do_not_add_up_per_county_are_named():
    arrived = [CountyTotal("440703", 2, 290_000), CountyTotal("440704", 1, 250_000)]
    result = reconcile(3, 540_000, LINES, arrived)
    assert result.complete and not result.ready
    assert [(d.scope, d.measure, d.expected, d.actual) for d in result.discrepancies] == [
        ("440703", "amount_fen", 300_000, 290_000), ("440704", "amount_fen", 240_000, 250_000)]
    assert result.discrepancies[0].message == "蓬江区金额不符：批次记载¥3,000.00，实际¥2,900.00"


def test_a_batch_whose_header_disagrees_with_its_lines_is_never_ready():
    result = reconcile(3, 999_999, LINES, [CountyTotal("440703", 2, 300_000), CountyTotal("440704", 1, 240_000)])
    scopes = {(d.scope, d.measure) for d in result.discrepancies}
    assert ("lines", "amount_fen") in scopes and ("total", "amount_fen") in scopes and not result.ready


def test_more_applications_than_announced_is_a_discrepancy():
    arrived = [CountyTotal("440703", 3, 400_000), CountyTotal("440704", 1, 240_000)]
    result = reconcile(3, 540_000, LINES, arrived)
    assert ("total", "count", 3, 4) in [(d.scope, d.measure, d.expected, d.actual) for d in result.discrepancies]


def test_the_money_moves_only_forward_and_once():
    assert ITEM.next("confirmed", "release") == "released"
    assert ITEM.next("released", "pay") == "paid"
    assert ITEM.next("paid", "confirm_receipt") == "receipt_confirmed"
    assert ITEM.next("receipt_disputed", "confirm_receipt") == "receipt_confirmed"
    for status, action in [("paid", "pay"), ("confirmed", "pay"), ("receipt_confirmed", "dispute_receipt")]:
        with pytest.raises(IllegalTransition) as info:
            ITEM.next(status, action)
        assert info.value.status == 409 and info.value.code == "application.illegal_transition"
    with pytest.raises(IllegalTransition):
        TRANSFER.next("paid", "pay")
    with pytest.raises(IllegalTransition):
        PAYMENT.next("receipt_confirmed", "confirm_receipt")
    with pytest.raises(IllegalTransition):
        BATCH.next("waiting_items", "release_all")


def test_release_of_the_last_county_completes_the_batch():
    counties = {"440703", "440704"}
    assert release_action(counties, set(), {"440703"}) == "release_part"
    assert release_action(counties, {"440703"}, {"440704"}) == "release_all"
    assert BATCH.next("partly_released", "release_all") == "released"


def test_every_item_status_has_a_chinese_label_from_the_application_vocabulary():
    for status in ITEM.statuses():
        assert item_label(status) in {label for _, label in APPLICATION_STATUSES.values()}
    assert batch_label("ready") == "待拨付"


def test_transfer_numbers_and_masked_bank_numbers():
    assert transfer_no("440703", date(2026, 11, 25), 1) == "BF440703-20261125-01"
    assert mask_bank_number("6222020000000000011") == "***************0011"
    assert mask_bank_number("1234") == "****" and mask_bank_number(None) is None


def test_rounds_tell_a_new_entry_from_a_repeat():
    assert round_of({"round": 2, "snapshot": {"round": 1}}) == 2
    assert round_of({"snapshot": {"round": 3}}) == 3 and round_of({"snapshot": {}}) == 1
    assert is_new_round(1, None) and is_new_round(2, 1)
    assert not is_new_round(1, 1) and not is_new_round(1, 2)


def test_input_checks_name_the_field():
    with pytest.raises(InvalidInput) as info:
        check_opinion("  ")
    assert info.value.details == {"fields": {"opinion": "请填写未收到补助的情况说明"}}
    assert check_opinion(" 银行卡未到账 ") == "银行卡未到账"
    with pytest.raises(InvalidInput):
        check_opinion("长" * 501)
    assert check_county_choice(None, ["440703"]) is None and check_county_choice("440703", ["440703"]) == "440703"
    for bad in ["4407", "440704", 440703]:
        with pytest.raises(InvalidInput):
            check_county_choice(bad, ["440703"])
    with pytest.raises(InvalidInput):
        check_id(42, "batch_id")
    assert check_filters({"status": "ready", "q": ""}, {"status": ["ready"], "q": None}) == {"status": "ready"}
    for bad in [{"status": "lost"}, {"colour": "red"}, "status=ready"]:
        with pytest.raises(InvalidInput):
            check_filters(bad, {"status": ["ready"]})
