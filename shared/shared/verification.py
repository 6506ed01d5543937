"""What a public 扫码核验 answer may hold: a printed form's number, where it stands now (status code and
its Chinese label), how many applications and how much money - never a name, an ID number, an
account or a unit. Every service's ``verify_*`` RPC builds its answer here, so the keys are written
once and a test can hold any answer against them."""
from __future__ import annotations

from typing import Any

VERIFICATION_KEYS = frozenset({"number", "status", "status_label", "count", "amount_fen"})


def verification_answer(*, number: str, status: str, status_label: str, count: int | None,
                        amount_fen: int | None) -> dict[str, Any]:
    """The public answer about one printed batch or transfer (see ``VERIFICATION_KEYS``)."""
    return {"number": number, "status": status, "status_label": status_label, "count": count,
            "amount_fen": amount_fen}


__all__ = ["VERIFICATION_KEYS", "verification_answer"]
