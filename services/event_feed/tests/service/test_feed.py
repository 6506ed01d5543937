"""The feed: every masked event once, in one gap-free sequence; pages that lose and repeat nothing while
events keep arriving (and while an append is slow to commit); each caller sees its jurisdiction."""
from __future__ import annotations

import datetime as dt
import threading
import time
import uuid

from sqlalchemy import create_engine, text

from event_feed.use_cases import feed
from shared.service import Platform
from shared.testing import rabbit
from shared.testing.helpers import rows, wait_for


def test_interleaved_and_delayed_events_across_pages_lose_and_repeat_none(desk, make_event):
    published = [desk.publish(make_event(region=r)) for r in ["440703", "440704", "440700", "440703"]]
    desk.publish(published[1])                                   # at-least-once: the same id again
    desk.wait_stored(4)
    seen, after = [], 0
    for round_ in range(5):                                      # a reader pages while more keep arriving
        page = desk.call("list_events", after, limit=2)
        seen += page["items"]
        after = page["next_after"]
        published += [desk.publish(make_event(region="440704" if round_ % 2 else "440703")) for _ in range(3)]
        desk.publish(published[-2])                              # and duplicates of recent ones
    desk.wait_stored(len(published))
    seen += desk.read_all(after)
    after = seen[-1]["seq"]
    seqs = [item["seq"] for item in seen]
    assert seqs == list(range(1, len(published) + 1)), "gap-free, in order, each once"
    assert sorted(item["id"] for item in seen) == sorted(body["id"] for body in published)
    assert desk.call("list_events", after)["items"] == [] and after == len(published)
    first = seen[0]
    assert first["event"]["type"] == "application.paid" and first["routing_key"].startswith("subsidy.440700.")


def test_a_slow_append_holds_back_the_later_ones_so_a_reader_never_skips_it(desk, event_feed_config, make_event):
    """A plain sequence lets number 2 commit before number 1: a reader at 2 would never see 1. The head
    row's lock makes the second append wait for the first commit."""
    engine = create_engine(event_feed_config["DATABASE_URL"])
    slow, fast = make_event(), make_event()
    holding, release = threading.Event(), threading.Event()

    def slow_append():
        with engine.begin() as conn:
            seq = conn.execute(feed._NEXT_SEQ).scalar_one()
            conn.execute(text("INSERT INTO feed_events (seq, event_id, type, source, subject, region, city, "
                              "routing_key, time, envelope, received_at) VALUES (:s, :i, 'application.paid', "
                              "'/services/finance_disbursement', 'x', '440703', '440700', 'k', 't', '{}', now())"),
                         {"s": seq, "i": slow["id"]})
            holding.set()
            release.wait(10)
    writer = threading.Thread(target=slow_append)
    writer.start()
    assert holding.wait(10)
    fast_done = threading.Thread(target=lambda: feed.append(engine, fast, dt.datetime.now(dt.UTC)))
    fast_done.start()
    time.sleep(0.5)
    assert desk.call("list_events", 0)["items"] == [], "nothing is visible while number 1 is uncommitted"
    assert fast_done.is_alive(), "number 2 waits for number 1"
    release.set()
    writer.join(10)
    fast_done.join(10)
    items = desk.read_all()
    assert [(i["seq"], i["id"]) for i in items] == [(1, slow["id"]), (2, fast["id"])]
    engine.dispose()


def test_concurrent_appends_and_duplicates_leave_no_gap(desk, event_feed_config, make_event):
    engine = create_engine(event_feed_config["DATABASE_URL"], pool_size=8)
    bodies = [make_event() for _ in range(40)]
    now = dt.datetime.now(dt.UTC)
    threads = [threading.Thread(target=lambda chunk=chunk: [feed.append(engine, b, now) for b in chunk])
               for chunk in (bodies[0::4], bodies[1::4], bodies[2::4], bodies[3::4], bodies[::3])]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    stored = rows(event_feed_config["DATABASE_URL"], "SELECT seq, event_id FROM feed_events ORDER BY seq")
    assert [r["seq"] for r in stored] == list(range(1, 41))
    assert sorted(r["event_id"] for r in stored) == sorted(b["id"] for b in bodies)
    engine.dispose()


def test_each_caller_sees_its_jurisdiction_and_filters_narrow_it(desk, make_event):
    for region, event_type in [("440703", "application.paid"), ("440704", "application.paid"),
                               ("440700", "city_batch.confirmed"), ("440703", "employer.approved"),
                               ("440103", "application.paid")]:                      # 广州 (another city)
        desk.publish(make_event(event_type, region))
    desk.wait_stored(5)

    def regions(role, at, **filters):
        return [(i["region"], i["type"]) for i in desk.read_all(role=role, at=at, **filters)]
    assert regions("county_hrss", "440703") == [("440703", "application.paid"), ("440703", "employer.approved")]
    assert regions("county_finance", "440704") == [("440704", "application.paid")]
    assert [r for r, _ in regions("city_org", "440700")] == ["440703", "440704", "440700", "440703"]
    assert len(regions("sys_admin", None)) == 5
    assert regions("city_hrss", "440700", region="440704") == [("440704", "application.paid")]
    assert regions("county_hrss", "440703", type="application.*") == [("440703", "application.paid")]
    assert regions("sys_admin", None, type="city_batch.confirmed,employer.*") == [
        ("440700", "city_batch.confirmed"), ("440703", "employer.approved")]
    assert desk.error("list_events", 0, role="unit_admin", at="440703") == (403, "auth.forbidden")
    assert desk.error("list_events", 0, role="individual") == (403, "auth.forbidden")
    assert desk.error("list_events", "x1")[0] == 400
    assert desk.error("list_events", 0, limit=501)[0] == 400
    assert desk.error("list_events", 0, type="app%")[1] == "feed.invalid_filter"
    assert desk.error("list_events", 0, region="4407")[1] == "feed.invalid_filter"


def test_a_malformed_or_foreign_event_is_dead_lettered_not_stored(desk, vhost, make_event, event_feed):
    desk.publish(make_event())
    forged = make_event()
    forged["source"] = "/services/identity"                      # application.paid is finance's
    desk.publish(forged)
    rabbit.publish(vhost, "platform.events", "subsidy.440700.440703.application.paid", {"type": "application.paid"})
    desk.wait_stored(1)
    wait_for(lambda: rabbit.queue_depth(vhost, "event_feed.platform.events.dlq")[0] == 2, timeout=15,
             message="both dead-lettered")
    assert desk.stored() == 1 and str(uuid.UUID(desk.call("list_events", 0)["items"][0]["id"]))
    platform = next(d for d in event_feed.dependencies if isinstance(d, Platform))
    assert ("event_feed.platform.events.dlq", 2) in platform._dlq_depths()       # platform_dlq_depth metric


def test_the_feed_is_append_only(desk, event_feed_config, make_event):
    import pytest
    from sqlalchemy.exc import DBAPIError
    desk.publish(make_event())
    desk.wait_stored(1)
    engine = create_engine(event_feed_config["DATABASE_URL"])
    for statement in ("UPDATE feed_events SET type='x'", "DELETE FROM feed_events"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))
    engine.dispose()
    assert desk.stored() == 1
