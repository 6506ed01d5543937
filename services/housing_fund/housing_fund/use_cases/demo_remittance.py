"""Demo data of line B part 2 (idempotent): the bureau's receiving account, from
deploy/demo/city.yaml's ``remittance_demo``."""
from __future__ import annotations

from housing_fund.adapters.repository import RemittanceRepository
from shared.service import Tx


def seed_remittance_demo(tx: Tx, demo: dict | None) -> None:
    if not demo:
        return
    tx.repository(RemittanceRepository).keep_receiving_account_once(demo["receiving_account"], tx.now)
