"""Fakes of org_confirmation's repositories: its use cases run in memory on a FakeTx."""
from __future__ import annotations

import pytest

from org_confirmation.adapters.repository import BatchRepository, CaseRepository
from shared.auth.principal import Principal
from shared.testing.fake_tx import FakeTx, InMemoryRepository

CITY, PENGJIANG, JIANGHAI = "440700", "440703", "440704"


class FakeBatches(InMemoryRepository):
    def get(self, batch_id, *, lock=False):
        return self.find(batch_id)

    def add(self, values):
        return self.put({"opinion": None, "decided_by": None, "decided_by_name": None, "decided_at": None,
                         **values})

    def update(self, batch_id, values):
        self.patch(batch_id, values)

    def numbers_starting(self, prefix):
        return [r["batch_no"] for r in self.rows.values() if r["batch_no"].startswith(prefix)]

    def waiting(self, principal, status):
        return self.where(lambda r: r["city"] == principal.region and r["status"] == status)


class FakeCases(InMemoryRepository):
    key = "application_id"

    def __init__(self, batches: FakeBatches):
        super().__init__()
        self.batches = batches

    def get(self, application_id, *, lock=False):
        return self.find(application_id)

    def get_shown(self, application_id):
        row = self.find(application_id)
        if row is None:
            return None
        batch = self.batches.find(row["city_batch_id"]) if row["city_batch_id"] else None
        return {**row, "city_batch_no": batch and batch["batch_no"]}

    def shown(self, ids):
        rows = [self.get_shown(i) for i in ids if i in self.rows]
        return sorted(rows, key=lambda r: (r["county"], r["application_no"]))

    def add(self, application_id, values):
        if application_id in self.rows:
            return False
        self.put({"application_id": application_id, **values})
        return True

    def update(self, application_id, values):
        self.patch(application_id, values)

    def locked(self, ids):
        return {i: self.find(i) for i in sorted(ids) if i in self.rows}

    def count_in_status(self, principal, status):
        """The cases of the caller's county (county roles) or city (city roles) in ``status``."""
        return len(self.where(lambda r: r["status"] == status and principal.region in (r["county"], r["city"])))

    def locked_in_batch(self, batch_id, status):
        return sorted(self.where(lambda r: r["city_batch_id"] == batch_id and r["status"] == status),
                      key=lambda r: r["application_id"])


PRINCIPALS = {
    "county_org": Principal(account_id="zzb440703", role="county_org", region=PENGJIANG, name="县组织部"),
    "other_county_org": Principal(account_id="zzb440704", role="county_org", region=JIANGHAI),
    "city_hrss": Principal(account_id="rsj440700", role="city_hrss", region=CITY, name="市人社局"),
    "city_org": Principal(account_id="zzb440700", role="city_org", region=CITY, name="市组织部"),
    "other_city_org": Principal(account_id="zzb440100", role="city_org", region="440100"),
    "system": Principal.system("org_confirmation"),
}


@pytest.fixture
def world():
    """In-memory tables; ``world.tx(who)`` is a unit of work over them for one of PRINCIPALS."""
    class World:
        batches = FakeBatches()
        cases = FakeCases(batches)

        def tx(self, who: str) -> FakeTx:
            return FakeTx(PRINCIPALS[who], service="org_confirmation",
                          repositories={CaseRepository: self.cases, BatchRepository: self.batches})

    return World()
