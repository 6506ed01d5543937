"""finance_disbursement in-process against real RabbitMQ and PostgreSQL, fed with org_confirmation's
events exactly as org_confirmation publishes them."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import pytest

from finance_disbursement.service import FinanceDisbursementService
from shared.events import Envelope
from shared.testing import rabbit
from shared.testing.helpers import rows, scalar, wait_for
from shared.testing.service import service_fixtures

globals().update(service_fixtures("finance_disbursement", FinanceDisbursementService))

CITY = "440700"
PRODUCER = "org_confirmation"
ORG_ACTOR = {"role": "city_org", "account_id": "6f1c2a10-0000-4000-8000-0000000000aa", "name": "市组织部经办人"}


@dataclass
class Application:
    """One application as org_confirmation confirmed it into a city batch."""

    batch_id: str
    county: str
    amount_fen: int
    name: str
    account_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    application_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    round: int = 1
    bank: bool = True
    unit_id: str = "6f1c2a10-0000-4000-8000-000000000001"

    @property
    def application_no(self) -> str:
        return f"SQ{self.county}-{self.application_id[:8]}"

    def envelope(self) -> dict:
        snapshot = {
            "application_no": self.application_no, "applicant_name": self.name, "id_type": "resident_id",
            "id_number": "440703199803151233", "unit_id": self.unit_id,
            "unit_name": "江门市蓬江区示范科技有限公司", "county": self.county, "city": CITY, "degree": "bachelor",
            "start_date": "2026-01-01", "months": 12, "standard_fen": self.amount_fen // 12,
            "amount_fen": self.amount_fen, "account_id": self.account_id, "round": self.round,
        }
        if self.bank:
            snapshot["bank_account"] = {"holder": self.name, "bank": "中国工商银行江门蓬江支行",
                                        "number": "62220200000000" + self.application_id[:5].replace("-", "0")}
        data = {"application_id": self.application_id, "application_no": self.application_no,
                "county": self.county, "city": CITY, "unit_id": snapshot["unit_id"], "status": "city_org_confirmed",
                "round": self.round, "applicant_name": self.name, "unit_name": snapshot["unit_name"],
                "amount_fen": self.amount_fen, "batch_id": self.batch_id, "snapshot": snapshot}
        return Envelope(type="application.city_org_confirmed", source=f"/services/{PRODUCER}",
                        subject=self.application_id, region=self.county, data=data, actor=ORG_ACTOR).to_dict()


def batch_envelope(batch_id: str, apps: list[Application], **override) -> dict:
    """``city_batch.confirmed`` with the totals org_confirmation computes from ``apps``."""
    counties = {}
    for app in apps:
        line = counties.setdefault(app.county, {"county": app.county, "count": 0, "amount_fen": 0})
        line["count"] += 1
        line["amount_fen"] += app.amount_fen
    data = {"batch_id": batch_id, "batch_no": f"HZ{CITY}-{batch_id[:6]}", "city": CITY, "count": len(apps),
            "amount_fen": sum(a.amount_fen for a in apps), "counties": sorted(counties.values(),
                                                                             key=lambda c: c["county"])}
    data.update(override)
    return Envelope(type="city_batch.confirmed", source=f"/services/{PRODUCER}", subject=batch_id, region=CITY,
                    data=data, actor=ORG_ACTOR).to_dict()


class Feed:
    """Publishes org_confirmation's events into the test's vhost and waits for their effect."""

    def __init__(self, vhost: str, url: str) -> None:
        self.vhost, self.url = vhost, url

    def publish(self, envelope: dict) -> dict:
        rabbit.publish(self.vhost, f"{PRODUCER}.events", envelope["type"], envelope)
        return envelope

    batch_envelope = staticmethod(batch_envelope)

    def applications(self, batch_id: str, spec: list[tuple[str, int, str]], **kw) -> list[Application]:
        return [Application(batch_id, county, fen, name, **kw) for county, fen, name in spec]

    def batch_status(self, batch_id: str) -> str | None:
        return scalar(self.url, "SELECT status FROM disbursement_batches WHERE id = :id", id=batch_id)

    def wait_status(self, batch_id: str, status: str) -> None:
        wait_for(lambda: self.batch_status(batch_id) == status, message=f"batch {status}")

    def wait_consumed(self, count: int) -> None:
        """Until the inbox holds ``count`` events of org_confirmation (duplicates are not recorded twice)."""
        wait_for(lambda: scalar(self.url, "SELECT count(*) FROM platform_inbox WHERE event_type IN "
                                          "('application.city_org_confirmed', 'city_batch.confirmed')") >= count,
                 message=f"{count} events consumed")

    def ready_batch(self, spec: list[tuple[str, int, str]] | None = None, **kw) -> tuple[str, list[Application]]:
        """A batch with its applications, arrived and 待拨付."""
        batch_id = str(uuid.uuid4())
        apps = self.applications(batch_id, spec or [("440703", 960_000, "张三"), ("440703", 1_800_000, "王五"),
                                                    ("440704", 1_200_000, "李四")], **kw)
        for app in apps:
            self.publish(app.envelope())
        self.publish(batch_envelope(batch_id, apps))
        self.wait_status(batch_id, "ready")
        return batch_id, apps

    def fingerprint(self) -> dict:
        """Everything a refused command must leave as it was."""
        return rows(self.url, """
            SELECT (SELECT count(*) FROM county_transfers) AS transfers, (SELECT count(*) FROM payments) AS payments,
                   (SELECT count(*) FROM platform_outbox) AS events,
                   (SELECT count(*) FROM platform_audit_log) AS audits,
                   (SELECT string_agg(status, ',' ORDER BY application_id) FROM items) AS items,
                   (SELECT string_agg(status, ',' ORDER BY id) FROM disbursement_batches) AS batches,
                   (SELECT string_agg(status, ',' ORDER BY id) FROM payments) AS payment_statuses""")[0]


@pytest.fixture
def feed(vhost, finance_disbursement_config, finance_disbursement, finance_disbursement_db) -> Feed:
    # the vhost is requested first so that it outlives the running container
    return Feed(vhost, finance_disbursement_db)


@pytest.fixture
def tokens(issue):
    """Tokens of the finance bureaus of 江门市 and its counties."""
    return {"city": issue(role="city_finance", region=CITY)[0],
            "440703": issue(role="county_finance", region="440703")[0],
            "440704": issue(role="county_finance", region="440704")[0]}

