"""``unit-registry-seed [--demo deploy/demo/city.yaml]``: create the demo units and individuals.

They are created as already approved (registered before the platform), idempotently by their fixed
ids. Each emits ``unit.approved`` / ``individual.approved`` through the outbox, published by the
running service's relay, so subsidy_review gets its copies as for any approval.
"""
from __future__ import annotations

import sys

from shared.seeding import seed_cli, system_tx
from unit_registry import use_cases


def seed(url: str, demo: dict) -> dict[str, int]:
    """Create the demo units and individuals missing from the database at ``url``; returns counts."""
    created = {"units": 0, "individuals": 0}
    with system_tx(url, "unit_registry") as tx:
        for spec in demo.get("units", []):
            created["units"] += int(use_cases.import_approved_unit(tx, spec))
        for spec in demo.get("individuals", []):
            created["individuals"] += int(use_cases.import_approved_individual(tx, spec))
    return created


def main(argv: list[str] | None = None) -> int:
    return seed_cli("unit_registry", seed, argv)


if __name__ == "__main__":
    sys.exit(main())
