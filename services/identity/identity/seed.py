"""``identity-seed [--demo deploy/demo/city.yaml]``: create the demo accounts that are missing.

Idempotent (an existing username is left alone). The accounts' ``account.created`` events go through
the outbox like any other and are published by the running service's relay.
"""
from __future__ import annotations

import sys

from sqlalchemy import func, select

from identity import use_cases
from identity.adapters.orm import accounts
from shared.seeding import seed_cli, system_tx


def seed(url: str, demo: dict) -> list[str]:
    """Create the demo accounts missing from the database at ``url``; returns the usernames created."""
    created = []
    with system_tx(url, "identity") as tx:
        for spec in demo["accounts"]:
            exists = tx.session.execute(select(accounts.c.id).where(
                func.lower(accounts.c.username) == spec["username"].lower())).first()
            if not exists:
                use_cases.create_account(tx, {**spec, "password": demo["password"], "allow_no_unit": True})
                created.append(spec["username"])
    return created


def main(argv: list[str] | None = None) -> int:
    return seed_cli("identity", seed, argv)


if __name__ == "__main__":
    sys.exit(main())
