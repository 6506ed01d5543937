"""Demo data of line B part 2 (idempotent): an approved employer that remits, its employees and the
bureau's receiving account, from deploy/demo/city.yaml's ``remittance_demo``."""
from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as pg_insert

from housing_fund.adapters.orm import employees, employers, receiving_accounts


def seed_remittance_demo(tx, demo: dict | None) -> None:
    if not demo:
        return
    account = demo["receiving_account"]
    tx.session.execute(pg_insert(receiving_accounts).values(**account, updated_at=tx.now).on_conflict_do_nothing())
    e = demo["employer"]
    tx.session.execute(pg_insert(employers).values(
        id=e["id"], name=e["name"], org_code=e["org_code"], region=e["region"], status="01", trade_code=e["trade_code"],
        contact_mobile=e["contact_mobile"], review_status="approved", source="migrated", created_at=tx.now,
        updated_at=tx.now, approved_at=tx.now, initialised_at=tx.now).on_conflict_do_nothing())
    for p in demo["employees"]:
        tx.session.execute(pg_insert(employees).values(
            id=p["id"], employer_id=e["id"], region=e["region"], name=p["name"], id_type="resident_id",
            id_number=p["id_number"], level=p["level"], monthly_fen=p["monthly_fen"], status="01",
            start_month=p["start_month"], source="migrated", checked_at=tx.now, opened_at=tx.now,
            updated_at=tx.now).on_conflict_do_nothing())
