"""Fakes of unit_registry's repositories: the use cases of 个人注册 and its review run in memory."""
from __future__ import annotations

import pytest

from shared.auth.principal import Principal
from shared.testing.fake_tx import FakeTableRepository, FakeTx, InMemoryRepository
from shared.validators import id_check_char
from unit_registry.adapters.orm import individuals, unit_changes, units
from unit_registry.adapters.repository import (
    IndividualRepository,
    ReviewHistoryRepository,
    UnitChangeRepository,
    UnitRepository,
)

PENGJIANG, JIANGHAI = "440703", "440704"
UNIT, OTHER_UNIT, PENDING_UNIT = ("6f1c2a10-0000-4000-8000-000000000001", "6f1c2a10-0000-4000-8000-000000000002",
                                  "6f1c2a10-0000-4000-8000-000000000003")
UNITS = [{"id": UNIT, "name": "蓬江示范单位", "status": "approved", "supervisor_region": PENGJIANG},
         {"id": OTHER_UNIT, "name": "江海示范单位", "status": "approved", "supervisor_region": JIANGHAI},
         {"id": PENDING_UNIT, "name": "待审单位", "status": "pending", "supervisor_region": PENGJIANG}]


class FakeIndividuals(InMemoryRepository):
    """Individuals joined with their unit's name and 主管部门 region, as the repository's query does."""

    def __init__(self):
        super().__init__()
        self.units = {u["id"]: dict(u) for u in UNITS}

    def _joined(self, row):
        if row is None:
            return None
        unit = self.units[row["unit_id"]]
        return {**row, "unit_name": unit["name"], "region": unit["supervisor_region"]}

    def get(self, individual_id, *, lock=False):
        return self._joined(self.find(str(individual_id)))

    def of_account(self, account_id, *, lock=False):
        found = self.where(lambda r: r["account_id"] == account_id)
        return self._joined(found[0]) if found else None

    def exists(self, individual_id):
        return individual_id in self.rows

    def id_number_used(self, id_type, id_number, *, except_id=None):
        return bool(self.where(lambda r: (r["id_type"], r["id_number"]) == (id_type, id_number)
                               and r["id"] != except_id))

    def add(self, values):
        if self.id_number_used(values["id_type"], values["id_number"]):
            return False
        self.put({**{c.name: None for c in individuals.c}, "round": 1, "opinion": None, **values})
        return True

    def update(self, row, values):
        return self._joined(self.patch(row["id"], values))

    def update_many(self, rows, values):
        return {row["id"]: self.update(row, values) for row in rows}

    def lock_of_unit(self, unit_id, ids, status):
        rows = self.where(lambda r: r["unit_id"] == unit_id and (r["id"] in set(ids) if ids is not None
                                                                  else r["status"] == status))
        return [(r["id"], r["status"]) for r in sorted(rows, key=lambda r: (r["created_at"], r["id"]))]

    def many(self, ids):
        return [self._joined(self.rows[i]) for i in ids if i in self.rows]

    def counts_by_status(self, unit_id):
        counts: dict[str, int] = {}
        for r in self.where(lambda r: r["unit_id"] == unit_id):
            counts[r["status"]] = counts.get(r["status"], 0) + 1
        return counts

    def unit(self, unit_id):
        return self.units.get(unit_id or "")


class FakeUnits(FakeTableRepository):
    """Units; ``uscc_taken`` also sees the USCCs asked for in pending changes (``changes``), and
    ``race_uscc`` stands for a concurrent writer that takes a USCC between the check and the write."""

    table = units

    def __init__(self, changes: FakeTableRepository, rows=()):
        super().__init__(rows)
        self.changes = changes
        self.race_uscc: str | None = None

    def one(self, unit_id):
        row = self.find(unit_id)
        assert row is not None, f"no unit {unit_id}"
        return row

    def exists(self, unit_id):
        return unit_id in self.rows

    def uscc_taken(self, uscc, *, except_unit=None):
        return any(r["uscc"] == uscc and r["id"] != except_unit for r in self.rows.values()) or any(
            c["status"] == "pending" and c["after"]["uscc"] == uscc and c["unit_id"] != except_unit
            for c in self.changes.rows.values())

    def add(self, values):
        if self.uscc_taken(values["uscc"]) or values["uscc"] == self.race_uscc:
            return False
        super().add(values)
        return True

    def update_unique(self, unit_id, values):
        if "uscc" in values and values["uscc"] == self.race_uscc:
            return False
        self.update(unit_id, values)
        return True

    def count_in(self, supervisor_region, status):
        return len(self.where(lambda r: (r["supervisor_region"], r["status"]) == (supervisor_region, status)))


class FakeUnitChanges(FakeTableRepository):
    table = unit_changes

    def pending_of(self, unit_id):
        return bool(self.where(lambda r: (r["unit_id"], r["status"]) == (unit_id, "pending")))

    def of_unit(self, unit_id):
        return sorted(self.where(lambda r: r["unit_id"] == unit_id), key=lambda r: r["created_at"], reverse=True)

    def count_in(self, supervisor_region, status):
        return len(self.where(lambda r: (r["supervisor_region"], r["status"]) == (supervisor_region, status)))


class FakeReviewHistory:
    def __init__(self):
        self.rounds: list[dict] = []

    def add(self, values):
        self.rounds.append({"id": len(self.rounds) + 1, **values})

    def add_many(self, rows):
        for values in rows:
            self.add(values)

    def of(self, subject_type, subject_ids):
        return [r for r in self.rounds if r["subject_type"] == subject_type and r["subject_id"] in subject_ids]


def registration(n: int = 1, name: str = "王五", **patch) -> dict:
    body = f"44070319990101{n:03d}"
    data = {"name": name, "id_type": "resident_id", "id_number": body + id_check_char(body),
            "mobile": f"1390000{n:04d}", "degree": "master", "graduated_on": "2025-06-30",
            "bank_account": {"holder": name, "bank": "中国银行江门分行", "number": f"6216610000000000{n:03d}"}}
    return {**data, **patch}


def graduate(n: int = 1, unit_id: str | None = UNIT) -> Principal:
    return Principal(account_id=f"6f1c2a10-0000-4000-8000-0000000001{n:02d}", role="individual", unit_id=unit_id)


PRINCIPALS = {
    "clerk": Principal(account_id="dw-pengjiang", role="unit_admin", unit_id=UNIT, name="单位经办人"),
    "other_clerk": Principal(account_id="dw-jianghai", role="unit_admin", unit_id=OTHER_UNIT),
    "county_hrss": Principal(account_id="rsj440703", role="county_hrss", region=PENGJIANG),
    "other_county_hrss": Principal(account_id="rsj440704", role="county_hrss", region=JIANGHAI),
}


@pytest.fixture
def world():
    """In-memory tables; ``world.tx(who)`` a unit of work over them (a name of PRINCIPALS, or a Principal)."""
    class World:
        individuals = FakeIndividuals()
        history = FakeReviewHistory()
        unit_changes = FakeUnitChanges()
        units = FakeUnits(unit_changes)

        def tx(self, who) -> FakeTx:
            principal = who if isinstance(who, Principal) else PRINCIPALS[who]
            return FakeTx(principal, service="unit_registry", repositories={
                IndividualRepository: self.individuals, ReviewHistoryRepository: self.history,
                UnitRepository: self.units, UnitChangeRepository: self.unit_changes})

    return World()
