"""Hand-offs from org_confirmation: batches become 待拨付 only when complete and consistent, whatever
the order of arrival; repeated and stale events change nothing."""
import uuid

import eventlet
import pytest
from nameko.exceptions import RemoteError

from finance_disbursement.adapters.orm import metadata
from shared.db.tables import metadata as platform_metadata
from shared.testing.checks import migration_drift
from shared.testing.helpers import remote_code, rows, scalar, wait_for
from shared.testing.service import call

SERVICE = "finance_disbursement"


def test_migrations_create_exactly_the_tables_of_the_models(finance_disbursement_db):
    assert migration_drift(finance_disbursement_db, metadata, platform_metadata) == []


def test_items_before_the_batch_become_ready_and_add_up_per_county(feed, tokens, finance_disbursement_config):
    batch_id, apps = feed.ready_batch()
    batch = call(finance_disbursement_config, SERVICE, "get_batch", batch_id, token=tokens["city"])
    assert batch["status"] == "ready" and batch["status_label"] == "待拨付"
    assert (batch["expected_count"], batch["arrived_count"]) == (3, 3)
    assert batch["amount_fen"] == batch["arrived_amount_fen"] == 3_960_000
    assert [(c["county"], c["count"], c["amount_fen"], c["arrived_amount_fen"], c["released"])
            for c in batch["counties"]] == [("440703", 2, 2_760_000, 2_760_000, False),
                                            ("440704", 1, 1_200_000, 1_200_000, False)]
    assert sum(c["amount_fen"] for c in batch["counties"]) == batch["amount_fen"]
    assert batch["reconciliation"]["ready"] and batch["reconciliation"]["discrepancies"] == []
    zhang = next(i for i in batch["items"] if i["applicant_name"] == "张三")
    assert zhang["bank_number"].startswith("*") and zhang["bank_number"][-4:] == apps[0].envelope()[
        "data"]["snapshot"]["bank_account"]["number"][-4:]
    assert zhang["status_label"] == "市组织部已确认，待市财政局拨付"
    page = call(finance_disbursement_config, SERVICE, "list_batches", {"status": "ready"}, 1, 20,
                token=tokens["city"])
    assert page["total"] == 1 and page["items"][0]["id"] == batch_id
    [todo] = call(finance_disbursement_config, SERVICE, "todos", token=tokens["city"])
    # what the counter counts, for its 其中超时: the batch waits at 市财政局拨付 since it arrived
    waiting = page["items"][0]["waiting"]
    assert todo.pop("waits") == [waiting] and (waiting["stage"], waiting["city"]) == (11, "440700")
    assert todo == {"key": "finance.batches_ready", "count": 1, "label": "您有【1】个汇总批次待拨付",
                    "href": "/portal/disbursement-batches?status=ready"}


def test_the_batch_before_its_items_waits_until_the_last_one_arrives(feed, tokens, finance_disbursement_config):
    batch_id = str(uuid.uuid4())
    apps = feed.applications(batch_id, [("440703", 960_000, "张三"), ("440704", 1_200_000, "李四")])
    feed.publish(feed.batch_envelope(batch_id, apps))
    feed.publish(apps[0].envelope())
    feed.wait_consumed(2)
    assert feed.batch_status(batch_id) == "waiting_items"
    waiting = call(finance_disbursement_config, SERVICE, "get_batch", batch_id, token=tokens["city"])
    assert waiting["reconciliation"]["missing_count"] == 1 and waiting["reconciliation"]["discrepancies"] == []
    feed.publish(apps[1].envelope())
    feed.wait_status(batch_id, "ready")
    assert scalar(feed.url, "SELECT count(*) FROM platform_audit_log WHERE action = 'disbursement_batch.ready'") == 1


def test_amounts_that_do_not_add_up_keep_the_batch_waiting_and_shown(feed, tokens, finance_disbursement_config):
    batch_id = str(uuid.uuid4())
    apps = feed.applications(batch_id, [("440703", 960_000, "张三"), ("440704", 1_200_000, "李四")])
    wrong = feed.batch_envelope(batch_id, apps, amount_fen=2_000_000, counties=[
        {"county": "440703", "count": 1, "amount_fen": 800_000}, {"county": "440704", "count": 1,
                                                                  "amount_fen": 1_200_000}])
    for envelope in [wrong] + [a.envelope() for a in apps]:
        feed.publish(envelope)
    feed.wait_consumed(3)
    batch = call(finance_disbursement_config, SERVICE, "get_batch", batch_id, token=tokens["city"])
    assert batch["status"] == "waiting_items" and batch["reconciliation"]["complete"]
    assert [(d["scope"], d["expected"], d["actual"]) for d in batch["reconciliation"]["discrepancies"]] == [
        ("total", 2_000_000, 2_160_000), ("440703", 800_000, 960_000)]
    assert "蓬江区金额不符" in batch["reconciliation"]["discrepancies"][1]["message"]
    before = feed.fingerprint()
    with pytest.raises(RemoteError) as info:
        call(finance_disbursement_config, SERVICE, "release", batch_id, token=tokens["city"])
    assert remote_code(info.value) == (409, "disbursement_batch.illegal_transition")
    assert feed.fingerprint() == before


def test_duplicate_and_stale_events_record_one_item_and_one_batch(feed, finance_disbursement_config):
    batch_id = str(uuid.uuid4())
    [app] = feed.applications(batch_id, [("440703", 960_000, "张三")], round=2)
    first = app.envelope()
    feed.publish(first)
    feed.publish(first)  # the same event delivered twice: the inbox drops it
    feed.publish(app.envelope())  # the same stage again under a new event id: the round tells
    app.round = 1
    feed.publish(app.envelope())  # an older round delivered late
    feed.publish(feed.batch_envelope(batch_id, [app]))
    feed.publish(feed.batch_envelope(batch_id, [app]))  # the batch again under a new event id
    feed.wait_consumed(5)
    assert rows(feed.url, "SELECT round, status FROM items") == [{"round": 2, "status": "confirmed"}]
    feed.wait_status(batch_id, "ready")
    assert scalar(feed.url, "SELECT count(*) FROM disbursement_batches") == 1
    app.round, app.batch_id = 3, str(uuid.uuid4())  # a genuine new round (back through stage 4) is recorded
    feed.publish(app.envelope())
    feed.wait_consumed(6)
    assert [r["round"] for r in rows(feed.url, "SELECT round FROM items ORDER BY round")] == [2, 3]


def test_health_and_todos_of_roles_this_service_does_not_serve(feed, issue, finance_disbursement_config):
    assert call(finance_disbursement_config, SERVICE, "health") == {"service": SERVICE, "database": "ok", "restarts": 0}
    token, _ = issue(role="county_hrss", region="440703")
    assert call(finance_disbursement_config, SERVICE, "todos", token=token) == []
    with pytest.raises(RemoteError) as info:
        call(finance_disbursement_config, SERVICE, "list_batches", token=token)
    assert remote_code(info.value) == (403, "auth.forbidden")


def test_a_batch_and_its_last_application_arriving_together_make_it_ready(feed, finance_disbursement_config):
    # the two handlers run concurrently, neither seeing the other's uncommitted row: the batch's
    # advisory lock makes the later one see the earlier one's work
    batches = {str(uuid.uuid4()): None for _ in range(10)}
    for batch_id in batches:
        batches[batch_id] = feed.applications(batch_id, [("440703", 960_000, "张三"), ("440704", 1_200_000, "李四")])
        feed.publish(batches[batch_id][0].envelope())
    feed.wait_consumed(10)
    together = [e for batch_id, apps in batches.items()
                for e in (apps[1].envelope(), feed.batch_envelope(batch_id, apps))]
    list(eventlet.GreenPool(len(together)).imap(feed.publish, together))
    wait_for(lambda: scalar(feed.url, "SELECT count(*) FROM disbursement_batches WHERE status = 'ready'") == 10,
             message="every batch ready")
