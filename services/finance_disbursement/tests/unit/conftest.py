"""Fakes of finance_disbursement's repositories: its use cases run in memory on a FakeTx."""
from __future__ import annotations

import uuid

import pytest

from finance_disbursement import use_cases
from finance_disbursement.adapters.orm import clawbacks, county_transfers, payments
from finance_disbursement.adapters.repository import (
    BankFileRepository,
    BatchRepository,
    ClawbackRepository,
    CorrectionRepository,
    ItemRepository,
    PaymentRepository,
    TransferRepository,
)
from finance_disbursement.domain.reconciliation import CountyTotal
from shared.auth.principal import Principal
from shared.events import Envelope
from shared.testing.fake_tx import FakeTx, InMemoryRepository

CITY, PENGJIANG, JIANGHAI = "440700", "440703", "440704"


class _Locks:
    def lock(self, key):
        pass  # one unit of work at a time in memory: nothing to serialise


class FakeItems(_Locks, InMemoryRepository):
    key = ("application_id", "round")

    def latest_round(self, application_id):
        rounds = [r["round"] for r in self.rows.values() if r["application_id"] == application_id]
        return max(rounds) if rounds else None

    def add(self, values):
        if self.key_of(values) in self.rows:
            return False
        self.put({"transfer_id": None, "payment_id": None, "failure_reason": None, "attempt": 1,
                  "return_reason": None, "corrected_bank_holder": None, "corrected_bank_name": None,
                  "corrected_bank_number": None, "corrected_at": None, "bank_account_at": None, **values})
        return True

    def latest(self, application_id, *, lock=False):
        round_ = self.latest_round(application_id)
        return None if round_ is None else self.find((application_id, round_))

    def update(self, item, values):
        self.patch(self.key_of(item), values)

    def _sorted(self, rows):
        return sorted(rows, key=lambda r: (r["county"], r["application_no"], r["round"]))

    def of_batch(self, batch_id, *, county=None, status=None, lock=False):
        return self._sorted(self.where(lambda r: r["batch_id"] == batch_id and county in (None, r["county"])
                                       and status in (None, r["status"])))

    def of_transfer(self, transfer_id, *, lock=False):
        return self._sorted(self.where(lambda r: r["transfer_id"] == transfer_id))

    def failed_of_account(self, account_id, *, lock=False):
        return self._sorted(self.where(lambda r: r["account_id"] == account_id and r["status"] == "payment_failed"))

    def count_in(self, county, status):
        return len(self.where(lambda r: (r["county"], r["status"]) == (county, status)))

    def of_round(self, application_id, round_, *, lock=False):
        return self.where(lambda r: (r["application_id"], r["round"]) == (application_id, round_))


class FakeCorrections(_Locks, InMemoryRepository):
    key = "account_id"

    def latest(self, account_id, *, lock=False):
        return self.find(account_id)

    def put(self, account_id, values=None):  # the repository's put(id, values) and the base's put(row)
        return super().put(account_id if values is None else {"account_id": account_id, **values})


class FakeBatches(_Locks, InMemoryRepository):
    def __init__(self, items: FakeItems, transfers: "FakeTransfers"):
        super().__init__()
        self.items, self.transfers = items, transfers

    def get(self, batch_id, *, lock=False):
        return self.find(batch_id)

    def add(self, values):
        if values["id"] in self.rows:
            return False
        self.put({"ready_at": None, **values})
        return True

    def update(self, batch_id, values):
        self.patch(batch_id, values)

    def arrived_by_county(self, batch_id):
        totals: dict[str, CountyTotal] = {}
        for r in self.items.of_batch(batch_id):
            seen = totals.get(r["county"], CountyTotal(r["county"], 0, 0))
            totals[r["county"]] = CountyTotal(r["county"], seen.count + 1, seen.amount_fen + r["amount_fen"])
        return [totals[c] for c in sorted(totals)]

    def waiting(self, city, statuses):
        return self.where(lambda r: r["city"] == city and r["status"] in statuses)

    def summary(self, batch_id):
        arrived = self.items.of_batch(batch_id)
        return {**self.find(batch_id), "arrived_count": len(arrived),
                "arrived_amount_fen": sum(r["amount_fen"] for r in arrived),
                "released_county_count": len(self.transfers.of_batch(batch_id))}


class FakeTransfers(_Locks, InMemoryRepository):
    def __init__(self):
        super().__init__()
        self.batches: FakeBatches | None = None

    def get(self, transfer_id, *, lock=False):
        row = self.find(transfer_id)
        return row and {**row, "batch_no": self.batches.find(row["batch_id"])["batch_no"]}

    def add(self, values):
        self.put({c.name: None for c in county_transfers.c} | values)

    def update(self, transfer_id, values):
        self.patch(transfer_id, values)

    def of_batch(self, batch_id):
        return {r["county"]: r for r in self.where(lambda r: r["batch_id"] == batch_id)}

    def waiting(self, county, statuses):
        return self.where(lambda r: r["county"] == county and r["status"] in statuses)

    def count_numbered(self, county, prefix):
        return len(self.where(lambda r: r["county"] == county and r["transfer_no"].startswith(prefix)))


class FakePayments(_Locks, InMemoryRepository):
    def __init__(self, items: FakeItems, transfers: FakeTransfers):
        super().__init__()
        self.items, self.transfers = items, transfers

    def get(self, payment_id, *, lock=False):
        row = self.find(payment_id)
        if row is None:
            return None
        item = self.items.find((row["application_id"], row["round"]))
        transfer = self.transfers.find(row["transfer_id"]) or {}
        return {**row, **{k: item[k] for k in ("application_no", "applicant_name", "unit_name", "county")},
                "transfer_no": transfer.get("transfer_no")}

    def add(self, values):
        if self.where(lambda r: (r["application_id"], r["round"]) == (values["application_id"], values["round"])):
            return False
        self.put({c.name: None for c in payments.c} | values)
        return True

    def count_of(self, account_id, status):
        return len(self.where(lambda r: (r["account_id"], r["status"]) == (account_id, status)))

    def update(self, payment_id, values):
        self.patch(payment_id, values)


class FakeBankFiles(_Locks, InMemoryRepository):
    def of_sha(self, transfer_id, sha256):
        found = self.where(lambda r: (r["transfer_id"], r["sha256"]) == (transfer_id, sha256))
        return found[0] if found else None

    def add(self, values):
        self.put(values)

    def of_transfer(self, transfer_id):
        return self.where(lambda r: r["transfer_id"] == transfer_id)


class FakeClawbacks(_Locks, InMemoryRepository):
    def __init__(self, items: FakeItems):
        super().__init__()
        self.items = items

    def get(self, clawback_id, *, lock=False):
        row = self.find(clawback_id)
        if row is None:
            return None
        item = self.items.find((row["application_id"], row["round"]))
        return {**row, "application_no": item["application_no"], "applicant_name": item["applicant_name"],
                "unit_name": item["unit_name"], "batch_no": None}

    def add(self, values):
        if self.where(lambda r: (r["application_id"], r["round"]) == (values["application_id"], values["round"])):
            return False
        self.put({c.name: None for c in clawbacks.c} | values)
        return True

    def update(self, clawback_id, values):
        self.patch(clawback_id, values)


PRINCIPALS = {
    "city_finance": Principal(account_id="czj440700", role="city_finance", region=CITY),
    "other_city_finance": Principal(account_id="czj440100", role="city_finance", region="440100"),
    "county_finance": Principal(account_id="czj440703", role="county_finance", region=PENGJIANG),
    "other_county_finance": Principal(account_id="czj440704", role="county_finance", region=JIANGHAI),
    "system": Principal.system("finance_disbursement"),
}


@pytest.fixture
def world():
    """In-memory tables; ``world.tx(who)`` a unit of work over them; ``world.individual(n)`` a payee."""
    class World:
        items = FakeItems()
        transfers = FakeTransfers()
        batches = FakeBatches(items, transfers)
        payments = FakePayments(items, transfers)
        bank_files = FakeBankFiles()
        clawbacks = FakeClawbacks(items)
        corrections = FakeCorrections()
        transfers.batches = batches

        def tx(self, who: str | Principal) -> FakeTx:
            principal = who if isinstance(who, Principal) else PRINCIPALS[who]
            return FakeTx(principal, service="finance_disbursement", repositories={
                BatchRepository: self.batches, ItemRepository: self.items, TransferRepository: self.transfers,
                PaymentRepository: self.payments, BankFileRepository: self.bank_files,
                ClawbackRepository: self.clawbacks, CorrectionRepository: self.corrections})

    return World()


def new_id() -> str:
    return str(uuid.uuid4())


UNIT = "6f1c2a10-0000-4000-8000-000000000001"
ORG_ACTOR = {"role": "city_org", "account_id": "zzb440700", "name": "市组织部经办人"}


def application_event(batch_id: str, county: str, amount_fen: int, *, bank: bool = True, round_: int = 1,
                      application_id: str | None = None) -> Envelope:
    application_id = application_id or str(uuid.uuid4())
    snapshot = {"applicant_name": "张三", "unit_name": "示范单位", "amount_fen": amount_fen,
                "account_id": str(uuid.uuid4())}
    if bank:
        snapshot["bank_account"] = {"holder": "张三", "bank": "工商银行", "number": "6222020000000011"}
    return Envelope(type="application.city_org_confirmed", source="/services/org_confirmation",
                    subject=application_id, region=county, actor=ORG_ACTOR, data={
                        "application_id": application_id, "application_no": f"SQ{county}-{application_id[:8]}",
                        "county": county, "city": CITY, "unit_id": UNIT, "status": "city_org_confirmed",
                        "round": round_, "applicant_name": "张三", "unit_name": "示范单位", "amount_fen": amount_fen,
                        "batch_id": batch_id, "snapshot": snapshot})


def batch_event(batch_id: str, lines: dict[str, tuple[int, int]]) -> Envelope:
    counties = [{"county": c, "count": n, "amount_fen": fen} for c, (n, fen) in sorted(lines.items())]
    return Envelope(type="city_batch.confirmed", source="/services/org_confirmation", subject=batch_id, region=CITY,
                    actor=ORG_ACTOR, data={"batch_id": batch_id, "batch_no": "HZ440700-000001", "city": CITY,
                          "count": sum(n for n, _ in lines.values()),
                          "amount_fen": sum(f for _, f in lines.values()), "counties": counties})


@pytest.fixture
def ready_batch(world):
    """A batch of two Pengjiang applications (one without a bank account) and one Jianghai application."""
    batch_id = str(uuid.uuid4())
    apps = [application_event(batch_id, PENGJIANG, 960000), application_event(batch_id, PENGJIANG, 480000, bank=False),
            application_event(batch_id, JIANGHAI, 600000)]
    use_cases.receive_batch(world.tx("system"), batch_event(batch_id, {PENGJIANG: (2, 1440000), JIANGHAI: (1, 600000)}))
    for app in apps:
        use_cases.receive_application(world.tx("system"), app)
    return batch_id, apps


@pytest.fixture
def events():
    """Builders of org_confirmation's hand-off events: ``events.application(...)``, ``events.batch(...)``."""
    class Events:
        application = staticmethod(application_event)
        batch = staticmethod(batch_event)
    return Events()
