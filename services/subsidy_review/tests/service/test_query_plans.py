"""The read paths behind the clerks' lists use indexes once the table is large (issue 15).

The applications table is filled with 60,000 rows across 5 counties and 200 units (plus one application
with 50 timeline entries among 120,000), analysed and vacuumed as autovacuum would, and every statement
the real query functions send (captured from the engine, with their parameters) is EXPLAINed: each must
read ``applications`` / ``timeline`` through an index, never a sequential scan. The planner decides
freely (no ``enable_seqscan`` or other setting is changed), so a missing index fails the test.
"""
from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.orm import Session

from shared.auth.principal import Principal
from shared.auth.roles import Role
from shared.testing import db
from subsidy_review.adapters.repository import ApplicationRepository
from subsidy_review.adapters.stage_times import StageTimeRepository

COUNTIES = ["440703", "440704", "440705", "440781", "440783"]
ROWS = 60_000
LONG = "00000000-0000-4000-8000-0000000000aa"

FILL = """
INSERT INTO applications (id, application_no, individual_id, account_id, unit_id, unit_name, county, city,
    applicant_name, id_type, id_number, mobile, degree, start_date, months, standard_fen, amount_fen,
    policy_version, status, round, submitted_at, created_at, updated_at, waiting_since)
SELECT md5('a' || i)::uuid::text, 'BZ' || i, md5('p' || i)::uuid::text, md5('c' || i)::uuid::text,
    'unit-' || (i % 200), '单位' || (i % 200), (ARRAY['440703','440704','440705','440781','440783'])[1 + i % 200 % 5],
    '440700', '压测' || i, 'resident_id', '44070319900101' || lpad((i % 10000)::text, 4, '0'),
    '139' || lpad(i::text, 8, '0'),
    'bachelor', DATE '2026-01-01', 12, 120000, 1440000, 1,
    (ARRAY['pending_unit_review','pending_report','pending_county_review','pending_county_review',
           'unit_returned','county_returned','withdrawn','pending_county_review','pending_unit_review',
           'pending_county_review'])[1 + (i * 7) % 10],
    0, now() - i * interval '1 minute', now() - i * interval '1 minute', now() - (i * 37 % 60000) * interval '1 minute',
    CASE WHEN (i * 7) % 10 <> 6 THEN now() - i * interval '1 minute' END
FROM generate_series(1, :rows) AS i;
INSERT INTO timeline (application_id, stage, event_type, status, round, event_id, at)
SELECT md5('a' || (1 + i % :rows))::uuid::text, 1, 'application.submitted', 'pending_unit_review', 1,
    md5('e' || i)::uuid::text, now() - i * interval '1 second'
FROM generate_series(1, 2 * :rows) AS i;
INSERT INTO timeline (application_id, stage, event_type, status, round, event_id, at)
SELECT :long, 2, 'application.unit_returned', 'unit_returned', 1, md5('l' || i)::uuid::text,
    now() - i * interval '1 hour'
FROM generate_series(1, 50) AS i;
"""


@pytest.fixture(scope="module")
def loaded(subsidy_review_session_db):
    """Filled once for the module (the tests only read)."""
    db.truncate_all(subsidy_review_session_db)
    engine = create_engine(subsidy_review_session_db)
    with engine.begin() as conn:
        conn.execute(text(FILL), {"rows": ROWS, "long": LONG})
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in ("applications", "timeline"):
            vacuumed_all_visible(conn, table)
    yield engine
    engine.dispose()


def vacuumed_all_visible(conn, table: str, attempts: int = 20) -> None:
    """VACUUM ANALYZE ``table`` until its pages are marked all-visible, as autovacuum leaves a settled
    table. A VACUUM cannot mark rows visible to a transaction that was already running when it started
    (another connection's short transaction, more likely on a loaded machine): the index-only scans then
    cost heap reads, and the planner rightly prefers a sequential scan for a city-wide count. That is a
    different table from the one the test means to check, so it vacuums again until the map is full."""
    for _ in range(attempts):
        conn.execute(text(f"VACUUM ANALYZE {table}"))
        pages, visible = conn.execute(text("SELECT relpages, relallvisible FROM pg_class WHERE relname = :t"),
                                      {"t": table}).one()
        if visible >= 0.99 * pages:
            return
        time.sleep(0.5)
    raise AssertionError(f"{table}: {visible} of {pages} pages all-visible after {attempts} VACUUMs "
                         "(a transaction older than the fill stays open in this database)")


def plans_of(engine, run) -> list[tuple[str, dict]]:
    """Run ``run(session)`` and EXPLAIN every statement it sent, with its parameters."""
    sent: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        with Session(engine) as session:
            run(session)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    plans = []
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for statement, parameters in sent:
            cursor.execute("EXPLAIN (FORMAT JSON) " + statement, parameters)
            plans.append((statement, cursor.fetchone()[0][0]["Plan"]))
    finally:
        raw.close()
    assert plans, "no statement was captured"
    return plans


def index_of(plan: dict) -> str | None:
    """The index a scan node reads: its own (index and index-only scans) or, for a bitmap heap scan,
    that of the bitmap index scans under it."""
    if plan.get("Index Name"):
        return plan["Index Name"]
    names = [index_of(child) for child in plan.get("Plans", []) if child["Node Type"].startswith("Bitmap")]
    return ",".join(n for n in names if n) or None


def scans(plan: dict) -> list[tuple[str, str, str | None]]:
    """(node type, relation, index) of every scan of a table in the plan tree."""
    found = []
    if "Relation Name" in plan:
        found.append((plan["Node Type"], plan["Relation Name"], index_of(plan)))
    for child in plan.get("Plans", []):
        found += scans(child)
    return found


def assert_indexed(engine, run, *, tables=("applications", "timeline")) -> None:
    for statement, plan in plans_of(engine, run):
        mine = [s for s in scans(plan) if s[1] in tables]
        assert mine, f"no scan of {tables} in the plan of {statement}"
        for node, relation, index in mine:
            assert node != "Seq Scan" and index, (
                f"{relation} read by {node} without an index:\n{statement}\n{json.dumps(plan, indent=1)[:3000]}")


COUNTY = Principal(account_id="c", role=Role.COUNTY_HRSS, region="440703")
CITY = Principal(account_id="k", role=Role.CITY_HRSS, region="440700")
UNIT = Principal(account_id="u", role=Role.UNIT_ADMIN, region="440703", unit_id="unit-10")


def page(principal, filters, number):
    return lambda s: ApplicationRepository(s).page(principal, filters, number, 20, dict)


@pytest.mark.parametrize("principal", [COUNTY, CITY, UNIT], ids=["county", "city", "unit"])
def test_the_to_do_counters_use_an_index(loaded, principal):
    statuses = {Role.UNIT_ADMIN: ["pending_unit_review"]}.get(principal.role, ["pending_county_review"])
    assert_indexed(loaded, lambda s: ApplicationRepository(s).count_in_status(principal, statuses))


@pytest.mark.parametrize("principal", [COUNTY, CITY, UNIT], ids=["county", "city", "unit"])
def test_the_overdue_counters_read_an_index_only(loaded, principal):
    statuses = {Role.UNIT_ADMIN: ["pending_unit_review", "pending_report"]}.get(principal.role,
                                                                               ["pending_county_review"])
    rows = []
    assert_indexed(loaded, lambda s: rows.extend(StageTimeRepository(s).waiting_in_status(principal, statuses)))
    assert sum(r.count for r in rows) == ApplicationRepository(Session(loaded)).count_in_status(principal, statuses)
    for statement, plan in plans_of(loaded, lambda s: StageTimeRepository(s).waiting_in_status(principal, statuses)):
        assert {node for node, *_ in scans(plan)} == {"Index Only Scan"}, statement


@pytest.mark.parametrize(("principal", "filters", "number"), [
    (CITY, {}, 1), (CITY, {"status": "pending_county_review"}, 1000), (COUNTY, {"status": "pending_unit_review"}, 50),
    (COUNTY, {}, 1), (UNIT, {}, 1),
], ids=["city-first", "city-status-deep", "county-status-deep", "county-first", "unit-first"])
def test_a_page_of_the_application_list_uses_an_index(loaded, principal, filters, number):
    assert_indexed(loaded, page(principal, filters, number))


@pytest.mark.parametrize("principal", [COUNTY, CITY], ids=["county", "city"])
def test_the_statistics_use_an_index(loaded, principal):
    assert_indexed(loaded, lambda s: ApplicationRepository(s).totals_by_status(principal, None))


def test_the_timeline_of_one_application_uses_an_index(loaded):
    entries = []
    assert_indexed(loaded, lambda s: entries.extend(ApplicationRepository(s).timeline_of(LONG)))
    assert len(entries) == 50


def test_a_deep_page_skips_index_entries_not_rows(loaded):
    """The page's ids come from the area's index alone (index only: the OFFSET skips index entries), then
    only the page's rows are read by their key."""
    plans = plans_of(loaded, page(CITY, {"status": "pending_county_review"}, 1000))
    offset = [plan for statement, plan in plans if "OFFSET" in statement.upper()]
    assert len(offset) == 1 and sorted(scans(offset[0])) == [
        ("Index Only Scan", "applications", "ix_applications_city_status"),
        ("Index Scan", "applications", "pk_applications")]
