"""``identity-seed [--demo deploy/demo/city.yaml]``: create the demo accounts that are missing.

Idempotent (an existing username is left alone). The accounts' ``account.created`` events go through
the outbox like any other and are published by the running service's relay.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from identity import use_cases
from identity.adapters.orm import accounts
from shared.auth.principal import Principal
from shared.clock import clock_from_env
from shared.db.engine import database_url, make_engine
from shared.service import Tx

DEFAULT_DEMO = Path(__file__).resolve().parents[3] / "deploy" / "demo" / "city.yaml"


def seed(url: str, demo: dict) -> list[str]:
    """Create the demo accounts missing from the database at ``url``; returns the usernames created."""
    engine = make_engine(url, pool_size=1, application_name="identity-seed")
    created = []
    try:
        with Session(engine) as session, session.begin():
            tx = Tx(session=session, principal=Principal.system("identity"), service="identity",
                    clock=clock_from_env())
            for spec in demo["accounts"]:
                exists = session.execute(select(accounts.c.id).where(
                    func.lower(accounts.c.username) == spec["username"].lower())).first()
                if exists:
                    continue
                use_cases.create_account(tx, {**spec, "password": demo["password"], "allow_no_unit": True})
                created.append(spec["username"])
    finally:
        engine.dispose()
    return created


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="identity-seed", description=__doc__.splitlines()[0])
    parser.add_argument("--demo", type=Path, default=DEFAULT_DEMO)
    args = parser.parse_args(argv)
    demo = yaml.safe_load(args.demo.read_text(encoding="utf-8"))
    created = seed(database_url("identity"), demo)
    print(f"identity: {len(created)} demo account(s) created")
    return 0


if __name__ == "__main__":
    sys.exit(main())
