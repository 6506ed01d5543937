"""Stage 12 through the bank, on a fake unit of work: the payment file of a received transfer, the
bank's result file (回盘) with its bad lines, a failed payment retried with a corrected account or
returned, clawbacks after payment."""
from __future__ import annotations

import copy
import hashlib
from datetime import UTC, datetime

import pytest

from finance_disbursement import use_cases, views
from shared.errors import Conflict, IllegalTransition, InvalidInput, NotFound
from shared.events import Envelope

PENGJIANG, JIANGHAI = "440703", "440704"

NEW_ACCOUNT = {"holder": "张三", "bank": "中国银行江门分行", "number": "6217000000000099"}


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture
def received(world, ready_batch):
    """Pengjiang's transfer released and its arrival confirmed: two applications, one without an account."""
    transfer_id = use_cases.release(world.tx("city_finance"), ready_batch[0], PENGJIANG)["released_transfers"][0]["id"]
    use_cases.confirm_arrival(world.tx("county_finance"), transfer_id)
    return transfer_id


def result_line(line: dict, result: str = "成功", row: int = 2, **override) -> dict:
    return {"row": row, "line_key": line["line_key"], "bank_number": line["bank_number"],
            "amount": f"{line['amount_fen'] / 100:.2f}", "result": result, "reason": None, **override}


def snapshot(world) -> tuple:
    return (copy.deepcopy(world.items.rows), copy.deepcopy(world.payments.rows), copy.deepcopy(world.transfers.rows))


def test_the_bank_file_holds_the_frozen_accounts_of_those_to_pay(world, received):
    tx = world.tx("county_finance")
    answer = use_cases.bank_file(tx, received)
    [line] = answer["lines"]
    assert line["bank_number"] == "6222020000000011" and line["amount_fen"] == 960000
    assert line["line_key"].endswith("-1-1") and len(answer["without_account"]) == 1
    assert tx.audit_actions() == ["payment.bank_file"]
    with pytest.raises(NotFound):
        use_cases.bank_file(world.tx("other_county_finance"), received)


def test_a_result_file_pays_or_fails_each_line_and_twice_changes_nothing(world, received):
    [line] = use_cases.bank_file(world.tx("county_finance"), received)["lines"]
    tx = world.tx("county_finance")
    answer = use_cases.import_bank_result(tx, received, sha("f1"), "回盘.xlsx", [result_line(line)])
    assert (answer["paid"], answer["failed"], answer["rejected"], answer["repeated"]) == (1, 1, 0, False)
    assert sorted(tx.event_types()) == ["application.paid", "application.payment_failed"]
    assert world.transfers.find(received)["status"] == "paid" and len(world.payments.rows) == 1
    before = snapshot(world)
    again = world.tx("county_finance")
    repeated = use_cases.import_bank_result(again, received, sha("f1"), "回盘.xlsx", [result_line(line)])
    assert repeated["repeated"] and repeated["id"] == answer["id"] and again.emitted == [] and again.audited == []
    assert snapshot(world) == before
    # another file with the same line: already settled, reported, nothing changes
    other = use_cases.import_bank_result(world.tx("county_finance"), received, sha("f2"), None, [result_line(line)])
    assert other["unchanged"] == 1 and snapshot(world) == before


def test_bad_lines_are_reported_and_change_nothing(world, received):
    [line] = use_cases.bank_file(world.tx("county_finance"), received)["lines"]
    before = snapshot(world)
    bad = [result_line(line, line_key="SQ440703-unknown-1-1"), result_line(line, amount="9600.01", row=3),
           result_line(line, bank_number="6222020000009999", row=4), result_line(line, result="处理中", row=5)]
    tx = world.tx("county_finance")
    with pytest.raises(InvalidInput) as info:  # no line to settle: the file is refused whole, not recorded
        use_cases.import_bank_result(tx, received, sha("bad"), None, bad)
    assert info.value.code == "bank_result.rejected" and [o["code"] for o in info.value.details["lines"]] == [
        "bank_result.unknown_line", "bank_result.amount_mismatch", "bank_result.account_mismatch",
        "bank_result.result_invalid"]
    assert tx.emitted == [] and tx.audited == [] and world.bank_files.rows == {} and snapshot(world) == before
    for bad_input in [[], "x", [1]]:
        with pytest.raises(InvalidInput):
            use_cases.import_bank_result(world.tx("county_finance"), received, sha("x"), None, bad_input)
    with pytest.raises(InvalidInput):
        use_cases.import_bank_result(world.tx("county_finance"), received, "not-a-hash", None, [result_line(line)])
    assert world.bank_files.rows == {} and snapshot(world) == before
    # beside a good line, the bad ones are reported and change nothing of theirs
    mixed = use_cases.import_bank_result(world.tx("county_finance"), received, sha("mixed"), None,
                                         [*bad[:3], result_line(line, row=6)])
    assert (mixed["paid"], mixed["rejected"]) == (1, 3)
    assert [o["code"] for o in mixed["lines"][:3]] == [
        "bank_result.unknown_line", "bank_result.amount_mismatch", "bank_result.account_mismatch"]


def _failed(world, received) -> dict:
    [line] = use_cases.bank_file(world.tx("county_finance"), received)["lines"]
    use_cases.import_bank_result(world.tx("county_finance"), received, sha("fail"), None,
                                 [result_line(line, "失败", reason="账户已销户")])
    return next(i for i in world.items.rows.values() if i["bank_number"] == line["bank_number"])


def test_a_failed_payment_is_retried_with_the_corrected_account(world, received):
    item = _failed(world, received)
    assert (item["status"], item["failure_reason"]) == ("payment_failed", "账户已销户")
    old_key = f"{item['application_no']}-1-1"
    for bad in [None, {**NEW_ACCOUNT, "number": "12"}, {**NEW_ACCOUNT, "holder": "李四"}]:
        with pytest.raises(InvalidInput):
            use_cases.retry_payment(world.tx("county_finance"), item["application_id"], bad)
    assert world.items.find((item["application_id"], 1))["status"] == "payment_failed"
    with pytest.raises(NotFound):
        use_cases.retry_payment(world.tx("other_county_finance"), item["application_id"], NEW_ACCOUNT)
    tx = world.tx("county_finance")
    retried = use_cases.retry_payment(tx, item["application_id"], NEW_ACCOUNT)
    assert (retried["status"], retried["attempt"]) == ("released", 2)
    assert tx.event_types() == ["application.payment_retried"]
    [line] = use_cases.bank_file(world.tx("county_finance"), received)["lines"]
    assert line["bank_number"] == NEW_ACCOUNT["number"] and line["line_key"].endswith("-1-2")
    with pytest.raises(InvalidInput) as stale:  # the failed attempt's line no longer names anything to pay
        use_cases.import_bank_result(world.tx("county_finance"), received, sha("stale"), None,
                                     [result_line(line, line_key=old_key)])
    assert stale.value.details["lines"][0]["code"] == "bank_result.unknown_line"
    paid = use_cases.import_bank_result(world.tx("county_finance"), received, sha("paid"), None, [result_line(line)])
    assert paid["paid"] == 1 and world.items.find((item["application_id"], 1))["status"] == "paid"
    with pytest.raises(IllegalTransition):  # only a failed payment is retried
        use_cases.retry_payment(world.tx("county_finance"), item["application_id"], NEW_ACCOUNT)


def test_a_failed_payment_is_returned_with_a_reason(world, received):
    item = _failed(world, received)
    with pytest.raises(InvalidInput) as info:
        use_cases.return_payment(world.tx("county_finance"), item["application_id"], " ")
    assert info.value.code == "payment.return_reason_required"
    tx = world.tx("county_finance")
    returned = use_cases.return_payment(tx, item["application_id"], "本人放弃补助")
    assert (returned["status"], returned["return_reason"]) == ("payment_returned", "本人放弃补助")
    assert tx.event_types() == ["application.payment_returned"]


def test_a_clawback_needs_a_paid_application(world, received):
    item = _failed(world, received)
    before = snapshot(world)
    with pytest.raises(Conflict) as info:
        use_cases.record_clawback(world.tx("county_finance"), item["application_id"], "重复领取")
    assert (info.value.status, info.value.code) == (409, "clawback.not_paid")
    assert world.clawbacks.rows == {} and snapshot(world) == before
    use_cases.retry_payment(world.tx("county_finance"), item["application_id"], NEW_ACCOUNT)
    [line] = use_cases.bank_file(world.tx("county_finance"), received)["lines"]
    use_cases.import_bank_result(world.tx("county_finance"), received, sha("ok"), None, [result_line(line)])
    with pytest.raises(InvalidInput):
        use_cases.record_clawback(world.tx("county_finance"), item["application_id"], "")
    tx = world.tx("county_finance")
    clawback = use_cases.record_clawback(tx, item["application_id"], "已离职，不符合条件")
    assert (clawback["status"], clawback["status_label"], clawback["amount_fen"]) == ("recorded", "待追回", 960000)
    assert tx.event_types() == ["application.clawback_recorded"]
    assert tx.emitted[0].data["reason"] == "已离职，不符合条件"
    assert world.items.find((item["application_id"], 1))["status"] == "paid"  # what was paid stays paid
    with pytest.raises(Conflict) as info:
        use_cases.record_clawback(world.tx("county_finance"), item["application_id"], "再次")
    assert info.value.code == "clawback.exists"
    recovered = use_cases.recover_clawback(world.tx("county_finance"), clawback["id"])
    assert recovered["status"] == "recovered"
    with pytest.raises(IllegalTransition):
        use_cases.recover_clawback(world.tx("county_finance"), clawback["id"])


def test_the_reconciliation_adds_up_with_clawbacks_apart():
    rows = [("b1", "HZ1", PENGJIANG, "receipt_confirmed", 17, 17_000), ("b1", "HZ1", PENGJIANG, "paid", 1, 1_000),
            ("b1", "HZ1", PENGJIANG, "payment_failed", 1, 1_000), ("b1", "HZ1", PENGJIANG, "payment_returned", 1, 500),
            ("b1", "HZ1", JIANGHAI, "released", 2, 2_000)]
    report = views.reconciliation(rows, [("b1", PENGJIANG, "recorded", 1, 1_000)])
    pengjiang, jianghai = report["lines"]
    assert (pengjiang["released_count"], pengjiang["released_amount_fen"]) == (20, 19_500)
    assert (pengjiang["paid_amount_fen"], pengjiang["failed_amount_fen"], pengjiang["returned_amount_fen"]) == (
        18_000, 1_000, 500)
    assert pengjiang["clawback_amount_fen"] == 1_000 and pengjiang["balanced"]
    assert jianghai["pending_count"] == 2 and report["total"]["released_amount_fen"] == 21_500
    assert report["total"]["balanced"]


def _corrected_event(item: dict, account: dict, time: str = "2026-12-01T04:00:00+00:00") -> Envelope:
    return Envelope(type="individual.bank_account_changed", source="/services/unit_registry", subject="x",
                    region=item["county"], data={"account_id": item["account_id"], "bank_account": account},
                    actor={}, time=time)


def test_the_account_the_graduate_corrected_is_kept_on_the_failed_payment_and_retried_without_typing(
        world, received):
    item = _failed(world, received)
    key = (item["application_id"], 1)
    use_cases.receive_corrected_account(world.tx("system"), _corrected_event(item, NEW_ACCOUNT))
    kept = world.items.find(key)
    assert (kept["status"], kept["corrected_bank_number"]) == ("payment_failed", NEW_ACCOUNT["number"])
    use_cases.receive_corrected_account(  # an older correction arriving late does not replace it
        world.tx("system"), _corrected_event(item, {**NEW_ACCOUNT, "number": "6217000000000011"},
                                             "2026-12-01T03:00:00+00:00"))
    assert world.items.find(key)["corrected_bank_number"] == NEW_ACCOUNT["number"]
    tx = world.tx("county_finance")
    retried = use_cases.retry_payment(tx, item["application_id"])
    assert (retried["status"], retried["attempt"], retried["corrected_bank_account"]) == ("released", 2, None)
    assert tx.audited[-1].after["account_source"] == "corrected_by_individual"
    [line] = use_cases.bank_file(world.tx("county_finance"), received)["lines"]
    assert (line["bank_holder"], line["bank_name"], line["bank_number"]) == (
        NEW_ACCOUNT["holder"], NEW_ACCOUNT["bank"], NEW_ACCOUNT["number"])
    assert line["line_key"].endswith("-1-2")


def _pengjiang_item(world) -> dict:
    return next(i for i in world.items.rows.values() if i["county"] == PENGJIANG and i["bank_number"])


def test_a_correction_made_before_the_failure_waits_on_the_failed_payment_for_its_retry(world, received):
    item = _pengjiang_item(world)
    key = (item["application_id"], 1)
    use_cases.receive_corrected_account(world.tx("system"), _corrected_event(item, NEW_ACCOUNT))
    kept = world.items.find(key)  # not failed yet: the frozen account (perhaps in a bank file) stays as it is
    assert (kept["status"], kept["bank_number"], kept["corrected_bank_number"]) == (
        "released", "6222020000000011", None)
    assert world.corrections.find(item["account_id"])["bank_number"] == NEW_ACCOUNT["number"]
    _failed(world, received)
    failed = world.items.find(key)
    assert (failed["status"], failed["corrected_bank_number"]) == ("payment_failed", NEW_ACCOUNT["number"])
    assert failed["corrected_at"].isoformat() == "2026-12-01T04:00:00+00:00"
    shown = views.item(failed)["corrected_bank_account"]
    assert shown["bank"] == NEW_ACCOUNT["bank"]
    retried = use_cases.retry_payment(world.tx("county_finance"), item["application_id"])
    assert (retried["attempt"], retried["corrected_bank_account"]) == (2, None)
    after = world.items.find(key)
    assert (after["bank_number"], after["bank_account_at"]) == (NEW_ACCOUNT["number"], failed["corrected_at"])


def test_the_latest_correction_is_kept_and_an_older_one_arriving_late_changes_nothing(world, received):
    item = _pengjiang_item(world)
    later = {**NEW_ACCOUNT, "number": "6217000000000077"}
    use_cases.receive_corrected_account(world.tx("system"), _corrected_event(item, later, "2026-12-01T05:00:00+00:00"))
    use_cases.receive_corrected_account(world.tx("system"), _corrected_event(item, NEW_ACCOUNT))  # 04:00, late
    assert world.corrections.find(item["account_id"])["bank_number"] == later["number"]
    _failed(world, received)
    assert world.items.find((item["application_id"], 1))["corrected_bank_number"] == later["number"]


def test_a_correction_older_than_the_frozen_account_or_equal_to_it_is_not_taken(world, received):
    item = _pengjiang_item(world)
    key = (item["application_id"], 1)
    # the county approval froze an account unit_registry stated after this correction
    world.items.patch(key, {"bank_account_at": datetime(2026, 12, 1, 6, tzinfo=UTC)})
    use_cases.receive_corrected_account(world.tx("system"), _corrected_event(item, NEW_ACCOUNT))
    _failed(world, received)
    assert world.items.find(key)["corrected_bank_number"] is None
    with pytest.raises(InvalidInput) as info:  # nothing to retry with but a typed account
        use_cases.retry_payment(world.tx("county_finance"), item["application_id"])
    assert info.value.code == "payment.bank_account_required"
    # the same account as the one that failed is no correction
    use_cases.receive_corrected_account(world.tx("system"), _corrected_event(
        item, {"holder": "张三", "bank": "工商银行", "number": "6222020000000011"}, "2026-12-01T07:00:00+00:00"))
    assert world.items.find(key)["corrected_bank_number"] is None


def test_after_a_typed_retry_fails_again_an_earlier_correction_is_not_offered(world, received):
    item = _failed(world, received)
    key = (item["application_id"], 1)
    use_cases.receive_corrected_account(world.tx("system"), _corrected_event(  # before the typed retry
        item, NEW_ACCOUNT, "2026-11-24T04:00:00+00:00"))
    typed = {**NEW_ACCOUNT, "number": "6217000000000055"}
    use_cases.retry_payment(world.tx("county_finance"), item["application_id"], typed)  # at FakeTx's now
    assert world.items.find(key)["bank_account_at"] == world.tx("county_finance").now
    [line] = use_cases.bank_file(world.tx("county_finance"), received)["lines"]
    use_cases.import_bank_result(world.tx("county_finance"), received, sha("again"), None,
                                 [result_line(line, "失败", reason="户名不符")])
    again = world.items.find(key)
    assert (again["status"], again["bank_number"], again["corrected_bank_number"]) == (
        "payment_failed", typed["number"], None)
