"""Fakes of housing_fund's repositories: employers, employees, the ledger, level tables, transfers,
withdrawals and upload records in memory, so the use cases of line B run on a fake unit of work."""
from __future__ import annotations

import itertools
import uuid
from datetime import timedelta

import pytest

from housing_fund.adapters.orm import (
    backfills,
    employee_changes,
    employees,
    employer_changes,
    employers,
    import_runs,
    remittances,
    transfers,
    withdrawals,
)
from housing_fund.adapters.repository import (
    AttachmentRepository,
    BackfillRepository,
    BankRepository,
    EmployeeRepository,
    EmployerRepository,
    ImportRunRepository,
    JobRepository,
    LedgerRepository,
    LevelRepository,
    RemittanceRepository,
    TransferRepository,
    WithdrawalRepository,
)
from housing_fund.domain import remittances as remittance_rules
from housing_fund.domain.levels import DEFAULT_LEVELS
from shared import attachment_records, validators
from shared.auth.principal import Principal
from shared.errors import InvalidInput
from shared.testing.fake_tx import DEFAULT_NOW, FakeTableRepository, FakeTx

CITY, PENGJIANG, JIANGHAI = "440700", "440703", "440704"
BUREAU = Principal(account_id="6f1c2a10-0000-4000-8000-0000000000b0", role="housing_bureau", region=CITY,
                   name="市住建局经办人")
JIANGHAI_BUREAU = Principal(account_id="6f1c2a10-0000-4000-8000-0000000000b4", role="housing_bureau",
                            region=JIANGHAI, name="江海住建局经办人")
PUBLIC = Principal(account_id="anonymous", role="anonymous")
MOBILE = "13800000001"
_serial = itertools.count(1)


def blank(table) -> dict:
    """A row of ``table`` with every column None (the fakes fill what the database defaults)."""
    return {c.name: None for c in table.c}


def new_id() -> str:
    return str(uuid.uuid4())


def make_uscc(region: str = PENGJIANG) -> str:
    """A valid 统一社会信用代码 (GB 32100) whose 组织机构代码 is valid too (GB 11714)."""
    body = f"MA{next(_serial):06d}"
    head = "91" + region + body + validators.org_code_check_char(body)
    return head + validators.uscc_check_char(head)


def id_number(n: int) -> str:
    body = f"44070319900101{n:03d}"
    return body + validators.id_check_char(body)


class FakeEmployers(FakeTableRepository):
    table = employers

    def __init__(self):
        super().__init__()
        self.rounds_: list[dict] = []
        self.changes_: list[dict] = []

    def registered_as(self, uscc, org_code, *, except_id):
        return bool(self.where(lambda r: (r["uscc"] == uscc or r["org_code"] == org_code) and r["id"] != except_id))

    def registered_by(self, mobile):
        return sorted(self.where(lambda r: r["contact_mobile"] == mobile and r["source"] == "registered"),
                      key=lambda r: r["created_at"], reverse=True)

    def top_trade_code(self):
        return max((r["trade_code"] for r in self.rows.values() if r["trade_code"]), default=None)

    def names(self, ids):
        return {i: self.rows[i]["name"] for i in ids if i in self.rows}

    def changes(self, employer_id):
        return sorted((dict(c) for c in self.changes_ if c["employer_id"] == employer_id),
                      key=lambda c: c["submitted_at"], reverse=True)

    def change_pending(self, employer_id):
        return any(c["employer_id"] == employer_id and c["status"] == "pending" for c in self.changes_)

    def add_change(self, values):
        self.changes_.append({**blank(employer_changes), **values})

    def change(self, change_id, *, lock=False):
        found = [dict(c) for c in self.changes_ if c["id"] == change_id]
        return found[0] if found else None

    def update_change(self, change_id, values):
        next(c for c in self.changes_ if c["id"] == change_id).update(values)

    def add_round(self, values):
        self.rounds_.append({"decision": None, "opinion": None, "decided_by": None, "decided_by_name": None,
                             "decided_at": None, **values})

    def decide_round(self, employer_id, round_, values):
        for r in self.rounds_:
            if (r["employer_id"], r["round"]) == (employer_id, round_):
                r.update(values)

    def rounds(self, employer_id):
        return sorted((dict(r) for r in self.rounds_ if r["employer_id"] == employer_id), key=lambda r: r["round"])

    def pending_review_count(self, regions):
        return len(self.where(lambda r: r["region"] in regions and r["review_status"] == "pending"))

    def pending_change_count(self, regions):
        return sum(1 for c in self.changes_ if c["region"] in regions and c["status"] == "pending")


class FakeEmployees(FakeTableRepository):
    table = employees

    def __init__(self):
        super().__init__()
        self.changes_: list[dict] = []

    def holders(self, id_numbers):
        return {r["id_number"]: r["employer_id"] for r in self.rows.values() if r["id_number"] in id_numbers}

    def add_many(self, rows):
        for row in rows:
            self.add(row)

    def add_changes(self, rows):
        for row in rows:
            self.add_change(row)

    def mark_checked(self, employer_id, at):
        for r in self.rows.values():
            if r["employer_id"] == employer_id and r["checked_at"] is None:
                r["checked_at"] = at

    def count_of(self, employer_id):
        return len(self.where(lambda r: r["employer_id"] == employer_id))

    def holder_of(self, id_number):
        found = self.where(lambda r: r["id_number"] == id_number)
        return found[0]["employer_id"] if found else None

    def locked(self, ids):
        return {i: self.find(i) for i in sorted(ids) if i in self.rows}

    def link_account(self, employee_id, account_id, at):
        if employee_id in self.rows and self.rows[employee_id]["account_id"] != account_id:
            self.patch(employee_id, {"account_id": account_id, "updated_at": at})

    def id_number_taken(self, id_number, *, except_id):
        return bool(self.where(lambda r: r["id_number"] == id_number and r["id"] != except_id))

    def change_pending(self, employee_id):
        return any(c["employee_id"] == employee_id and c["status"] == "pending" for c in self.changes_)

    def change(self, change_id, *, lock=False):
        found = [dict(c) for c in self.changes_ if c["id"] == change_id]
        return found[0] if found else None

    def update_change(self, change_id, values):
        next(c for c in self.changes_ if c["id"] == change_id).update(values)

    def add_change(self, values):
        self.changes_.append({**blank(employee_changes), **values})

    def counts_by_status(self, employer_id):
        counts: dict[str, int] = {}
        for r in self.where(lambda r: r["employer_id"] == employer_id):
            counts[r["status"]] = counts.get(r["status"], 0) + 1
        return counts

    def monthly_total(self, employer_id):
        return sum(r["monthly_fen"] for r in self.where(lambda r: r["employer_id"] == employer_id
                                                        and r["status"] == "01"))

    def active_of(self, employer_id):
        return sorted(self.where(lambda r: r["employer_id"] == employer_id and r["status"] == "01"),
                      key=lambda r: (r["name"], r["id"]))

    def names(self, ids):
        return {i: self.rows[i]["name"] for i in ids if i in self.rows}

    def of_employer(self, ids, employer_id):
        return {i for i in ids if i in self.rows and self.rows[i]["employer_id"] == employer_id}

    def changes(self, employee_id):
        return sorted((c for c in self.changes_ if c["employee_id"] == employee_id), key=lambda c: (c["at"], c["id"]))

    def pending_change_count(self, regions):
        return sum(1 for c in self.changes_ if c["region"] in regions and c["status"] == "pending")

    def levels_held(self, regions, statuses, *, outside):
        return sorted({(r["region"], r["level"]) for r in self.rows.values()
                       if r["region"] in regions and r["status"] in statuses and r["level"] not in outside})


class FakeLedger:
    def __init__(self):
        self.entries_: list[dict] = []

    def add(self, values):
        self.entries_.append({"seq": len(self.entries_) + 1, **values})

    def balance(self, employee_id, employer_id=None):
        mine = [e for e in self.entries_ if e["employee_id"] == employee_id
                and (employer_id is None or e["employer_id"] == employer_id)]
        return sum(e["periods"] for e in mine), sum(e["amount_fen"] for e in mine)

    def balances(self, employee_ids):
        return {i: self.balance(i) for i in employee_ids if any(e["employee_id"] == i for e in self.entries_)}

    def entries(self, employee_id):
        return [dict(e) for e in self.entries_ if e["employee_id"] == employee_id]

    def add_many(self, rows):
        for row in rows:
            self.add(row)

    def booked_at(self, employer_id):
        return sum(e["amount_fen"] for e in self.entries_ if e["employer_id"] == employer_id)

    def remitted(self, employer_id, employee_ids):
        return {e["employee_id"] for e in self.entries_ if e["employer_id"] == employer_id
                and e["employee_id"] in employee_ids and e["business_code"] in ("01", "02")}

    def first_paid(self, employee_ids, months):
        for e in self.entries_:
            if (e["employee_id"] in employee_ids and e["month"] in months and e["business_code"] in ("01", "02")
                    and e["amount_fen"] > 0):
                return e["employee_id"], e["month"]
        return None


class FakeLevels:
    """The seeded default table for the city's bureau, and the bureaus' edited tables by (bureau, month)."""

    def __init__(self):
        self.editions_: dict[tuple[str, str], dict] = {}

    def edited(self, bureau, month):
        months = sorted(m for b, m in self.editions_ if b == bureau and m <= month)
        return self.editions_[(bureau, months[-1])]["entries"] if months else None

    def editions(self, bureau):
        return [{**self.editions_[(b, m)], "effective_month": m}
                for b, m in sorted(self.editions_, key=lambda k: k[1], reverse=True) if b == bureau]

    def edition(self, bureau, month):
        found = self.editions_.get((bureau, month))
        return found["entries"] if found else None

    def keep_edition(self, bureau, month, values):
        self.editions_[(bureau, month)] = dict(values)

    def seeded(self, bureau):
        if bureau != CITY:
            return []
        return [{"code": code, "name": name, "monthly_fen": fen} for code, name, fen in DEFAULT_LEVELS]


class FakeTransfers(FakeTableRepository):
    table = transfers

    def pending_of(self, employee_ids):
        return {r["employee_id"] for r in self.rows.values()
                if r["employee_id"] in set(employee_ids) and r["status"] == "pending"}

    def incoming_count(self, employer_id):
        return len(self.where(lambda r: r["to_employer_id"] == employer_id and r["status"] == "pending"))


class FakeWithdrawals(FakeTableRepository):
    table = withdrawals

    def __init__(self, employers: FakeEmployers, employees: FakeEmployees):
        super().__init__()
        self.employers, self.employees = employers, employees

    def pending_fen(self, employee_id, *, exclude=None):
        return sum(r["amount_fen"] for r in self.rows.values()
                   if r["employee_id"] == employee_id and r["status"] == "pending" and r["id"] != exclude)

    def with_names(self, withdrawal_id):
        row = self.find(withdrawal_id)
        employee = self.employees.rows[row["employee_id"]]
        return {**row, "name": employee["name"], "id_number": employee["id_number"],
                "employee_name": employee["name"], "employer_name": self.employers.rows[row["employer_id"]]["name"]}


class FakeRemittances(FakeTableRepository):
    """Remittances with their lines, rounds, holds, 指定汇缴 amounts, the monthly reminders (employer,
    month) and the bureaus' receiving accounts."""

    table = remittances

    def __init__(self, employees: FakeEmployees, employers: FakeEmployers):
        super().__init__()
        self.employees, self.employers = employees, employers
        self.reminders: set[tuple[str, str]] = set()
        self.lines_: dict[str, list[dict]] = {}
        self.rounds_: list[dict] = []
        self.holds: dict[str, str] = {}   # employee -> remittance
        self.overrides_: dict[tuple[str, str], tuple[int, str]] = {}
        self.accounts = {CITY: {"account_name": "江门市住房补贴专户", "account_no": "44001700000000001",
                                "bank_name": "建设银行江门分行"}}

    def unfinished_of(self, employer_id):
        found = self.where(lambda r: r["employer_id"] == employer_id and r["status"] in remittance_rules.UNFINISHED)
        return found[0]["id"] if found else None

    def unfinished_count(self, employer_id):
        return len(self.where(lambda r: r["employer_id"] == employer_id
                              and r["status"] in remittance_rules.UNFINISHED))

    def lines(self, remittance_id):
        people = self.employees.rows
        return sorted(({**line, "name": people[line["employee_id"]]["name"],
                        "id_number": people[line["employee_id"]]["id_number"]}
                       for line in self.lines_.get(remittance_id, [])), key=lambda r: (r["month"], r["name"]))

    def replace_lines(self, remittance_id, rows):
        self.lines_[remittance_id] = []
        self.add_lines(remittance_id, rows)

    def add_lines(self, remittance_id, rows):
        self.lines_.setdefault(remittance_id, []).extend({**r, "remittance_id": remittance_id} for r in rows)

    def held(self, employee_ids):
        return [i for i in employee_ids if i in self.holds]

    def hold(self, remittance_id, employee_ids):
        assert not set(employee_ids) & set(self.holds), "the primary key of remittance_holds"
        self.holds.update({i: remittance_id for i in employee_ids})

    def release(self, remittance_ids):
        self.holds = {e: r for e, r in self.holds.items() if r not in remittance_ids}

    def add_round(self, values):
        self.rounds_.append({"decision": None, "opinion": None, "decided_by": None, "decided_at": None, **values})

    def decide_round(self, remittance_id, round_, values):
        for r in self.rounds_:
            if (r["remittance_id"], r["round"]) == (remittance_id, round_):
                r.update(values)

    def rounds(self, remittance_id):
        return sorted((r for r in self.rounds_ if r["remittance_id"] == remittance_id), key=lambda r: r["round"])

    def overrides(self, employer_id, month):
        return {e: amount for (er, e), (amount, since) in self.overrides_.items() if er == employer_id
                and since <= month}

    def keep_override(self, employer_id, employee_id, amount_fen, month, at):
        self.overrides_[(employer_id, employee_id)] = (amount_fen, month)

    def code_outstanding(self, payment_code):
        return bool(self.where(lambda r: r["payment_code"] == payment_code and r["status"] == "approved"))

    def receiving_account(self, bureau):
        return self.accounts.get(bureau)

    def keep_receiving_account(self, bureau, values, at):
        self.accounts[bureau] = {**values, "updated_at": at}

    def keep_receiving_account_once(self, values, at):
        self.accounts.setdefault(values["bureau"], {**values, "updated_at": at})

    def _remitted(self, employer_id, month, *, mode=None):
        return any(r["employer_id"] == employer_id and r["month_from"] == month and r["status"] != "returned"
                   and (mode is None or r["mode"] == mode) for r in self.rows.values())

    def reminders_due(self, month):
        return sorted(self.employers.where(
            lambda e: e["status"] in ("01", "03") and e["review_status"] == "approved"
            and not self._remitted(e["id"], month, mode="remit") and (e["id"], month) not in self.reminders),
            key=lambda e: e["id"])

    def add_reminder(self, employer_id, month, region, at):
        if (employer_id, month) in self.reminders:
            return False
        self.reminders.add((employer_id, month))
        return True

    def pending_count(self, regions):
        return len(self.where(lambda r: r["region"] in regions and r["status"] == "pending"))

    def reminded_unremitted(self, employer_id, month):
        return (employer_id, month) in self.reminders and not self._remitted(employer_id, month)

    def awaiting_payment_count(self, employer_id):
        return len(self.where(lambda r: r["employer_id"] == employer_id and r["status"] == "approved"))


class FakeBackfills(FakeTableRepository):
    table = backfills


class FakeBank:
    """Statements and their lines; notices are the remittances, paid ones credited to the ledger as the
    INSERT ... SELECT of the real repository does (one entry a remittance line)."""

    def __init__(self, remittances: FakeRemittances, ledger: FakeLedger):
        self.remittances, self.ledger = remittances, ledger
        self.statements: dict[str, dict] = {}
        self.lines: dict[str, dict] = {}   # by serial

    def statement(self, statement_id):
        return self.statements[statement_id]

    def seen(self, serials):
        return {s for s in serials if s in self.lines}

    def notices(self, codes):
        rows = [r for r in self.remittances.rows.values() if r["payment_code"] in codes]
        outstanding = {r["payment_code"]: dict(r) for r in rows if r["status"] == "approved"}
        paid = {r["payment_code"]: dict(r) for r in sorted(rows, key=lambda r: r["paid_at"] or DEFAULT_NOW)
                if r["status"] == "paid" and r["payment_code"] not in outstanding}
        return outstanding, paid

    def add_lines(self, rows):
        fresh = [r for r in rows if r["serial"] not in self.lines]
        self.lines.update({r["serial"]: dict(r) for r in fresh})
        return {r["id"] for r in fresh}

    def pay(self, line_of, at):
        for remittance_id, line_id in line_of.items():
            r = self.remittances.patch(remittance_id, {"status": "paid", "paid_at": at, "paid_line_id": line_id})
            self.remittances.release([remittance_id])
            for line in self.remittances.lines_[remittance_id]:
                self.ledger.add({"employee_id": line["employee_id"], "employer_id": r["employer_id"],
                                 "business_code": remittance_rules.BUSINESS_CODE[r["mode"]], "month": line["month"],
                                 "periods": 1, "amount_fen": line["amount_fen"], "ref_type": "remittance",
                                 "ref_id": remittance_id, "note": "到账流水" + line_id[:8], "at": at})

    def finish(self, statement_id, at):
        self.statements[statement_id].update(status="done", finished_at=at)

    def statement_row(self, statement_id):
        return self.statements.get(statement_id)

    def _lines_of(self, statement_id, area):
        return [line for line in self.lines.values()
                if (line["statement_id"] == statement_id if statement_id else line["region"] in area)]

    def outcome_totals(self, statement_id, area):
        totals: dict[str, tuple[int, int]] = {}
        for line in self._lines_of(statement_id, area):
            n, fen = totals.get(line["outcome"], (0, 0))
            totals[line["outcome"]] = (n + 1, fen + line["amount_fen"])
        return totals

    def returned_by_reason(self, statement_id, area):
        returned = [line for line in self._lines_of(statement_id, area) if line["outcome"] == "returned"]
        return [(reason, sum(1 for line in returned if line["reason"] == reason),
                 sum(line["amount_fen"] for line in returned if line["reason"] == reason))
                for reason in sorted({line["reason"] for line in returned})]

    def outstanding_totals(self, area):
        unpaid = self.remittances.where(lambda r: r["region"] in area and r["status"] == "approved")
        return len(unpaid), sum(r["total_fen"] for r in unpaid)


class FakeImportRuns(FakeTableRepository):
    table = import_runs

    def of_file(self, kind, owner, sha256):
        found = self.where(lambda r: (r["kind"], r["owner"], r["sha256"]) == (kind, owner, sha256))
        return found[0] if found else None


class FakeJobs:
    """Jobs by id, as ``shared.jobs.get`` shows them."""

    def __init__(self):
        self.jobs: dict[str, dict] = {}

    def get(self, job_id):
        return self.jobs[job_id]


class FakeAttachments:
    """Upload records: ``upload(kind, by)`` keeps one; ``link`` follows the shared rule (the caller's own
    upload, or a registration form's, of an allowed kind, not linked elsewhere)."""

    def __init__(self):
        self.rows: dict[str, dict] = {}

    def upload(self, kind: str, by: Principal | None = None) -> str:
        attachment_id = f"hf-{uuid.uuid4().hex[:20]}"
        self.rows[attachment_id] = {"id": attachment_id, "kind": kind, "sha256": "ab" * 32,
                                    "content_type": "application/pdf", "size": 1024, "filename": "附件.pdf",
                                    "uploader_account_id": by.account_id if by else None,
                                    "subject_type": None, "subject_id": None}
        return attachment_id

    def link(self, tx, ids, *, kinds, subject_type, subject_id, field):
        for i in ids:
            row = self.rows.get(i)
            usable = row is not None and ((row["subject_type"], row["subject_id"]) == (subject_type, subject_id) or (
                row["subject_id"] is None and row["uploader_account_id"] in (None, tx.principal.account_id)))
            if not usable or row["kind"] not in kinds:
                raise InvalidInput.field(field, "attachment.unknown", "附件不存在或已被使用，请重新上传")
        for i in ids:
            self.rows[i].update(subject_type=subject_type, subject_id=subject_id)
        return [attachment_records.view(self.rows[i]) for i in ids]


class World:
    """housing_fund's tables in memory; ``world.tx(who, days=0)`` a unit of work over them."""

    def __init__(self):
        self.employers, self.employees, self.ledger = FakeEmployers(), FakeEmployees(), FakeLedger()
        self.transfers = FakeTransfers()
        self.withdrawals = FakeWithdrawals(self.employers, self.employees)
        self.attachments = FakeAttachments()
        self.remittances = FakeRemittances(self.employees, self.employers)
        self.backfills = FakeBackfills()
        self.bank = FakeBank(self.remittances, self.ledger)
        self.levels = FakeLevels()
        self.jobs = FakeJobs()
        self.import_runs = FakeImportRuns()

    def tx(self, who: Principal = BUREAU, days: float = 0) -> FakeTx:
        return FakeTx(who, service="housing_fund", now=DEFAULT_NOW + timedelta(days=days), repositories={
            EmployerRepository: self.employers, EmployeeRepository: self.employees, LedgerRepository: self.ledger,
            LevelRepository: self.levels, TransferRepository: self.transfers,
            WithdrawalRepository: self.withdrawals, AttachmentRepository: self.attachments,
            RemittanceRepository: self.remittances, BackfillRepository: self.backfills, BankRepository: self.bank,
            JobRepository: self.jobs, ImportRunRepository: self.import_runs})

    def employer(self, name: str = "示范单位", *, status: str = "01", region: str = PENGJIANG) -> str:
        """An approved employer (as a migration or an approval leaves it); returns its id."""
        employer_id = new_id()
        uscc = make_uscc(region)
        self.employers.add({"id": employer_id, "name": name, "uscc": uscc, "org_code": uscc[8:17], "region": region,
                            "status": status, "review_status": "approved", "source": "migrated", "round": 1,
                            "profile": {}, "attachments": [], "trade_code": f"{20000 + next(_serial)}",
                            "created_at": DEFAULT_NOW - timedelta(days=90), "updated_at": DEFAULT_NOW})
        return employer_id

    def clerk(self, employer_id: str) -> Principal:
        """The employer clerk's principal (role employer, the employer as unit)."""
        return Principal(account_id=new_id(), role="employer", unit_id=employer_id, name="单位经办人")

    def employee(self, employer_id: str, name: str = "张三", *, status: str = "01", fen: int = 0,
                 periods: int = 0) -> str:
        """An employee on the employer's roster, with ``fen`` booked at it over ``periods``."""
        employee_id = new_id()
        employer = self.employers.rows[employer_id]
        self.employees.add({"id": employee_id, "employer_id": employer_id, "region": employer["region"],
                            "name": name, "id_type": "resident_id", "id_number": id_number(next(_serial)),
                            "mobile": "13900000000", "level": "03", "monthly_fen": 100000, "status": status,
                            "start_month": "202601", "source": "opened", "opened_at": DEFAULT_NOW,
                            "updated_at": DEFAULT_NOW})
        if fen or periods:
            self.ledger.add({"employee_id": employee_id, "employer_id": employer_id, "business_code": "01",
                             "month": "202601", "periods": periods, "amount_fen": fen, "ref_type": None,
                             "ref_id": None, "note": None, "at": DEFAULT_NOW})
        return employee_id


@pytest.fixture
def world() -> World:
    return World()
