"""Demo data of housing_fund: the city bureau's level table (idempotent)."""
from __future__ import annotations

from housing_fund.use_cases.demo_remittance import seed_remittance_demo
from housing_fund.use_cases.levels import seed_levels
from shared.seeding import seed_cli, system_tx


def seed(url: str, demo: dict) -> None:
    with system_tx(url, "housing_fund") as tx:
        seed_levels(tx.session, demo["city"])
        seed_remittance_demo(tx, demo.get("remittance_demo"))


def main(argv: list[str] | None = None) -> int:
    return seed_cli("housing_fund", seed, argv)
