"""站内消息: identity learns who owns an application from its submission and turns returns, approvals
and payments into messages to that account; a duplicate event gives one message; read marks."""
import time
import uuid

import pytest
from nameko.exceptions import RemoteError

from shared.events import Envelope, source_of
from shared.testing import rabbit
from shared.testing.helpers import execute, remote_code, rows, rpc_client, scalar, wait_for

APP = str(uuid.uuid4())
UNIT = "6f1c2a10-0000-4000-8000-000000000001"
REF = {"application_id": APP, "application_no": "BZ202600001", "county": "440703", "city": "440700",
       "unit_id": UNIT, "status": "x"}


def client(config, token=None):
    return rpc_client(config["AMQP_URI"], "identity", token)


def event(type_, producer, data):
    return Envelope(type=type_, source=source_of(producer), subject=APP, region="440703",
                    actor={"role": "unit_admin", "account_id": None}, data=data).to_dict()


def test_stage_events_become_messages_to_the_applicant(identity, identity_config, identity_url, vhost):
    with client(identity_config) as svc:
        tokens = svc.login("clerk", "Demo2026")
    me = tokens["account"]["id"]
    snapshot = {"application_no": "BZ202600001", "applicant_name": "张三", "id_type": "resident_id",
                "id_number": "440703199803151233", "unit_id": UNIT, "unit_name": "示范单位", "county": "440703",
                "city": "440700", "degree": "bachelor", "start_date": "2026-07-01", "months": 12,
                "standard_fen": 80000, "amount_fen": 960000, "account_id": me}
    returned = event("application.unit_returned", "subsidy_review", {**REF, "opinion": "材料不全"})
    rabbit.publish(vhost, "subsidy_review.events", returned["type"], returned)     # before the owner is known
    submitted = event("application.submitted", "subsidy_review", {**REF, "snapshot": snapshot})
    rabbit.publish(vhost, "subsidy_review.events", submitted["type"], submitted)
    paid = event("application.paid", "finance_disbursement",
                 {**REF, "payment_id": str(uuid.uuid4()), "paid_on": "2026-12-01", "amount_fen": 960000})
    rabbit.publish(vhost, "finance_disbursement.events", paid["type"], paid)
    rabbit.publish(vhost, "finance_disbursement.events", paid["type"], paid)       # redelivered: one message
    wait_for(lambda: scalar(identity_url, "SELECT count(*) FROM messages") == 2, timeout=30, message="messages")
    # policy notify_sms_kinds: returns and payments also go out by SMS to the account's mobile
    with client(identity_config) as svc:
        wait_for(lambda: len(svc.dev_sms_inbox("13800000009")["items"]) == 2, timeout=15, message="two SMS")
        texts = " ".join(m["text"] for m in svc.dev_sms_inbox("13800000009")["items"])
    assert "材料不全" in texts and "请在“补助拨付确认”中确认" in texts
    with client(identity_config, "Bearer " + tokens["access_token"]) as svc:
        page = svc.my_messages()
        assert page["unread"] == 2
        kinds = {m["kind"]: m for m in page["items"]}
        assert "材料不全" in kinds["returned"]["body"] and "9,600.00元" in kinds["paid"]["body"]
        assert svc.mark_message_read(kinds["paid"]["id"]) == {"marked": 1, "unread": 1}
        with pytest.raises(RemoteError) as info:
            svc.mark_message_read(str(uuid.uuid4()))
        assert remote_code(info.value) == (404, "message.not_found")
        assert svc.mark_message_read()["unread"] == 0
    with client(identity_config, "Bearer " + client_login(identity_config, "admin")) as svc:
        assert svc.my_messages()["total"] == 0  # nobody else sees them


def client_login(config, username):
    with client(config) as svc:
        return svc.login(username, "Demo2026")["access_token"]


def test_a_message_sms_stuck_in_sending_is_sent_again_once_then_given_up(identity, identity_config, identity_url):
    """A sender that crashed between claiming a message SMS ("sending") and recording the outcome leaves it
    there; the sweeper (timer) puts it back after the policy's notify_sms_stuck_seconds (300) so it is sent
    once more, gives up after notify_sms_max_attempts (3) with the reason, and touches nothing else."""
    minutes_ago = "now() - interval '10 minutes'"
    specs = {  # mobile -> (state, attempts, claimed)
        "13900000101": ("sending", 1, minutes_ago),   # stuck: sent again, exactly once
        "13900000102": ("sent", 1, minutes_ago),      # delivered: never again
        "13900000103": ("sending", 3, minutes_ago),   # stuck, out of attempts: failed with the reason
        "13900000104": ("sending", 1, "now()"),       # a sender is on it right now: left alone
    }
    for mobile, (state, attempts, claimed) in specs.items():
        execute(identity_url, "INSERT INTO messages (id, account_id, kind, title, body, event_id, created_at, "
                              f"sms_mobile, sms_state, sms_attempts, sms_claimed_at) VALUES (:id, :a, 'returned', "
                              f"'补助申请被单位退回', :body, :e, {minutes_ago}, :m, :s, :n, {claimed})",
                id=str(uuid.uuid4()), a=str(uuid.uuid4()), body=f"消息{mobile}", e=str(uuid.uuid4()), m=mobile,
                s=state, n=attempts)

    def state(mobile):
        return rows(identity_url, "SELECT sms_state, sms_attempts, sms_error FROM messages WHERE sms_mobile=:m",
                    m=mobile)[0]

    wait_for(lambda: state("13900000101")["sms_state"] == "sent", timeout=40, message="the stuck SMS sent again")
    wait_for(lambda: state("13900000103")["sms_state"] == "failed", timeout=40, message="the exhausted one given up")
    assert "已发送3次" in state("13900000103")["sms_error"]
    time.sleep(12)  # more sweeps (every 10 s) and deliveries (every 2 s) pass: nothing is sent twice
    with client(identity_config) as svc:
        sent = {m: len(svc.dev_sms_inbox(m)["items"]) for m in specs}
    assert sent == {"13900000101": 1, "13900000102": 0, "13900000103": 0, "13900000104": 0}
    assert state("13900000101")["sms_attempts"] == 2
    assert [state(m)["sms_state"] for m in ("13900000102", "13900000104")] == ["sent", "sending"]
