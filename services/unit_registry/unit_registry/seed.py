"""``unit-registry-seed [--demo deploy/demo/city.yaml]``: create the demo units and individuals.

They are created as already approved (registered before the platform), idempotently by their fixed
ids. Each emits ``unit.approved`` / ``individual.approved`` through the outbox, published by the
running service's relay, so subsidy_review gets its copies as for any approval.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml
from sqlalchemy.orm import Session

from shared.auth.principal import Principal
from shared.clock import clock_from_env
from shared.db.engine import database_url, make_engine
from shared.service import Tx
from unit_registry import use_cases

DEFAULT_DEMO = Path(__file__).resolve().parents[3] / "deploy" / "demo" / "city.yaml"


def seed(url: str, demo: dict) -> dict[str, int]:
    """Create the demo units and individuals missing from the database at ``url``; returns counts."""
    engine = make_engine(url, pool_size=1, application_name="unit_registry-seed")
    created = {"units": 0, "individuals": 0}
    try:
        with Session(engine) as session, session.begin():
            tx = Tx(session=session, principal=Principal.system("unit_registry"), service="unit_registry",
                    clock=clock_from_env())
            for spec in demo.get("units", []):
                created["units"] += int(use_cases.import_approved_unit(tx, spec))
            for spec in demo.get("individuals", []):
                created["individuals"] += int(use_cases.import_approved_individual(tx, spec))
    finally:
        engine.dispose()
    return created


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="unit-registry-seed", description=__doc__.splitlines()[0])
    parser.add_argument("--demo", type=Path, default=DEFAULT_DEMO)
    args = parser.parse_args(argv)
    demo = yaml.safe_load(args.demo.read_text(encoding="utf-8"))
    created = seed(database_url("unit_registry"), demo)
    print(f"unit_registry: {created['units']} demo unit(s), {created['individuals']} individual(s) created")
    return 0


if __name__ == "__main__":
    sys.exit(main())
