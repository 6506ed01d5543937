"""org_confirmation in-process against real RabbitMQ and PostgreSQL: its database migrated by its own
alembic tree, stage-7 reports published exactly as publicity_assessment publishes them."""
from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest

from org_confirmation.service import OrgConfirmationService
from shared.events import Envelope, source_of
from shared.testing import rabbit
from shared.testing.helpers import refusal, rows, scalar, wait_for
from shared.testing.service import call, service_fixtures

globals().update(service_fixtures("org_confirmation", OrgConfirmationService))

UNITS = {"440703": ("6f1c2a10-0000-4000-8000-000000000001", "江门市蓬江区示范科技有限公司"),
         "440704": ("6f1c2a10-0000-4000-8000-000000000002", "江门市江海区示范制造有限公司"),
         "440303": ("6f1c2a10-0000-4000-8000-000000000003", "深圳市罗湖区示范有限公司")}
CITY_OF = {"440703": "440700", "440704": "440700", "440303": "440300"}


def report_event(county: str = "440703", *, application_id: str | None = None, round_: int = 1,
                 months: int = 12, standard_fen: int = 80000, name: str = "张三") -> dict:
    """``application.reported_to_county_org`` as publicity_assessment emits it (full snapshot)."""
    application_id = application_id or str(uuid.uuid4())
    unit_id, unit_name = UNITS[county]
    amount = standard_fen * months
    number = f"SQ{county}2026{uuid.UUID(application_id).int % 10**6:06d}"
    snapshot = {
        "application_no": number, "applicant_name": name, "id_type": "resident_id",
        "id_number": "440703199803151233", "unit_id": unit_id, "unit_name": unit_name, "county": county,
        "city": CITY_OF[county], "degree": "bachelor", "degree_label": "本科", "start_date": "2026-01-01",
        "months": months, "standard_fen": standard_fen, "amount_fen": amount, "round": round_,
        "individual_id": str(uuid.uuid4()), "account_id": str(uuid.uuid4()), "mobile": "13800000002",
        "bank_account": {"holder": name, "bank": "中国工商银行江门蓬江支行", "number": "6222020000000000011"},
    }
    data = {"application_id": application_id, "application_no": number, "county": county, "city": CITY_OF[county],
            "unit_id": unit_id, "status": "pending_county_org", "round": round_, "applicant_name": name,
            "unit_name": unit_name, "amount_fen": amount, "snapshot": snapshot}
    return Envelope(type="application.reported_to_county_org", source=source_of("publicity_assessment"),
                    subject=application_id, region=county, data=data,
                    actor={"role": "county_hrss", "account_id": str(uuid.uuid4()), "name": "人社局经办人"}).to_dict()


@pytest.fixture
def make_report() -> Callable[..., dict]:
    """The builder of a stage-7 report envelope (:func:`report_event`), for tests that publish it themselves."""
    return report_event


@pytest.fixture
def report(org_confirmation, org_confirmation_config, vhost) -> Callable[..., dict]:
    """``report(county, ...)`` or ``report(event=...)``: publish a stage-7 report and wait until the
    service has handled it (its inbox row committed); returns the envelope."""
    url = org_confirmation_config["DATABASE_URL"]

    def _report(county: str = "440703", *, event: dict | None = None, **kwargs) -> dict:
        event = event or report_event(county, **kwargs)
        rabbit.publish(vhost, "publicity_assessment.events", "application.reported_to_county_org", event)
        wait_for(lambda: scalar(url, "SELECT count(*) FROM platform_inbox WHERE event_id=:i", i=event["id"]),
                 message=f"report {event['id']} handled")
        return event
    return _report


@pytest.fixture
def clerk(org_confirmation, org_confirmation_config, issue) -> Callable[[str, str | None], Callable]:
    """``clerk(role, region)`` -> ``rpc(method, *args)`` calling org_confirmation with that clerk's token."""
    def _clerk(role: str, region: str | None) -> Callable:
        token, _ = issue(role=role, region=region)

        def rpc(method: str, *args, **kwargs):
            return call(org_confirmation_config, "org_confirmation", method, *args, token=token, **kwargs)
        return rpc
    return _clerk


@pytest.fixture
def tap(vhost):
    """Every event org_confirmation publishes, in order."""
    listener = rabbit.Tap(vhost, ["org_confirmation.events"])
    yield listener
    listener.close()


@pytest.fixture
def refused() -> Callable[..., tuple[int, str]]:
    """``refused(rpc, method, *args)`` -> (HTTP status, error code) of a call that must fail."""
    return refusal


@pytest.fixture
def state(org_confirmation_config) -> Callable[[], dict]:
    """What a refused command must leave untouched: the cases, the batches and the outbox."""
    url = org_confirmation_config["DATABASE_URL"]

    def _state() -> dict:
        return {"cases": rows(url, "SELECT application_id, status, round, city_batch_id, opinion, updated_at "
                                   "FROM cases ORDER BY application_id"),
                "batches": rows(url, "SELECT id, status, decided_at, count, amount_fen, counties "
                                     "FROM city_batches ORDER BY id"),
                "outbox": scalar(url, "SELECT count(*) FROM platform_outbox")}
    return _state
