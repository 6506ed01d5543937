"""``housing-fund-seed [--demo deploy/demo/city.yaml]``: the city bureau's level table and the demo
employers that already remit, with their rosters and accumulated amounts (as a migration would
leave them). Idempotent: what exists is left alone. Their logins are the demo accounts of identity."""
from __future__ import annotations

import sys

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from housing_fund.adapters.orm import employees, employers
from housing_fund.domain import employees as rules
from housing_fund.domain.employers import org_code_of
from housing_fund.domain.ledger import Entry
from housing_fund.use_cases.demo_remittance import seed_remittance_demo
from housing_fund.use_cases.ledger import book
from housing_fund.use_cases.levels import level_table, seed_levels
from housing_fund.use_cases.registration import PROFILE_KEYS
from shared.seeding import seed_cli, system_tx


def seed(url: str, demo: dict) -> None:
    with system_tx(url, "housing_fund") as tx:
        seed_levels(tx.session, demo["city"])
        seed_remittance_demo(tx, demo.get("remittance_demo"))
        housing = demo.get("housing") or {}
        for e in housing.get("employers", []):
            tx.session.execute(pg_insert(employers).values(
                id=e["id"], name=e["name"], uscc=e["uscc"], org_code=org_code_of(e["uscc"]), region=e["region"],
                status="01", trade_code=e["trade_code"], source="migrated", review_status="approved", round=1,
                profile={k: e[k] for k in PROFILE_KEYS if k in e}, contact_mobile=e["contact_mobile"],
                attachments=[], approved_at=tx.now, initialised_at=tx.now if e.get("initialised") else None,
                created_at=tx.now, updated_at=tx.now).on_conflict_do_nothing())
        for p in housing.get("employees", []):
            if tx.session.execute(select(employees.c.id).where(employees.c.id == p["id"])).first():
                continue
            employer = tx.session.execute(select(employers).where(employers.c.id == p["employer_id"])
                                          ).mappings().one()
            level = level_table(tx, employer["region"])[p["level"]]
            tx.session.execute(pg_insert(employees).values(
                id=p["id"], employer_id=employer["id"], region=employer["region"], name=p["name"],
                id_type="resident_id", id_number=p["id_number"], mobile=p["mobile"], level=p["level"],
                monthly_fen=level["monthly_fen"], status=rules.NORMAL, start_month=p["start_month"],
                account_id=p.get("account_id"), source="migrated", checked_at=employer["initialised_at"],
                opened_at=tx.now, updated_at=tx.now).on_conflict_do_nothing())
            book(tx, p["id"], employer["id"], Entry(rules.REMIT, p["periods"], p["accumulated_fen"],
                                                    note="迁移导入累计缴存"), ref_type="opening")


def main(argv: list[str] | None = None) -> int:
    return seed_cli("housing_fund", seed, argv)


if __name__ == "__main__":
    sys.exit(main())
