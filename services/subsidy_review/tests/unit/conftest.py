"""Fakes of subsidy_review's repositories and a fake unit of work to run its use cases in memory."""
from __future__ import annotations

import uuid
from datetime import date
from types import SimpleNamespace

import pytest

from shared.auth.principal import Principal
from shared.jurisdiction import sees
from shared.testing.fake_tx import FakeTx, InMemoryRepository
from subsidy_review.adapters.orm import applications
from subsidy_review.adapters.repository import (
    ApplicantRepository,
    ApplicationRepository,
    PolicyRepository,
    WindowRepository,
)

COUNTY, OTHER_COUNTY, CITY = "440703", "440704", "440700"
UNIT, OTHER_UNIT = "11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"
INDIVIDUAL, ACCOUNT = "33333333-3333-4333-8333-333333333333", "44444444-4444-4444-8444-444444444444"
BANK = {"holder": "张三", "bank": "工商银行", "number": "6222000000000011"}


class FakeApplications(InMemoryRepository):
    def __init__(self, rows=()):
        super().__init__(rows)
        self.timeline: dict[str, dict] = {}
        self.counters: dict[str, int] = {}

    def get(self, application_id, principal=None, *, lock=False):
        row = self.find(str(application_id))
        if row is None or (principal is not None and not sees(principal, row, county="county", city="city",
                                                                unit="unit_id", account="account_id")):
            return None
        return row

    def active_number(self, individual_id, statuses):
        found = self.where(lambda r: r["individual_id"] == individual_id and r["status"] in set(statuses))
        return found[0]["application_no"] if found else None

    def periods_of(self, individual_id, statuses, *, exclude=None):
        return sorted(self.where(lambda r: r["individual_id"] == individual_id and r["status"] in set(statuses)
                                 and r["id"] != exclude), key=lambda r: r["start_date"])

    def next_number(self, key):
        self.counters[key] = self.counters.get(key, 0) + 1
        return self.counters[key]

    def add(self, values):  # as INSERT ... RETURNING: every column, NULL where not given
        return self.put({**{column.name: None for column in applications.c}, "round": 0, **values})

    def update(self, application_id, values):
        return self.patch(application_id, values)

    def pending_of_unit(self, unit_id, only=None):
        return [r["id"] for r in sorted(self.where(lambda r: r["unit_id"] == unit_id and r["status"]
                                                   == "pending_unit_review" and (not only or r["id"] in only)),
                                        key=lambda r: r["submitted_at"])]

    def correct_unfrozen_accounts(self, individual_id, statuses, account, at):
        found = self.where(lambda r: r["individual_id"] == individual_id and r["status"] in statuses
                           and r["bank_account"] is not None)
        for row in found:
            self.patch(row["id"], {"bank_account": dict(account), "bank_account_at": at})
        return len(found)

    def _visible(self, principal):
        return self.where(lambda r: sees(principal, r, county="county", city="city", unit="unit_id",
                                         account="account_id"))

    def count_in_status(self, principal, statuses):
        return sum(r["status"] in statuses for r in self._visible(principal))

    def totals_by_status(self, principal, county):
        totals: dict[str, list[int]] = {}
        for r in self._visible(principal):
            if county is None or r["county"] == county:
                entry = totals.setdefault(r["status"], [0, 0])
                entry[0], entry[1] = entry[0] + 1, entry[1] + (r["amount_fen"] or 0)
        return [SimpleNamespace(status=s, count=n, amount_fen=fen) for s, (n, fen) in totals.items()]

    def add_timeline_entry(self, entry):
        self.timeline.setdefault(entry["event_id"], dict(entry))


class FakeApplicants(InMemoryRepository):
    key = "individual_id"

    def __init__(self, rows=(), units=()):
        super().__init__(rows)
        self.units = {u["id"]: dict(u) for u in units}

    def by_account(self, account_id, *, lock=False):
        found = self.where(lambda r: r["account_id"] == account_id)
        return found[0] if found else None

    def by_individual(self, individual_id, *, lock=False):
        return self.find(individual_id)

    def put_unit(self, unit_id, values):
        self.units[unit_id] = {"id": unit_id, **values}

    def unit(self, unit_id):
        return self.units.get(unit_id)

    def put(self, individual_id, values=None):  # the repository's put(id, values) and the base's put(row)
        if values is None:
            return super().put(individual_id)
        # as INSERT ... ON CONFLICT DO UPDATE SET values: columns not in ``values`` keep what they hold
        return super().put({**(self.find(individual_id) or {}), "individual_id": individual_id, **values})


class FakePolicies(InMemoryRepository):
    key = "city"

    def get(self, city, *, lock=False):
        return self.find(city)

    def put(self, city, values=None):
        return super().put(city if values is None else {"city": city, **values})


class FakeWindows(InMemoryRepository):
    """申报期: the unit tests' city has none (applications all year) unless a test puts some."""

    def of_city(self, city, *, active_only=True, lock=False):
        return self.where(lambda w: w["city"] == city and (not active_only or w["status"] == "active"))


def application(**overrides) -> dict:
    """An application row as the table holds it (pending the unit's review unless told otherwise)."""
    row = {
        "id": str(uuid.uuid4()), "application_no": "BZ4407032026000001", "individual_id": INDIVIDUAL,
        "account_id": ACCOUNT, "unit_id": UNIT, "unit_name": "江门示范单位", "county": COUNTY,
        "city": CITY, "applicant_name": "张三", "id_type": "resident_id", "id_number": "440703199001011234",
        "mobile": "13800000000", "degree": "bachelor", "start_date": date(2026, 7, 1), "months": 12,
        "standard_fen": 80000, "amount_fen": 960000, "policy_version": 1, "work_history": [], "bank_account": None,
        "status": "pending_unit_review", "round": 0, "opinion": None, "submitted_at": None, "reported_at": None,
        "county_approved_at": None, "created_at": None, "updated_at": None, "attachment_ids": [],
    }
    return {**row, **overrides}


def applicant(**overrides) -> dict:
    row = {"individual_id": INDIVIDUAL, "account_id": ACCOUNT, "unit_id": UNIT, "unit_name": "江门示范单位",
           "name": "张三", "id_type": "resident_id", "id_number": "440703199001011234", "mobile": "13800000000",
           "degree": "bachelor", "region": COUNTY, "status": "approved", "bank_account": BANK}
    return {**row, **overrides}


POLICY = {"city": CITY, "version": 3, "effective_from": date(2026, 1, 1), "max_months": 36,
          "standards_fen": {"college": 50000, "bachelor": 80000, "master": 100000, "doctor": 150000}}

PRINCIPALS = {
    "individual": Principal(account_id=ACCOUNT, role="individual", name="张三"),
    "unit_admin": Principal(account_id="acc-dw", role="unit_admin", unit_id=UNIT, name="单位经办人"),
    "other_unit": Principal(account_id="acc-dw2", role="unit_admin", unit_id=OTHER_UNIT),
    "county_hrss": Principal(account_id="acc-rsj", role="county_hrss", region=COUNTY, name="县人社局"),
    "other_county": Principal(account_id="acc-rsj2", role="county_hrss", region=OTHER_COUNTY),
    "city_hrss": Principal(account_id="acc-srsj", role="city_hrss", region=CITY),
}


@pytest.fixture
def world():
    """The in-memory tables; ``world.tx(who)`` is a unit of work over them for one of PRINCIPALS."""
    class World:
        applications = FakeApplications()
        applicants = FakeApplicants([applicant()], units=[{"id": UNIT, "name": "江门示范单位"}])
        policies = FakePolicies([POLICY])
        windows = FakeWindows()

        def tx(self, who: str) -> FakeTx:
            return FakeTx(PRINCIPALS[who], service="subsidy_review", repositories={
                ApplicationRepository: self.applications, ApplicantRepository: self.applicants,
                PolicyRepository: self.policies, WindowRepository: self.windows})

        def add(self, **overrides) -> dict:
            return self.applications.put(application(**overrides))

    return World()
