"""级别 and monthly amounts per bureau: read by every employee function, kept by the bureau."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from housing_fund.adapters.orm import levels
from housing_fund.domain.levels import DEFAULT_LEVELS
from shared import regions
from shared.errors import InvalidInput


def _bureaus_for(region: str) -> list[str]:
    """The county's own table first, then its city's."""
    city = regions.city_of(region)
    return [region] + ([city] if city and city != region else [])


def level_table(tx, region: str) -> dict[str, dict]:
    """code -> {code, name, monthly_fen} of the table that applies to an employer in ``region``."""
    for bureau in _bureaus_for(region):
        rows = tx.session.execute(select(levels).where(levels.c.bureau == bureau, levels.c.active.is_(True))
                                  .order_by(levels.c.sort, levels.c.code)).mappings().all()
        if rows:
            return {r["code"]: {"code": r["code"], "name": r["name"], "monthly_fen": int(r["monthly_fen"]),
                                "bureau": bureau} for r in rows}
    return {}


def seed_levels(session, bureau: str, table: tuple[tuple[str, str, int], ...] = DEFAULT_LEVELS) -> None:
    """The default table for ``bureau`` unless it keeps one already (idempotent)."""
    for sort, (code, name, fen) in enumerate(table):
        session.execute(pg_insert(levels).values(bureau=bureau, code=code, name=name, monthly_fen=fen, sort=sort)
                        .on_conflict_do_nothing())


def get_levels(tx, region: Any = None) -> dict:
    """The level table for ``region`` (default: the caller's)."""
    region = region or tx.principal.region
    if not region or not regions.exists(str(region)):
        raise InvalidInput.field("region", "region.unknown", "行政区划代码不存在")
    table = level_table(tx, str(region))
    return {"region": region, "items": list(table.values())}
