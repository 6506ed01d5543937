"""Outages of org_confirmation's database and broker while it works (issue 14, the short form in `make
test`): connections are cut through a TCP proxy (shared.testing.tcp_proxy), never by stopping the
machine's PostgreSQL or RabbitMQ. The service is not restarted: it answers 503 with the stable body while
its database is away, good events wait in their retry loop instead of being dead-lettered, and after the
cut everything is taken up again, once."""
from __future__ import annotations

import time
from urllib.parse import urlsplit

import eventlet
import pytest

from shared import contracts
from shared.messaging.topology import dead_letter_queue
from shared.testing import rabbit
from shared.testing.helpers import rows, scalar, wait_for
from shared.testing.service import call
from shared.testing.tcp_proxy import TcpProxy

QUEUE = contracts.queue_name("org_confirmation", "application.reported_to_county_org")


def _proxy_for(url: str) -> TcpProxy:
    parts = urlsplit(url.replace("pyamqp://", "amqp://"))
    return TcpProxy(parts.hostname or "127.0.0.1", parts.port or 5432).start()


def _publish_report(make_report, vhost: str, county: str = "440703") -> dict:
    event = make_report(county)
    rabbit.publish(vhost, "publicity_assessment.events", "application.reported_to_county_org", event)
    return event


def _handled(direct_db: str, event: dict) -> bool:
    return bool(scalar(direct_db, "SELECT count(*) FROM platform_inbox WHERE event_id=:i", i=event["id"]))


class TestDatabaseCut:
    @pytest.fixture
    def direct_db(self, request):
        return request.getfixturevalue("org_confirmation_db")

    @pytest.fixture
    def db_proxy(self, direct_db):
        proxy = _proxy_for(direct_db)
        yield proxy
        proxy.stop()

    @pytest.fixture
    def org_confirmation_config(self, org_confirmation_config, db_proxy, direct_db):
        return {**org_confirmation_config, "DATABASE_URL": db_proxy.through(direct_db)}

    def test_calls_answer_503_events_wait_and_the_service_recovers_without_a_restart(
            self, org_confirmation, clerk, refused, make_report, vhost, db_proxy, direct_db):
        county_org = clerk("county_org", "440703")
        before = _publish_report(make_report, vhost)
        wait_for(lambda: _handled(direct_db, before), message="the report before the cut")
        cases_before = rows(direct_db, "SELECT application_id, status FROM cases ORDER BY application_id")

        closed = db_proxy.cut()
        assert closed >= 1, "the service held no database connection through the proxy"
        assert refused(county_org, "list_cases", {}, 1, 20) == (503, "service.db_unavailable")
        assert refused(county_org, "county_confirm", [before["data"]["application_id"]], "同意") == (
            503, "service.db_unavailable")
        during = _publish_report(make_report, vhost)
        time.sleep(2.0)      # > 3 times the whole back-off (100+200+300 ms): attempts would be spent by now
        assert rabbit.queue_depth(vhost, dead_letter_queue(QUEUE))[0] == 0, "a good event was dead-lettered"
        assert not _handled(direct_db, during)
        assert rows(direct_db, "SELECT application_id, status FROM cases ORDER BY application_id") == cases_before

        db_proxy.restore()
        wait_for(lambda: _handled(direct_db, during), timeout=20, message="the event of the outage taken up")
        result = county_org("county_confirm", [before["data"]["application_id"], during["data"]["application_id"]],
                            "同意")
        assert result["count"] == 2                                  # the same container, reconnected
        assert rabbit.queue_depth(vhost, dead_letter_queue(QUEUE))[0] == 0
        assert scalar(direct_db, "SELECT count(*) FROM platform_inbox") == 2
        assert scalar(direct_db, "SELECT count(*) FROM cases") == 2


class TestBrokerCut:
    @pytest.fixture
    def direct_amqp(self, vhost):
        return rabbit.uri(vhost)

    @pytest.fixture
    def amqp_proxy(self, direct_amqp):
        proxy = _proxy_for(direct_amqp)
        yield proxy
        proxy.stop()

    @pytest.fixture
    def org_confirmation_config(self, org_confirmation_config, amqp_proxy, direct_amqp):
        return {**org_confirmation_config, "AMQP_URI": amqp_proxy.through(direct_amqp)}

    def test_consumers_and_the_outbox_relay_reconnect_by_themselves_and_lose_nothing(
            self, org_confirmation, org_confirmation_config, issue, make_report, tap, vhost, amqp_proxy,
            direct_amqp):
        direct_db = org_confirmation_config["DATABASE_URL"]
        token, _ = issue(role="county_org", region="440703")

        def county_org(method, *args):      # the test's own client reaches the broker directly
            return call({"AMQP_URI": direct_amqp}, "org_confirmation", method, *args, token=token)

        first = _publish_report(make_report, vhost)
        wait_for(lambda: _handled(direct_db, first), message="the report before the cut")

        assert amqp_proxy.cut() >= 1, "the service held no broker connection through the proxy"
        during = [_publish_report(make_report, vhost) for _ in range(3)]        # they wait in the durable queue
        time.sleep(5)
        assert not any(_handled(direct_db, e) for e in during)
        amqp_proxy.restore()

        wait_for(lambda: all(_handled(direct_db, e) for e in during), timeout=60,
                 message="the events published during the cut taken up after it")
        ids = [e["data"]["application_id"] for e in [first, *during]]
        assert wait_for(lambda: _answers(county_org), timeout=60, message="RPC served again")
        assert county_org("county_confirm", ids, "同意")["count"] == 4
        confirmed = tap.drain(wait=20, until=4)
        assert sorted(m["body"]["subject"] for m in confirmed) == sorted(ids)
        wait_for(lambda: scalar(direct_db, "SELECT count(*) FROM platform_outbox WHERE sent_at IS NULL") == 0,
                 timeout=20, message="the outbox drained")
        assert scalar(direct_db, "SELECT count(*) FROM platform_inbox") == 4
        assert rabbit.queue_depth(vhost, dead_letter_queue(QUEUE))[0] == 0
        with eventlet.Timeout(30):
            org_confirmation.stop()                # a reconnected service still stops cleanly (SIGTERM)


def _answers(rpc) -> bool:
    try:
        rpc("todos")
        return True
    except Exception:  # noqa: BLE001 - not yet reconnected (timeout or broker error): ask again
        return False
