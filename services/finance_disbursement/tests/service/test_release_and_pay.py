"""Stages 11 and 12: city finance releases county by county, county finance pays every individual
exactly once."""
import uuid

import eventlet
import pytest
from nameko.exceptions import RemoteError
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from shared.clock import clock_from_env
from shared.testing import rabbit
from shared.testing.helpers import remote_code, rows, scalar
from shared.testing.service import call

SERVICE = "finance_disbursement"


def refused(config, method, *args, token):
    with pytest.raises(RemoteError) as info:
        call(config, SERVICE, method, *args, token=token)
    return remote_code(info.value)


def test_release_one_county_then_the_rest(feed, tokens, finance_disbursement_config, vhost):
    tap = rabbit.Tap(vhost, ["finance_disbursement.events"])
    batch_id, apps = feed.ready_batch()
    config = finance_disbursement_config
    first = call(config, SERVICE, "release", batch_id, "440703", token=tokens["city"])
    today = clock_from_env().today_local().strftime("%Y%m%d")
    [transfer] = first["released_transfers"]
    assert transfer["transfer_no"] == f"BF440703-{today}-01"
    assert (transfer["count"], transfer["amount_fen"], transfer["status"]) == (2, 2_760_000, "released")
    assert first["status"] == "partly_released"
    assert [(c["county"], c["released"]) for c in first["counties"]] == [("440703", True), ("440704", False)]

    before = feed.fingerprint()
    assert refused(config, "release", batch_id, "440703", token=tokens["city"]) == (
        409, "disbursement_batch.county_already_released")
    assert feed.fingerprint() == before

    rest = call(config, SERVICE, "release", batch_id, token=tokens["city"])
    assert rest["status"] == "released" and rest["status_label"] == "已拨付"
    assert [t["county"] for t in rest["released_transfers"]] == ["440704"]
    assert refused(config, "release", batch_id, token=tokens["city"]) == (409, "disbursement_batch.illegal_transition")
    assert sum(t["amount_fen"] for t in rows(feed.url, "SELECT amount_fen FROM county_transfers")) == 3_960_000

    events = [m["body"] for m in tap.drain(wait=5, until=5)]
    tap.close()
    released = [e for e in events if e["type"] == "county_transfer.released"]
    funds = [e for e in events if e["type"] == "application.funds_released"]
    assert sorted((e["data"]["county"], e["data"]["count"], e["data"]["amount_fen"]) for e in released) == [
        ("440703", 2, 2_760_000), ("440704", 1, 1_200_000)]
    assert sorted(e["data"]["application_id"] for e in funds) == sorted(a.application_id for a in apps)
    assert {e["data"]["status"] for e in funds} == {"funds_released"}
    assert all(e["data"]["round"] == 1 and e["data"]["transfer_id"] and e["data"]["applicant_name"] for e in funds)
    assert scalar(feed.url, "SELECT count(*) FROM platform_audit_log WHERE action = 'county_transfer.release'") == 2


def test_release_is_refused_by_role_jurisdiction_input_and_state(feed, tokens, issue, finance_disbursement_config):
    config = finance_disbursement_config
    batch_id, _ = feed.ready_batch()
    waiting_id = str(uuid.uuid4())
    [late] = feed.applications(waiting_id, [("440703", 960_000, "赵六")])
    feed.publish(feed.batch_envelope(waiting_id, [late]))
    [stray] = feed.applications(batch_id, [("440704", 500_000, "钱七")])
    feed.publish(stray.envelope())  # one more application than the ready batch announced
    feed.wait_consumed(6)
    other_city, _ = issue(role="city_finance", region="440600")
    before = feed.fingerprint()
    assert refused(config, "release", batch_id, token=tokens["440703"]) == (403, "auth.forbidden")
    assert refused(config, "release", batch_id, token=other_city) == (404, "not_found")
    assert refused(config, "get_batch", batch_id, token=other_city) == (404, "not_found")
    assert refused(config, "release", batch_id, "440705", token=tokens["city"]) == (
        400, "disbursement_batch.county_not_in_batch")
    assert refused(config, "release", batch_id, "44070", token=tokens["city"]) == (400, "region.format")
    assert refused(config, "release", waiting_id, token=tokens["city"]) == (
        409, "disbursement_batch.illegal_transition")
    assert refused(config, "release", str(uuid.uuid4()), token=tokens["city"]) == (
        404, "disbursement_batch.not_found")
    assert refused(config, "release", batch_id, "440703", token=tokens["city"]) == (
        409, "disbursement_batch.discrepancy")
    assert feed.fingerprint() == before
    assert call(config, SERVICE, "list_batches", {}, 1, 20, token=other_city)["total"] == 0


def test_money_is_paid_exactly_once(feed, tokens, issue, finance_disbursement_config, vhost):
    config = finance_disbursement_config
    batch_id, apps = feed.ready_batch()
    call(config, SERVICE, "release", batch_id, token=tokens["city"])
    [transfer] = call(config, SERVICE, "list_transfers", {"status": "released"}, 1, 20, token=tokens["440703"])["items"]
    assert transfer["count"] == 2 and transfer["status_label"] == "市财政局已拨付，待确认到账"
    todos = {t["key"]: t["label"] for t in call(config, SERVICE, "todos", token=tokens["440703"])}
    assert todos["finance.transfers_to_confirm"] == "您有【1】笔拨款待确认到账"

    before = feed.fingerprint()
    assert refused(config, "pay", transfer["id"], token=tokens["440704"]) == (404, "not_found")
    assert refused(config, "get_transfer", transfer["id"], token=tokens["440704"]) == (404, "not_found")
    assert refused(config, "pay", transfer["id"], token=tokens["city"]) == (403, "auth.forbidden")
    # the money has to be in the county's account before it is paid out
    assert refused(config, "pay", transfer["id"], token=tokens["440703"]) == (409, "county_transfer.not_received")
    assert refused(config, "confirm_arrival", transfer["id"], token=tokens["440704"]) == (404, "not_found")
    assert feed.fingerprint() == before
    received = call(config, SERVICE, "confirm_arrival", transfer["id"], token=tokens["440703"])
    assert received["status_label"] == "已确认到账，待支付到个人" and received["arrival_confirmed_at"]
    todos = {t["key"]: t["label"] for t in call(config, SERVICE, "todos", token=tokens["440703"])}
    assert todos["finance.transfers_to_pay"] == "您有【1】笔拨付待支付到个人"

    tap = rabbit.Tap(vhost, ["finance_disbursement.events"], "application.paid")
    paid = call(config, SERVICE, "pay", transfer["id"], token=tokens["440703"])
    assert paid["status"] == "paid" and {i["status"] for i in paid["items"]} == {"paid"}
    assert all(i["bank_number"].startswith("*") for i in paid["items"])
    before = feed.fingerprint()
    assert refused(config, "pay", transfer["id"], token=tokens["440703"]) == (409, "county_transfer.illegal_transition")
    assert feed.fingerprint() == before
    assert scalar(feed.url, "SELECT count(*) FROM payments") == 2
    events = [m["body"]["data"] for m in tap.drain(wait=5, until=2)]
    tap.close()
    today = clock_from_env().today_local().isoformat()
    zhang = next(a for a in apps if a.name == "张三")
    assert sorted((e["applicant_name"], e["amount_fen"], e["paid_on"], e["status"]) for e in events) == [
        ("张三", 960_000, today, "paid"), ("王五", 1_800_000, today, "paid")]
    assert next(e for e in events if e["applicant_name"] == "张三")["application_id"] == zhang.application_id

    # below the workflow, the database itself refuses a second payment of the same round
    payment = rows(feed.url, "SELECT * FROM payments WHERE application_id = :a", a=zhang.application_id)[0]
    engine = create_engine(feed.url)
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text("INSERT INTO payments SELECT :id, application_id, round, transfer_id, account_id, "
                          "amount_fen, bank_holder, bank_name, bank_number, paid_on, paid_by, paid_at, status, "
                          "confirmed_at, disputed_at, dispute_opinion FROM payments WHERE id = :old"),
                     {"id": str(uuid.uuid4()), "old": payment["id"]})
    engine.dispose()


def test_clicks_on_pay_at_the_same_moment_pay_once(feed, tokens, finance_disbursement_config):
    config = finance_disbursement_config
    batch_id, _ = feed.ready_batch()
    call(config, SERVICE, "release", batch_id, "440703", token=tokens["city"])
    [transfer] = call(config, SERVICE, "list_transfers", {}, 1, 20, token=tokens["440703"])["items"]
    call(config, SERVICE, "confirm_arrival", transfer["id"], token=tokens["440703"])

    def click(n):
        try:
            return call(config, SERVICE, "pay", transfer["id"], token=tokens["440703"], key=f"click-{n}")["status"]
        except RemoteError as exc:
            return remote_code(exc)

    outcomes = list(eventlet.GreenPool(4).imap(click, range(4)))
    assert sorted(outcomes, key=str) == [(409, "county_transfer.illegal_transition")] * 3 + ["paid"]
    assert scalar(feed.url, "SELECT count(*) FROM payments") == 2
    assert scalar(feed.url, "SELECT count(DISTINCT event_id) FROM platform_outbox "
                            "WHERE event_type = 'application.paid'") == 2


def test_transfer_detail_shows_full_bank_accounts_and_audits_the_read(feed, tokens, finance_disbursement_config):
    config = finance_disbursement_config
    batch_id, apps = feed.ready_batch()
    call(config, SERVICE, "release", batch_id, "440704", token=tokens["city"])
    [transfer] = call(config, SERVICE, "list_transfers", {}, 1, 20, token=tokens["440704"])["items"]
    detail = call(config, SERVICE, "get_transfer", transfer["id"], token=tokens["440704"])
    li = next(a for a in apps if a.name == "李四")
    assert [i["bank_number"] for i in detail["items"]] == [li.envelope()["data"]["snapshot"]["bank_account"]["number"]]
    [audit] = rows(feed.url, "SELECT actor_role, subject_id, region FROM platform_audit_log "
                             "WHERE action = 'payment.bank_read'")
    assert audit == {"actor_role": "county_finance", "subject_id": transfer["id"], "region": "440704"}


def test_an_application_without_a_bank_account_is_a_failed_payment(feed, tokens, finance_disbursement_config, vhost):
    config = finance_disbursement_config
    batch_id, [app] = feed.ready_batch([("440703", 960_000, "张三")], bank=False)
    call(config, SERVICE, "release", batch_id, token=tokens["city"])
    [transfer] = call(config, SERVICE, "list_transfers", {}, 1, 20, token=tokens["440703"])["items"]
    tap = rabbit.Tap(vhost, ["finance_disbursement.events"], "application.payment_failed")
    call(config, SERVICE, "confirm_arrival", transfer["id"], token=tokens["440703"])
    result = call(config, SERVICE, "pay", transfer["id"], token=tokens["440703"])
    assert result["items"][0]["status"] == "payment_failed" and result["items"][0]["status_label"] == "拨付失败"
    assert scalar(feed.url, "SELECT count(*) FROM payments") == 0
    [event] = tap.drain(wait=5, until=1)
    tap.close()
    assert event["body"]["data"]["reason"] == "未登记银行账户，无法支付到个人"
    assert event["body"]["data"]["application_id"] == app.application_id
