"""申报期 (application windows) with their graduation ranges: city policy data the admin maintains."""
from __future__ import annotations

import uuid
from typing import Any

from shared import regions
from shared.errors import Conflict, InvalidInput, NotFound
from shared.service import Tx
from subsidy_review.adapters.repository import WindowRepository
from subsidy_review.domain import windows as rules


def _city(city: Any) -> str:
    if not isinstance(city, str) or not regions.exists(city) or regions.city_of(city) != city:
        raise InvalidInput.field("city", "region.unknown", "请选择有效的地级市")
    return city


def window_view(row: Any) -> dict:
    def iso(value: Any) -> str | None:
        return value.isoformat() if value else None
    return {"id": row["id"], "city": row["city"], "name": row["name"], "opens_on": iso(row["opens_on"]),
            "closes_on": iso(row["closes_on"]), "graduated_from": iso(row["graduated_from"]),
            "graduated_to": iso(row["graduated_to"]), "status": row["status"],
            "status_label": rules.STATUS_LABELS.get(row["status"], row["status"]), "created_at": iso(row["created_at"])}


def list_windows(tx: Tx, city: Any) -> dict:
    """The city's 申报期, cancelled ones included (history), by opening date."""
    rows = tx.repository(WindowRepository).of_city(_city(city), active_only=False)
    return {"city": city, "items": [window_view(r) for r in rows]}


def add_window(tx: Tx, city: Any, data: Any) -> dict:
    city = _city(city)
    window = rules.check_window(data if isinstance(data, dict) else {})
    repo = tx.repository(WindowRepository)
    repo.lock_city(city)
    rules.check_no_overlap(window, repo.of_city(city))
    row = repo.add({"id": str(uuid.uuid4()), "city": city, **window, "status": rules.ACTIVE,
                    "created_by": tx.principal.account_id, "created_at": tx.now, "updated_at": tx.now})
    tx.audit("application_window.add", "application_window", row["id"], after=window_view(row))
    return window_view(row)


def cancel_window(tx: Tx, window_id: Any) -> dict:
    """撤销 a 申报期 (kept for the record; no longer in force)."""
    repo = tx.repository(WindowRepository)
    row = repo.get(str(window_id), lock=True)
    if row is None:
        raise NotFound("申报期不存在", code="window.not_found")
    if row["status"] != rules.ACTIVE:
        raise Conflict("该申报期已撤销", code="window.already_cancelled")
    repo.update(row["id"], {"status": rules.CANCELLED, "updated_at": tx.now})
    after = {**row, "status": rules.CANCELLED}
    tx.audit("application_window.cancel", "application_window", row["id"], before=window_view(row),
             after=window_view(after))
    return window_view(after)


def window_for_submission(tx: Tx, city: str, graduated_on: Any, today: Any) -> Any:
    """The 申报期 an application submitted today falls in (None when the city has none), or 409."""
    return rules.check_submission_window(tx.repository(WindowRepository).of_city(city), today, graduated_on)
