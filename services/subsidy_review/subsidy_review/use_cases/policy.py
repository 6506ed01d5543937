"""Each city's subsidy policy (standards per degree, longest period): data the admin sets."""
from __future__ import annotations

from datetime import date

from shared import regions, validators
from shared.contracts.statuses import DEGREES
from shared.errors import InvalidInput, NotFound
from shared.service import Tx
from subsidy_review.adapters.repository import PolicyRepository


def get_policy(tx: Tx, city: str) -> dict:
    code = validators.region_code(city, "city")
    row = tx.repository(PolicyRepository).get(code)
    if row is None:
        raise NotFound("该地区尚未设置补助标准", code="policy.not_found")
    return {"city": row["city"], "version": row["version"], "effective_from": row["effective_from"].isoformat(),
            "standards_fen": row["standards_fen"], "max_months": row["max_months"],
            "degrees": [{"degree": k, "label": v, "standard_fen": row["standards_fen"].get(k)}
                        for k, v in DEGREES.items()]}


def set_policy(tx: Tx, city: str, standards_fen: dict, max_months: int, effective_from: str) -> dict:
    """Policy numbers are data: the admin sets them per city; each change is a new version."""
    if not regions.exists(city) or regions.city_of(city) != city:
        raise InvalidInput.field("city", "region.unknown", "请选择有效的地级市")
    if set(standards_fen) != set(DEGREES) or any(not isinstance(v, int) or v < 0 for v in standards_fen.values()):
        raise InvalidInput.field("standards_fen", "policy.standards_invalid", "请为每种学历填写补贴标准（分）")
    if not isinstance(max_months, int) or not 1 <= max_months <= 120:
        raise InvalidInput.field("max_months", "policy.max_months_invalid", "最长补贴月数应为1-120")
    start = date.fromisoformat(effective_from)
    current = tx.repository(PolicyRepository).get(city, lock=True)
    values = {"version": (current["version"] + 1) if current else 1, "effective_from": start,
              "standards_fen": standards_fen, "max_months": max_months, "updated_at": tx.now}
    tx.repository(PolicyRepository).put(city, values)
    tx.audit("policy.set", "policy", city, before=current and {"version": current["version"],
             "standards_fen": current["standards_fen"], "max_months": current["max_months"]},
             after={"version": values["version"], "standards_fen": standards_fen, "max_months": max_months})
    return get_policy(tx, city)
