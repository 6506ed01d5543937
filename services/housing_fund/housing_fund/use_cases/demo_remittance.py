"""Demo data of line B part 2 (idempotent): the bureau's receiving account, from
deploy/demo/city.yaml's ``remittance_demo``."""
from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as pg_insert

from housing_fund.adapters.orm import receiving_accounts
from shared.service import Tx


def seed_remittance_demo(tx: Tx, demo: dict | None) -> None:
    if not demo:
        return
    account = demo["receiving_account"]
    tx.session.execute(pg_insert(receiving_accounts).values(**account, updated_at=tx.now).on_conflict_do_nothing())
