"""``publicity-assessment-seed [--demo deploy/demo/city.yaml]``: the demo city's publicity policy and
the shipped holiday schedule.

Idempotent: an existing policy or calendar day is left alone, so an admin's settings survive.
"""
from __future__ import annotations

import sys

from sqlalchemy.dialects.postgresql import insert as pg_insert

from publicity_assessment.adapters.calendar_csv import load_shipped_days, load_shipped_years
from publicity_assessment.adapters.orm import publicity_policies
from publicity_assessment.domain.calendar import check_policy
from shared.clock import clock_from_env
from shared.db.engine import make_engine
from shared.seeding import seed_cli


def seed(url: str, demo: dict) -> dict:
    """Insert the demo city's publicity policy (``policy.publicity_days``,
    ``policy.publicity_counts_working_days``) and the shipped calendar days that are missing."""
    engine = make_engine(url, pool_size=1, application_name="publicity_assessment-seed")
    try:
        with engine.begin() as conn:
            days_added = load_shipped_days(conn)
            load_shipped_years(conn)
            policy_added = 0
            spec = demo.get("policy") or {}
            if spec.get("city") and spec.get("publicity_days") is not None:
                policy = check_policy(int(spec["publicity_days"]),
                                      bool(spec.get("publicity_counts_working_days", True)))
                policy_added = conn.execute(pg_insert(publicity_policies).values(
                    city=str(spec["city"]), days=policy.days, counts_working_days=policy.counts_working_days,
                    updated_at=clock_from_env().now()).on_conflict_do_nothing(index_elements=["city"])).rowcount
    finally:
        engine.dispose()
    return {"calendar_days": days_added, "policies": policy_added}


def main(argv: list[str] | None = None) -> int:
    return seed_cli("publicity_assessment", seed, argv)


if __name__ == "__main__":
    sys.exit(main())
