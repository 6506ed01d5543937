"""Bulk loader for the read benchmarks: N applications across counties and units written straight into
subsidy_review's database with COPY, row for row what the service's own write paths leave there.

What the write paths write, and what this loader writes (services/subsidy_review/use_cases):

- ``units`` / ``applicants``: subsidy_review's copies of unit_registry's units and approved individuals
  (``mirrors.py`` on ``unit.approved`` / ``individual.approved``): one unit row per unit, one applicant
  row per applicant (status ``approved``, with a bank account), as the mirror handlers write them;
- ``applications``: the columns ``submit_application`` writes (number ``BZ<county><year><seq>`` from the
  ``counters`` row ``application:<county>:<year>``, which is left at the last number used, so a later
  real submission continues the sequence), then what each transition (``change``) sets: status,
  ``updated_at``, opinion, ``reported_at``, ``round``, and ``waiting_since`` (when the stay it waits in
  began, by the stage clocks' rule, as the repository keeps it);
- ``timeline``: one entry per event of the application's path (``record_timeline``): stage from the
  event's contract, the status after it, round, actor role/account/name, opinion, event id, time.

Only stages 1-4 are loaded (statuses pending_unit_review, pending_report, pending_county_review,
unit_returned, county_returned, withdrawn): their state lives in subsidy_review alone, so no other
service's database must hold a matching row (from county_approved on, publicity_assessment and the
later services keep their own copies, which this loader does not write). What the loader does NOT
write: the outbox rows of those events (already relayed: ``sent_at`` set, nothing reads them) and the
hash-chained audit rows of each transition (nothing the benchmark reads touches them).
"""
from __future__ import annotations

import io
import json
import random
import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from shared import contracts, regions
from shared.db.engine import database_url
from subsidy_review.domain.stage_times import Step, waiting_since

#: the loaded path of each status: the events, in order, that lead to it
PATHS: dict[str, list[tuple[str, str]]] = {  # status -> [(event type, status after it)]
    "pending_unit_review": [("application.submitted", "pending_unit_review")],
    "pending_report": [("application.submitted", "pending_unit_review"),
                       ("application.unit_approved", "pending_report")],
    "pending_county_review": [("application.submitted", "pending_unit_review"),
                              ("application.unit_approved", "pending_report"),
                              ("application.reported", "pending_county_review")],
    "unit_returned": [("application.submitted", "pending_unit_review"),
                      ("application.unit_returned", "unit_returned")],
    "county_returned": [("application.submitted", "pending_unit_review"),
                        ("application.unit_approved", "pending_report"),
                        ("application.reported", "pending_county_review"),
                        ("application.county_returned", "county_returned")],
    "withdrawn": [("application.submitted", "pending_unit_review"), ("application.withdrawn", "withdrawn")],
}
#: share of each status among the loaded applications
MIX = [("pending_unit_review", 20), ("pending_report", 10), ("pending_county_review", 40),
       ("unit_returned", 10), ("county_returned", 10), ("withdrawn", 10)]
#: the long path of the one application with many events: returned and resubmitted again and again
LOOP = [("application.unit_returned", "unit_returned"), ("application.resubmitted", "pending_unit_review")]
ACTOR = {"application.submitted": "individual", "application.resubmitted": "individual",
         "application.withdrawn": "individual", "application.unit_approved": "unit_admin",
         "application.unit_returned": "unit_admin", "application.reported": "unit_admin",
         "application.county_returned": "county_hrss"}
OPINION = {"application.unit_returned": "材料不全，请补充", "application.county_returned": "租房合同不符合要求"}
STANDARD_FEN = {"bachelor": 120_000, "master": 180_000, "doctor": 240_000}


def _copy(cur: Any, table: str, columns: list[str], rows: Iterable[list[Any]]) -> int:
    """COPY ``rows`` into ``table`` (text format; None is NULL)."""
    buffer, count = io.StringIO(), 0
    for row in rows:
        fields = []
        for value in row:
            if value is None:
                fields.append("\\N")
            else:
                text = value if isinstance(value, str) else (
                    json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else str(value))
                fields.append(text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n"))
        buffer.write("\t".join(fields) + "\n")
        count += 1
    buffer.seek(0)
    cur.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)
    return count


def _id_number(county: str, i: int) -> str:
    from shared import validators
    body = f"{county}{1990 + i % 10:04d}{1 + (i // 10) % 12:02d}{1 + (i // 120) % 28:02d}{(i // 3360) % 1000:03d}"
    return body + validators.id_check_char(body)


def load(*, applications: int, counties: list[str], units_per_county: int, city: str,
         extra_units: dict[str, str] | None = None, long_events: int = 50, seed: int = 15,
         now: datetime | None = None, mix: list[tuple[str, int]] | None = None, vacuum: bool = False) -> dict[str, Any]:
    """Write ``applications`` applications into subsidy_review (``DATABASE_PREFIX`` names the databases)
    across ``counties`` and ``units_per_county`` units each (``extra_units``: existing unit ids -> county,
    e.g. the demo units, which take their share; ``mix``: (status, share) instead of :data:`MIX`;
    ``vacuum``: VACUUM the tables as autovacuum would soon after such a load, which sets the visibility
    map index-only scans need; the shared test server runs with autovacuum off, so without it every
    "index only" scan still visits the table).
    Returns what was loaded: counts, the unit ids, and the id
    of the one application with ``long_events`` timeline entries."""
    import psycopg2

    rnd = random.Random(seed)
    now = now or datetime.now(UTC)
    unit_rows: list[tuple[str, str, str]] = []  # id, name, county
    for unit_id, county in (extra_units or {}).items():
        unit_rows.append((unit_id, "", county))
    for county in counties:
        for k in range(units_per_county - sum(1 for _, _, c in unit_rows if c == county)):
            unit_rows.append((str(uuid.UUID(int=rnd.getrandbits(128), version=4)), f"压测单位{county}-{k:03d}", county))
    statuses = [s for s, share in (mix or MIX) for _ in range(share)]
    conn = psycopg2.connect(database_url("subsidy_review").replace("postgresql+psycopg2://", "postgresql://", 1))
    loaded: dict[str, Any] = {"applications": 0, "timeline": 0, "units": len(unit_rows)}
    try:
        with conn, conn.cursor() as cur:
            cur.execute("SELECT id, name FROM units")
            known = dict(cur.fetchall())
            unit_rows = [(u, known.get(u) or name or f"压测单位{u[:8]}", c) for u, name, c in unit_rows]
            _copy(cur, "units", ["id", "name", "uscc", "region", "status", "updated_at"],
                  ([u, name, None, c, "approved", now.isoformat()] for u, name, c in unit_rows if u not in known))
            apps, applicants, entries = [], [], []
            numbers: dict[str, int] = {}
            cur.execute("SELECT key, value FROM counters")
            counters = dict(cur.fetchall())
            year = (now + timedelta(hours=8)).year  # the number's year is Asia/Shanghai's
            long_id = None
            for i in range(applications):
                unit_id, unit_name, county = unit_rows[i % len(unit_rows)]
                key = f"application:{county}:{year}"
                numbers[key] = numbers.get(key, counters.get(key, 0)) + 1
                status = statuses[rnd.randrange(len(statuses))]
                path = list(PATHS[status])
                if i == 0 and long_events:
                    path = [PATHS["pending_unit_review"][0]] + [LOOP[j % 2] for j in range(long_events - 1)]
                    status = path[-1][1]
                app_id = str(uuid.UUID(int=rnd.getrandbits(128), version=4))
                long_id = long_id or app_id
                individual, account = str(uuid.uuid4()), str(uuid.uuid4())
                degree = ("bachelor", "master", "doctor")[i % 3]
                months = 6 + i % 7
                id_number = _id_number(county, i)
                name = f"压测{i:06d}"
                mobile = f"139{i:08d}"
                bank = {"holder": name, "bank": "中国工商银行江门分行", "number": f"6222020{i:012d}"}
                started = now - timedelta(days=90) + timedelta(seconds=i * 60 % (85 * 86400))
                at = started
                round_ = 0
                steps = []
                for step, (event_type, after) in enumerate(path):
                    at = started + timedelta(minutes=10 * step)
                    role = ACTOR[event_type]
                    entries.append([app_id, contracts.get(event_type).stage or 13, event_type, after,
                                    max(1, round_), role, account if role == "individual" else None,
                                    name if role == "individual" else "压测经办", OPINION.get(event_type),
                                    str(uuid.uuid4()), at.isoformat()])
                    steps.append(Step(entries[-1][1], at))
                since = waiting_since(status, steps)
                reported = any(e == "application.reported" for e, _ in path)
                apps.append([app_id, f"BZ{county}{year}{numbers[key]:06d}", individual, account, unit_id, unit_name,
                             county, city, name, "resident_id", id_number, mobile, degree,
                             date(2026, 1 + i % 12, 1).isoformat(), months, STANDARD_FEN[degree],
                             STANDARD_FEN[degree] * months, 1, [], None, status, round_,
                             OPINION.get(path[-1][0]), started.isoformat(),
                             (started + timedelta(minutes=20)).isoformat() if reported else None,
                             None, started.isoformat(), at.isoformat(), [],
                             since.isoformat() if since else None])
                applicants.append([individual, account, unit_id, unit_name, name, "resident_id", id_number, mobile,
                                   degree, "2025-06-30", county, "approved", bank, started.isoformat()])
            loaded["applications"] = _copy(cur, "applications", [
                "id", "application_no", "individual_id", "account_id", "unit_id", "unit_name", "county", "city",
                "applicant_name", "id_type", "id_number", "mobile", "degree", "start_date", "months", "standard_fen",
                "amount_fen", "policy_version", "work_history", "bank_account", "status", "round", "opinion",
                "submitted_at", "reported_at", "county_approved_at", "created_at", "updated_at", "attachment_ids",
                "waiting_since"],
                apps)
            _copy(cur, "applicants", ["individual_id", "account_id", "unit_id", "unit_name", "name", "id_type",
                                      "id_number", "mobile", "degree", "graduated_on", "region", "status",
                                      "bank_account", "updated_at"], applicants)
            loaded["timeline"] = _copy(cur, "timeline", [
                "application_id", "stage", "event_type", "status", "round", "actor_role", "actor_account",
                "actor_name", "opinion", "event_id", "at"], entries)
            for key, value in numbers.items():
                cur.execute("INSERT INTO counters (key, value) VALUES (%s, %s) "
                            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", (key, value))
        with conn.cursor() as cur:
            conn.autocommit = True
            verb = "VACUUM ANALYZE" if vacuum else "ANALYZE"
            for table in ("units", "applicants", "applications", "timeline"):   # one at a time: VACUUM is no block
                cur.execute(f"{verb} {table}")
    finally:
        conn.close()
    loaded["long_application_id"] = long_id
    loaded["unit_ids"] = [u for u, _, _ in unit_rows]
    loaded["county_names"] = {c: regions.name_of(c) for c in counties}
    return loaded


def load_individuals(*, count: int, unit_id: str, county: str, seed: int = 16,
                     now: datetime | None = None) -> list[str]:
    """Write ``count`` pending 个人注册 of ``unit_id`` into unit_registry, as ``register_individual``
    leaves them: the ``individuals`` row (status pending, round 1) and its ``review_history`` row
    (submitted). Not written: their identity accounts (the graduates' own registration creates them; the
    one-click approval does not read them), the audit rows and the ``individual.registered`` outbox rows.
    Returns the ids, oldest first."""
    import psycopg2

    rnd = random.Random(seed)
    now = now or datetime.now(UTC)
    rows, history, ids = [], [], []
    for i in range(count):
        individual = str(uuid.UUID(int=rnd.getrandbits(128), version=4))
        ids.append(individual)
        at = (now - timedelta(seconds=count - i)).isoformat()
        name = f"压测个人{i:05d}"
        rows.append([individual, str(uuid.UUID(int=rnd.getrandbits(128), version=4)), unit_id, name, "resident_id",
                     _id_number(county, 500_000 + i), f"137{i:08d}", "bachelor", "2025-06-30", name,
                     "中国工商银行江门分行", f"6222021{i:012d}", "pending", None, at, at, None, 1, [], "2026.1", at])
        history.append(["individual", individual, 1, "submitted", None, rows[-1][1], "individual", name,
                        {"name": name}, at])
    conn = psycopg2.connect(database_url("unit_registry").replace("postgresql+psycopg2://", "postgresql://", 1))
    try:
        with conn, conn.cursor() as cur:
            _copy(cur, "individuals", ["id", "account_id", "unit_id", "name", "id_type", "id_number", "mobile",
                                       "degree", "graduated_on", "bank_holder", "bank_name", "bank_number",
                                       "status", "opinion", "created_at", "updated_at", "approved_at", "round",
                                       "attachment_ids", "terms_version", "terms_accepted_at"], rows)
            _copy(cur, "review_history", ["subject_type", "subject_id", "round", "action", "opinion",
                                          "actor_account_id", "actor_role", "actor_name", "data", "at"], history)
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("ANALYZE individuals; ANALYZE review_history")
    finally:
        conn.close()
    return ids
