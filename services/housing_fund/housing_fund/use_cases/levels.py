"""级别 and monthly amounts per bureau: read by every employee function, kept by the bureau (级别维护).
A bureau sets its whole table from an effective month (this month or later); the newest table whose
month has come applies, before any the seeded ``levels`` rows. A county bureau's table overrides its
city's."""
from __future__ import annotations

from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert

from housing_fund.adapters.orm import levels
from housing_fund.adapters.repository import EmployeeRepository, LevelRepository
from housing_fund.domain.levels import DEFAULT_LEVELS, check_level_month, check_level_table
from housing_fund.use_cases.records import iso
from housing_fund.use_cases.remittances import current_month
from shared import regions
from shared.errors import Conflict, InvalidInput
from shared.jurisdiction import area_of
from shared.service import Tx

HOLDING = ("01", "02")  # employees whose level still counts (正常, 封存)


def _bureaus_for(region: str) -> list[str]:
    """The county's own table first, then its city's."""
    city = regions.city_of(region)
    return [region] + ([city] if city and city != region else [])


def _table_of(tx: Tx, bureau: str, month: str) -> dict[str, dict] | None:
    found = tx.repository(LevelRepository)
    edited = found.edited(bureau, month)
    if edited is not None:
        return {r["code"]: {**r, "bureau": bureau} for r in edited}
    rows = found.seeded(bureau)
    if rows:
        return {r["code"]: {"code": r["code"], "name": r["name"], "monthly_fen": int(r["monthly_fen"]),
                            "bureau": bureau} for r in rows}
    return None


def level_table(tx: Tx, region: str, month: str | None = None) -> dict[str, dict]:
    """code -> {code, name, monthly_fen, bureau} of the table that applies to an employer in ``region``
    in ``month`` (default: this month)."""
    month = month or current_month(tx)
    for bureau in _bureaus_for(region):
        table = _table_of(tx, bureau, month)
        if table:
            return table
    return {}


def seed_levels(session, bureau: str, table: tuple[tuple[str, str, int], ...] = DEFAULT_LEVELS) -> None:
    """The default table for ``bureau`` unless it keeps one already (idempotent)."""
    for sort, (code, name, fen) in enumerate(table):
        session.execute(pg_insert(levels).values(bureau=bureau, code=code, name=name, monthly_fen=fen, sort=sort)
                        .on_conflict_do_nothing())


def get_levels(tx: Tx, region: Any = None) -> dict:
    """The level table for ``region`` (default: the caller's); a bureau also sees its own editions
    (history and the ones still to come)."""
    region = region or tx.principal.region
    if not region or not regions.exists(str(region)):
        raise InvalidInput.field("region", "region.unknown", "行政区划代码不存在")
    table = level_table(tx, str(region))
    out = {"region": region, "items": list(table.values()), "current_month": current_month(tx)}
    if tx.principal.role == "housing_bureau":
        rows = tx.repository(LevelRepository).editions(str(tx.principal.region))
        out["editions"] = [{"effective_month": r["effective_month"], "items": r["entries"], "reason": r["reason"],
                            "by_name": r["by_name"], "at": iso(r["at"])} for r in rows]
    return out


def set_levels(tx: Tx, effective_month: Any, items: Any, reason: Any = None) -> dict:
    """级别维护: the bureau's whole table from ``effective_month`` on (the same month again replaces
    that edition). A level still held by an employee under this table cannot be dropped (409)."""
    bureau = tx.principal.region
    assert bureau is not None  # a housing bureau's token carries its area
    month = check_level_month(effective_month, current_month(tx))
    table = check_level_table(items)
    codes = [r["code"] for r in table]
    used = tx.repository(EmployeeRepository).levels_held(area_of(tx.principal), HOLDING, outside=codes)
    dropped = sorted({level for region, level in used
                      if next(iter(level_table(tx, region, month).values()), {}).get("bureau") in (None, bureau)})
    if dropped:
        raise Conflict("以下级别仍有职工使用，不能删除：" + "、".join(dropped), code="levels.code_in_use",
                       details={"codes": dropped})
    text = reason.strip()[:500] if isinstance(reason, str) and reason.strip() else None
    before = tx.repository(LevelRepository).edition(bureau, month)
    values = {"entries": table, "reason": text, "by_account": tx.principal.account_id,
              "by_name": (tx.principal.name or "")[:50] or None, "at": tx.now}
    tx.repository(LevelRepository).keep_edition(bureau, month, values)
    tx.audit("levels.set", "levels", bureau, region=bureau, before={"items": before} if before else None,
             after={"effective_month": month, "items": table, "reason": text})
    return get_levels(tx, bureau)
