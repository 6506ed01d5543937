"""Stage 13: the individual confirms the receipt or reports it missing (the return path of this
service), and the 资金拨付查询统计 of the city and county finance bureaus."""
import pytest
from nameko.exceptions import RemoteError

from shared.testing import rabbit
from shared.testing.helpers import remote_code, rows, wait_for
from shared.testing.service import call

SERVICE = "finance_disbursement"


def refused(config, method, *args, token):
    with pytest.raises(RemoteError) as info:
        call(config, SERVICE, method, *args, token=token)
    return remote_code(info.value)


def paid_batch(feed, tokens, config, counties=("440703",)):
    """A batch released to ``counties`` and paid there; returns its applications."""
    batch_id, apps = feed.ready_batch()
    call(config, SERVICE, "release", batch_id, token=tokens["city"])
    for county in counties:
        for transfer in call(config, SERVICE, "list_transfers", {}, 1, 20, token=tokens[county])["items"]:
            call(config, SERVICE, "confirm_arrival", transfer["id"], token=tokens[county])
            call(config, SERVICE, "pay", transfer["id"], token=tokens[county])
    return apps


def test_the_individual_confirms_or_disputes_the_receipt(feed, tokens, issue, finance_disbursement_config, vhost):
    config = finance_disbursement_config
    apps = paid_batch(feed, tokens, config)
    zhang, wang = (next(a for a in apps if a.name == n) for n in ("张三", "王五"))
    zhang_token, _ = issue(role="individual", region=None, account_id=zhang.account_id)
    wang_token, _ = issue(role="individual", region=None, account_id=wang.account_id)
    [mine] = call(config, SERVICE, "my_payments", token=zhang_token)["items"]
    assert (mine["application_id"], mine["amount_fen"], mine["status_label"]) == (
        zhang.application_id, 960_000, "已拨付至个人，待个人确认")
    assert mine["bank_number"].startswith("*") and mine["unit_name"]
    assert call(config, SERVICE, "todos", token=zhang_token)[0]["label"] == "您有【1】笔补助待确认收款"

    before = feed.fingerprint()
    assert refused(config, "confirm_receipt", mine["id"], token=wang_token) == (404, "payment.not_found")
    assert refused(config, "confirm_receipt", mine["id"], token=tokens["440703"]) == (403, "auth.forbidden")
    assert refused(config, "dispute_receipt", mine["id"], " ", token=zhang_token) == (400, "payment.opinion_required")
    assert feed.fingerprint() == before

    tap = rabbit.Tap(vhost, ["finance_disbursement.events"])
    confirmed = call(config, SERVICE, "confirm_receipt", mine["id"], token=zhang_token)
    assert confirmed["status"] == "receipt_confirmed" and confirmed["confirmed_at"]
    before = feed.fingerprint()
    assert refused(config, "confirm_receipt", mine["id"], token=zhang_token) == (409, "payment.illegal_transition")
    assert refused(config, "dispute_receipt", mine["id"], "没收到", token=zhang_token) == (
        409, "payment.illegal_transition")
    assert feed.fingerprint() == before

    [wangs] = call(config, SERVICE, "my_payments", {"status": "paid"}, token=wang_token)["items"]
    disputed = call(config, SERVICE, "dispute_receipt", wangs["id"], "银行卡未见到账", token=wang_token)
    assert disputed["status_label"] == "个人反馈未收到" and disputed["dispute_opinion"] == "银行卡未见到账"
    late = call(config, SERVICE, "confirm_receipt", wangs["id"], token=wang_token)  # the money arrived after all
    assert late["status"] == "receipt_confirmed"

    # earlier stages' events nobody had bound to yet also come out through the tap: keep stage 13's
    seen = []

    def receipt_events():
        seen.extend(m["body"] for m in tap.drain())
        return [e for e in seen if e["type"].startswith("application.receipt_")]

    wait_for(lambda: len(receipt_events()) == 3, message="three receipt events")
    events = receipt_events()
    tap.close()
    assert [(e["type"], e["data"]["applicant_name"], e["data"]["status"]) for e in events] == [
        ("application.receipt_confirmed", "张三", "receipt_confirmed"),
        ("application.receipt_disputed", "王五", "receipt_disputed"),
        ("application.receipt_confirmed", "王五", "receipt_confirmed")]
    assert events[1]["data"]["opinion"] == "银行卡未见到账"
    assert [r["action"] for r in rows(feed.url, "SELECT action FROM platform_audit_log WHERE subject_type = 'payment' "
                                                "ORDER BY id")] == [
        "payment.confirm_receipt", "payment.dispute_receipt", "payment.confirm_receipt"]


def test_statistics_add_up_per_county_and_status(feed, tokens, issue, finance_disbursement_config):
    config = finance_disbursement_config
    paid_batch(feed, tokens, config, counties=("440703",))
    city = call(config, SERVICE, "statistics", {}, token=tokens["city"])
    assert city["total"] == {"count": 3, "amount_fen": 3_960_000, "released_count": 3,
                             "released_amount_fen": 3_960_000, "paid_count": 2, "paid_amount_fen": 2_760_000}
    by_county = {c["county"]: c for c in city["counties"]}
    assert (by_county["440703"]["paid_amount_fen"], by_county["440704"]["paid_amount_fen"]) == (2_760_000, 0)
    assert [(s["status"], s["status_label"], s["count"]) for s in by_county["440704"]["statuses"]] == [
        ("released", "市财政局已拨付，待县财政局拨付", 1)]
    assert sum(c["amount_fen"] for c in city["counties"]) == city["total"]["amount_fen"]
    county = call(config, SERVICE, "statistics", {"status": "paid"}, token=tokens["440703"])
    assert [c["county"] for c in county["counties"]] == ["440703"] and county["total"]["count"] == 2
    assert refused(config, "statistics", {"county": "440704"}, token=tokens["440703"]) == (404, "not_found")
    assert refused(config, "statistics", {"status": "lost"}, token=tokens["city"]) == (400, "filters.invalid")
    individual, _ = issue(role="individual", region=None)
    assert refused(config, "statistics", {}, token=individual) == (403, "auth.forbidden")
