"""The shipped holiday schedule (``data/calendar.csv``) and its loading into ``calendar_days``.

Used by the first migration (a fresh database knows the schedule without demo data) and by the seed
(which runs after a test truncated the tables). Existing rows win: an admin's correction survives.
"""
from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from sqlalchemy import Connection
from sqlalchemy.dialects.postgresql import insert as pg_insert

from publicity_assessment.adapters.orm import calendar_days, calendar_years

CALENDAR_CSV = Path(__file__).resolve().parents[1] / "data" / "calendar.csv"


def shipped_days(path: Path = CALENDAR_CSV) -> list[dict]:
    """The rows of the CSV as ``{"day": date, "kind", "name"}``; ``#`` lines are comments."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(line for line in fh if line.strip() and not line.startswith("#"))
        return [{"day": date.fromisoformat(r["day"]), "kind": r["kind"], "name": r["name"]} for r in reader]


def load_shipped_days(conn: Connection) -> int:
    """Insert the shipped days missing from ``calendar_days``; returns how many were added."""
    rows = shipped_days()
    if not rows:
        return 0
    result = conn.execute(pg_insert(calendar_days).values(rows).on_conflict_do_nothing(index_elements=["day"]))
    return result.rowcount or 0


def load_shipped_years(conn: Connection) -> int:
    """Mark the years of the shipped schedule complete (``calendar_years``); returns how many were added."""
    years = sorted({r["day"].year for r in shipped_days()})
    if not years:
        return 0
    result = conn.execute(pg_insert(calendar_years).values([{"year": y} for y in years])
                          .on_conflict_do_nothing(index_elements=["year"]))
    return result.rowcount or 0
