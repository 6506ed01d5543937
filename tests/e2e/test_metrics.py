"""Prometheus metrics on every process (issue 16): each service's port shows its handler latency, inbox
lag, retries, outbox backlog and dead letters; the gateway's /metrics its request latency per route,
for local callers only."""
import re
import urllib.request

import pytest
import requests

from tests.e2e.walk import City, Walk, eventually


@pytest.fixture(scope="module")
def city(platform):
    return City(platform.config.gateway_url)


def scrape(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=30) as response:
        return response.read().decode()


def value(text: str, metric: str, **labels) -> float:
    total = 0.0
    for line in text.splitlines():
        if line.startswith(metric + "{") and all(f'{k}="{v}"' in line for k, v in labels.items()):
            total += float(line.rsplit(" ", 1)[1])
    return total


def test_every_process_exposes_its_metrics(city, platform):
    walk = Walk(city)
    walk.stage1_submit()
    walk.stage2_unit_approve()
    walk.stage3_report()
    walk.stage4_county_approve()
    eventually(lambda: walk.officer("county").get(f"/publicity-cases/{walk.app_id}"), timeout=30)

    review = scrape(platform.metrics_ports["subsidy_review"])
    assert value(review, "platform_handler_seconds_count", service="subsidy_review", kind="rpc",
                 name="approve", outcome="ok") >= 2          # unit and county approvals
    assert re.search(r'^platform_outbox_unsent\{service="subsidy_review"\} \d', review, re.M)
    assert re.search(r'^platform_outbox_oldest_unsent_seconds\{service="subsidy_review"\} ', review, re.M)
    assert "process_resident_memory_bytes" in review

    publicity = scrape(platform.metrics_ports["publicity_assessment"])
    assert value(publicity, "platform_handler_seconds_count", service="publicity_assessment", kind="event",
                 outcome="ok") >= 1
    assert value(publicity, "platform_inbox_lag_seconds_count", service="publicity_assessment",
                 event_type="application.county_approved") >= 1
    assert 'platform_dlq_depth{queue="publicity_assessment.application.county_approved.dlq"' in publicity \
        or re.search(r'platform_dlq_depth\{[^}]*queue="publicity_assessment\.application\.county_approved\.dlq"',
                     publicity)
    assert "# TYPE platform_event_retries_total counter" in publicity

    for service, port in platform.metrics_ports.items():      # every service answers on its own port
        assert f'service="{service}"' in scrape(port), service

    gateway = requests.get(platform.config.gateway_url + "/metrics", timeout=10)
    assert gateway.status_code == 200
    assert value(gateway.text, "gateway_request_seconds_count", method="POST",
                 route="/api/v1/applications/<application_id>/approve", status="200") >= 2
    assert requests.get(platform.config.gateway_url + "/metrics", timeout=10,
                        headers={"X-Forwarded-For": "10.0.0.1"}).status_code == 200   # the peer decides, not a header
