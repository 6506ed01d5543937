"""publicity_assessment in-process against real RabbitMQ and PostgreSQL, with a movable clock.

``desk`` plays the other side of the service: it publishes ``application.county_approved`` exactly
as subsidy_review's relay would, calls the RPCs as the gateway does, and moves the shared clock.
"""
from __future__ import annotations

import uuid

import pytest
from nameko.exceptions import RemoteError
from nameko.testing.services import entrypoint_hook

from publicity_assessment.seed import seed
from publicity_assessment.service import PublicityAssessmentService
from shared.auth.tokens import TokenSigner
from shared.clock import CLOCK_FILE_ENV, OffsetFileClock, set_offset
from shared.events import Envelope, source_of
from shared.testing import rabbit
from shared.testing.helpers import remote_code, rows, scalar, wait_for
from shared.testing.service import call, service_fixtures

DEMO = {"policy": {"city": "440700", "publicity_days": 5, "publicity_counts_working_days": True}}
SERVICE = "publicity_assessment"
UNIT_PENGJIANG = "6f1c2a10-0000-4000-8000-000000000001"

# the timer that ends due batches ticks at start-up only: a test moves the clock and then runs it
# itself (``desk.tick()``), so no tick ends a batch behind a test's back
globals().update(service_fixtures(SERVICE, PublicityAssessmentService, seed=lambda url: seed(url, DEMO),
                                  extra_config={"PUBLICITY_END_INTERVAL_SECONDS": 3600}))


@pytest.fixture(autouse=True)
def clock_file(tmp_path, monkeypatch):
    """Every container of these tests reads its time from this offset file (absent = real time)."""
    path = tmp_path / "clock.json"
    monkeypatch.setenv(CLOCK_FILE_ENV, str(path))
    return path


def county_approved(application_id: str, *, county: str = "440703", round_: int = 1, name: str = "张三",
                    application_no: str | None = None, event_id: str | None = None) -> dict:
    """``application.county_approved`` as subsidy_review emits it: APP_REF, round and the snapshot."""
    number = application_no or f"SQ{county}{uuid.UUID(application_id).hex[:8].upper()}"
    snapshot = {
        "application_no": number, "applicant_name": name, "id_type": "resident_id",
        "id_number": "440703199803151233", "unit_id": UNIT_PENGJIANG, "unit_name": "江门市蓬江区示范科技有限公司",
        "county": county, "city": "440700", "degree": "bachelor", "start_date": "2026-07-01", "months": 12,
        "standard_fen": 80000, "amount_fen": 960000, "round": round_, "mobile": "13800000002",
        "bank_account": {"holder": name, "bank": "中国工商银行江门蓬江支行", "number": "6222020000000000011"},
    }
    data = {"application_id": application_id, "application_no": number, "county": county, "city": "440700",
            "unit_id": UNIT_PENGJIANG, "status": "county_approved", "round": round_, "applicant_name": name,
            "unit_name": snapshot["unit_name"], "amount_fen": 960000, "opinion": "同意", "snapshot": snapshot}
    envelope = Envelope(type="application.county_approved", source=source_of("subsidy_review"),
                        subject=application_id, region=county, data=data,
                        actor={"role": "county_hrss", "account_id": str(uuid.uuid4()), "name": "县人社局经办人"})
    body = envelope.to_dict()
    if event_id:
        body["id"] = event_id
    return body


class Desk:
    def __init__(self, config: dict, vhost: str, clock_path, signer: TokenSigner) -> None:
        self.config, self.vhost, self.clock_path = config, vhost, clock_path
        self.url = config["DATABASE_URL"]
        # tokens issued on the service's own (movable) clock stay valid after time moves
        self.signer = TokenSigner(signer.private_key, signer.kid, clock=OffsetFileClock(clock_path))

    def token(self, role: str = "county_hrss", region: str | None = "440703") -> str:
        token, _ = self.signer.issue(account_id=str(uuid.uuid4()), role=role, region=region, unit_id=None,
                                     name="测试经办人", token_version=1)
        return "Bearer " + token

    event = staticmethod(county_approved)

    def publish(self, body: dict) -> None:
        rabbit.publish(self.vhost, "subsidy_review.events", "application.county_approved", body)

    def approve(self, *, county: str = "440703", name: str = "张三", application_id: str | None = None,
                round_: int = 1) -> dict:
        """Publish a county approval and wait for the case; returns the event body."""
        body = county_approved(application_id or str(uuid.uuid4()), county=county, round_=round_, name=name)
        self.publish(body)
        wait_for(lambda: self.inbox_has(body["id"]), message="county approval handled")
        return body

    def inbox_has(self, event_id: str) -> bool:
        return bool(scalar(self.url, "SELECT count(*) FROM platform_inbox WHERE event_id=:i", i=event_id))

    def call(self, method: str, *args, role: str = "county_hrss", region: str | None = "440703",
             token: str | None = None, anonymous: bool = False, **kwargs):
        token = None if anonymous else (token or self.token(role, region))
        return call(self.config, SERVICE, method, *args, token=token, **kwargs)

    def error(self, method: str, *args, **kwargs) -> tuple[int, str]:
        with pytest.raises(RemoteError) as info:
            self.call(method, *args, **kwargs)
        return remote_code(info.value)

    def case(self, application_id: str) -> dict:
        return rows(self.url, "SELECT * FROM cases WHERE application_id=:i", i=application_id)[0]

    def state(self) -> dict:
        """What a refused call must leave untouched."""
        return {
            "cases": rows(self.url, "SELECT application_id, status, round, batch_id, opinion FROM cases "
                                    "ORDER BY application_id"),
            "batches": rows(self.url, "SELECT id, status FROM publicity_batches ORDER BY id"),
            "objections": rows(self.url, "SELECT id, status FROM objections ORDER BY id"),
            "outbox": scalar(self.url, "SELECT count(*) FROM platform_outbox"),
            "audit": scalar(self.url, "SELECT count(*) FROM platform_audit_log"),
        }

    def move_clock(self, days: float) -> None:
        set_offset(self.clock_path, days * 86400)

    def tick(self) -> int:
        """One tick of the timer that ends due batches; how many it ended."""
        with entrypoint_hook(self.container, "end_due_publicity") as end_due:
            return end_due()


@pytest.fixture
def desk(publicity_assessment, publicity_assessment_config, vhost, clock_file, signer) -> Desk:
    desk = Desk(publicity_assessment_config, vhost, clock_file, signer)
    desk.container = publicity_assessment
    return desk


@pytest.fixture
def tap(vhost):
    """Every event publicity_assessment publishes, from before the first command."""
    tap = rabbit.Tap(vhost, [f"{SERVICE}.events"])
    yield tap
    tap.close()
