"""Login by 统一社会信用代码 / 组织机构代码 (seed 004, 单位登陆): identity keeps each unit's codes from
unit_registry's unit events; such an identifier names the unit's registering operator (the event's
``account_id``), else its earliest active operator. Line B employers log in with their 组织机构代码 as
their username, which needs nothing here."""
from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from identity.adapters.orm import accounts, units
from shared.auth.roles import Role
from shared.events import Envelope
from shared.service import Tx

USCC = re.compile(r"^[0-9A-HJ-NP-RT-UW-Y]{2}\d{6}[0-9A-HJ-NP-RT-UW-Y]{10}$")
ORG_CODE = re.compile(r"^[0-9A-Z]{8}-?[0-9X]$")


def on_unit_event(tx: Tx, event: Envelope) -> None:
    data = event.data
    uscc = str(data["uscc"]).upper()
    values = {"uscc": uscc, "org_code": uscc[8:17], "name": data.get("name")}
    if data.get("account_id"):
        values["account_id"] = data["account_id"]
    stmt = pg_insert(units).values(unit_id=data["unit_id"], **values)
    tx.session.execute(stmt.on_conflict_do_update(index_elements=["unit_id"], set_=values))


def username_for(tx: Tx, identifier: str) -> str | None:
    """The username a unit code stands for, or None (then it is tried as a username itself)."""
    code = identifier.strip().upper()
    if USCC.match(code):
        unit = tx.session.execute(select(units).where(units.c.uscc == code)).mappings().first()
    elif ORG_CODE.match(code):
        unit = tx.session.execute(select(units).where(units.c.org_code == code.replace("-", ""))).mappings().first()
    else:
        return None
    if unit is None:
        return None
    stmt = select(accounts.c.username).where(accounts.c.unit_id == unit["unit_id"],
                                             accounts.c.role == Role.UNIT_ADMIN, accounts.c.status == "active")
    if unit["account_id"]:
        named = tx.session.execute(stmt.where(accounts.c.id == unit["account_id"])).scalar()
        if named:
            return named
    return tx.session.execute(stmt.order_by(accounts.c.created_at, func.lower(accounts.c.username)).limit(1)).scalar()
