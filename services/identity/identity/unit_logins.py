"""Login by 统一社会信用代码 / 组织机构代码 (seed 004, 单位登陆): identity keeps each unit's codes from
unit_registry's unit events; such an identifier names the unit's registering operator (the event's
``account_id``), else its earliest active operator. Line B employers log in with their 组织机构代码 as
their username, which needs nothing here."""
from __future__ import annotations

import re

from identity.adapters.repository import AccountRepository, UnitRepository
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
    tx.repository(UnitRepository).keep(data["unit_id"], values)


def username_for(tx: Tx, identifier: str) -> str | None:
    """The username a unit code stands for, or None (then it is tried as a username itself)."""
    code = identifier.strip().upper()
    found = tx.repository(UnitRepository)
    if USCC.match(code):
        unit = found.by_uscc(code)
    elif ORG_CODE.match(code):
        unit = found.by_org_code(code.replace("-", ""))
    else:
        return None
    if unit is None:
        return None
    return tx.repository(AccountRepository).unit_operator(unit["unit_id"], unit["account_id"])
