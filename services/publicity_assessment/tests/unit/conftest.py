"""Fakes of publicity_assessment's repositories: its use cases run in memory on a FakeTx."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest

from publicity_assessment.adapters.repository import (
    BatchRepository,
    CalendarRepository,
    CaseRepository,
    ObjectionRepository,
)
from shared.auth.principal import Principal
from shared.events import Envelope, source_of
from shared.testing.fake_tx import DEFAULT_NOW, FakeTx, InMemoryRepository

CITY, PENGJIANG, JIANGHAI = "440700", "440703", "440704"
UNIT = "6f1c2a10-0000-4000-8000-000000000001"


class FakeObjections(InMemoryRepository):
    def __init__(self) -> None:
        super().__init__()
        self.serialised: list[str] = []

    def get(self, objection_id, *, lock=False):
        return self.find(objection_id)

    def add(self, values):
        self.put({"opinion": None, "resolved_at": None, "resolved_by": None, **values})

    def update(self, objection_id, values):
        self.patch(objection_id, values)

    def of_application(self, application_id):
        return sorted(self.where(lambda r: r["application_id"] == application_id), key=lambda r: r["lodged_at"])

    def other_pending(self, application_id, except_id):
        return self.where(lambda r: r["application_id"] == application_id and r["status"] == "pending"
                          and r["id"] != except_id)

    def lodged_since(self, since, *, client_ip=None, application_id=None):
        return [r["lodged_at"] for r in self.rows.values() if r["lodged_at"] > since
                and client_ip in (None, r["client_ip"]) and application_id in (None, r["application_id"])]

    def serialise(self, key):
        self.serialised.append(key)

    def pending_in(self, county):
        return len(self.where(lambda r: r["county"] == county and r["status"] == "pending"))

    def pending_of_batch(self, batch_id):
        return len(self.where(lambda r: r["batch_id"] == batch_id and r["status"] == "pending"))


class FakeBatches(InMemoryRepository):
    def __init__(self, objections: FakeObjections) -> None:
        super().__init__()
        self.objections = objections

    def get(self, batch_id, *, lock=False, share=False):
        return self.find(batch_id)

    def add(self, values):
        self.put({"ended_at": None, **values})

    def update(self, batch_id, values):
        self.patch(batch_id, values)

    def numbers_taken(self, prefix):
        return len(self.where(lambda r: r["batch_no"].startswith(prefix)))

    def pending_objections(self, batch_id):
        return self.objections.pending_of_batch(batch_id)

    def due_ids(self, open_status, today):
        due = self.where(lambda r: r["status"] == open_status and r["ends_on"] < today
                         and not self.objections.pending_of_batch(r["id"]))
        return [r["id"] for r in sorted(due, key=lambda r: (r["ends_on"], r["batch_no"]))]


class FakeCases(InMemoryRepository):
    key = "application_id"

    def get(self, application_id, *, lock=False):
        return self.find(application_id)

    def latest(self, *, application_id=None, application_no=None):
        if application_id:
            return self.find(application_id)
        found = self.where(lambda r: r["application_no"] == application_no)
        return max(found, key=lambda r: r["updated_at"]) if found else None

    def locked(self, ids):
        return {i: self.find(i) for i in sorted(ids) if i in self.rows}

    def add(self, application_id, values):
        assert application_id not in self.rows, "the table's primary key"
        self.put({"application_id": application_id, **values})

    def update(self, application_id, values):
        self.patch(application_id, values)

    def in_batch(self, batch_id):
        return sorted(self.where(lambda r: r["batch_id"] == batch_id), key=lambda r: r["application_no"])

    def locked_in_batch(self, batch_id, status):
        return sorted(self.where(lambda r: r["batch_id"] == batch_id and r["status"] == status),
                      key=lambda r: r["application_id"])

    def count_by_status(self, county):
        counts: dict[str, int] = {}
        for row in self.where(lambda r: r["county"] == county):
            counts[row["status"]] = counts.get(row["status"], 0) + 1
        return counts


class FakeCalendar:
    """At first: no city policy of its own (the usual 5 working days), no holidays, 2026 and 2027
    confirmed."""

    def __init__(self) -> None:
        self.years = {2026, 2027}
        self.policies: dict[str, dict] = {}
        self.days: dict = {}

    def policy(self, city):
        return self.policies.get(city)

    def overrides(self, after, days):
        return {d: r["kind"] for d, r in self.days.items() if after < d <= after + timedelta(days=days)}

    def known_years(self):
        return set(self.years)

    def set_policy(self, city, days, counts_working_days, now):
        self.policies[city] = {"city": city, "days": days, "counts_working_days": counts_working_days,
                               "updated_at": now}

    def day(self, day):
        return self.days.get(day)

    def set_day(self, day, kind, name):
        self.days[day] = {"day": day, "kind": kind, "name": name}

    def days_of(self, year):
        return [self.days[d] for d in sorted(self.days) if d.year == year]

    def count_of(self, year, kind):
        return len([r for d, r in self.days.items() if d.year == year and r["kind"] == kind])

    def year(self, year, *, lock=False):
        return {"year": year, "confirmed_at": DEFAULT_NOW} if year in self.years else None

    def confirm_year(self, year, account_id, now):
        self.years.add(year)


PRINCIPALS = {
    "county_hrss": Principal(account_id="rsj440703", role="county_hrss", region=PENGJIANG, name="县人社局"),
    "other_county_hrss": Principal(account_id="rsj440704", role="county_hrss", region=JIANGHAI),
    "sys_admin": Principal(account_id="admin", role="sys_admin", region=None),
    "public": Principal.system("publicity_assessment"),
    "system": Principal.system("publicity_assessment"),
}


def county_approved(application_id: str | None = None, *, county: str = PENGJIANG, round_: int = 1,
                    name: str = "张三") -> Envelope:
    """``application.county_approved`` as subsidy_review emits it (APP_REF, round, the snapshot)."""
    application_id = application_id or str(uuid.uuid4())
    number = f"SQ{county}{uuid.UUID(application_id).hex[:8].upper()}"
    snapshot = {
        "application_no": number, "applicant_name": name, "id_type": "resident_id",
        "id_number": "440703199803151233", "unit_id": UNIT, "unit_name": "江门市蓬江区示范科技有限公司",
        "county": county, "city": CITY, "degree": "bachelor", "start_date": "2026-07-01", "months": 12,
        "standard_fen": 80000, "amount_fen": 960000, "round": round_, "mobile": "13800000002",
        "bank_account": {"holder": name, "bank": "中国工商银行江门蓬江支行", "number": "6222020000000000011"}}
    return Envelope(type="application.county_approved", source=source_of("subsidy_review"), subject=application_id,
                    region=county, actor={"role": "county_hrss", "account_id": "rsj440703", "name": "县人社局经办人"},
                    data={"application_id": application_id, "application_no": number, "county": county,
                          "city": CITY, "unit_id": UNIT, "status": "county_approved", "round": round_,
                          "applicant_name": name, "unit_name": snapshot["unit_name"], "amount_fen": 960000,
                          "opinion": "同意", "snapshot": snapshot})


class World:
    """In-memory tables; ``tx(who, days=0)`` is a unit of work over them for one of PRINCIPALS,
    ``days`` after the FakeTx's default time."""

    def __init__(self) -> None:
        self.objections = FakeObjections()
        self.batches = FakeBatches(self.objections)
        self.cases = FakeCases()
        self.calendar = FakeCalendar()

    def tx(self, who: str, *, days: int = 0) -> FakeTx:
        now: datetime = DEFAULT_NOW + timedelta(days=days)
        return FakeTx(PRINCIPALS[who], service="publicity_assessment", now=now, repositories={
            CaseRepository: self.cases, BatchRepository: self.batches, ObjectionRepository: self.objections,
            CalendarRepository: self.calendar})

    def arrived(self, county: str = PENGJIANG, **kwargs) -> str:
        """A county-approved application received (待公示); its id."""
        from publicity_assessment import use_cases

        event = county_approved(county=county, **kwargs)
        assert use_cases.receive_county_approval(self.tx("system"), event) == "create"
        return event.data["application_id"]


@pytest.fixture
def world() -> World:
    return World()
