"""The event envelope: CloudEvents 1.0 attribute names, serialised as one JSON object.

Every event on every exchange is an :class:`Envelope`. It never carries a token: ``actor`` is just
``{"role", "account_id", "name"}`` for display in timelines. ``data`` is validated against the
producer's contract (``shared.contracts``) when it is written to the outbox and when it is consumed.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any

from shared.errors import InvalidInput

SPECVERSION = "1.0"
REQUIRED = ("specversion", "id", "source", "type", "dataversion", "time", "subject", "region", "actor",
            "data")


def _now_iso() -> str:
    return datetime.now(UTC).isoformat()


@dataclass(frozen=True)
class Envelope:
    type: str
    source: str
    subject: str
    region: str
    data: dict[str, Any]
    actor: dict[str, Any]
    dataversion: int = 1
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    time: str = field(default_factory=_now_iso)
    correlationid: str | None = None
    specversion: str = SPECVERSION

    @property
    def service(self) -> str:
        """The producing service (``source`` is ``/services/<service>``)."""
        return self.source.rsplit("/", 1)[-1]

    def to_dict(self) -> dict[str, Any]:
        # copies of data and actor one level deep (asdict's deep copy dominated a batch of thousands of
        # events); nested values are shared: callers serialise the dict, they do not mutate it
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["data"], out["actor"] = dict(self.data), dict(self.actor) if self.actor is not None else None
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"), sort_keys=True)

    @classmethod
    def from_dict(cls, raw: Any) -> "Envelope":
        """Parse a received envelope; a malformed one raises :class:`InvalidInput` (a permanent error)."""
        if isinstance(raw, (bytes, str)):
            try:
                raw = json.loads(raw)
            except ValueError as exc:
                raise InvalidInput(f"事件不是合法的JSON: {exc}", code="event.malformed") from exc
        if not isinstance(raw, dict):
            raise InvalidInput("事件必须是JSON对象", code="event.malformed")
        missing = [k for k in REQUIRED if k not in raw]
        if missing:
            raise InvalidInput(f"事件缺少属性: {', '.join(missing)}", code="event.malformed",
                               details={"missing": missing})
        if raw["specversion"] != SPECVERSION:
            raise InvalidInput("不支持的事件版本", code="event.malformed")
        if not isinstance(raw["data"], dict) or not isinstance(raw["actor"], dict):
            raise InvalidInput("事件data与actor必须是对象", code="event.malformed")
        if "token" in raw["actor"] or "authorization" in raw["actor"]:
            raise InvalidInput("事件不得携带令牌", code="event.malformed")
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in raw.items() if k in known})


def source_of(service: str) -> str:
    return f"/services/{service}"
