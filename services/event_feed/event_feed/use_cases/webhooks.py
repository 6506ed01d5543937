"""Webhook endpoints, as the platform admin manages them: register (URL, secret, filter), list, look
at one with its recent deliveries and their attempts, disable and enable, deliver one event again."""
from __future__ import annotations

import re
import secrets
import uuid
from typing import Any
from urllib.parse import urlsplit

from event_feed.adapters.repository import EndpointRepository, EventRepository
from event_feed.domain import filters
from shared.errors import Conflict, InvalidInput, NotFound

URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$")
RECENT_DELIVERIES = 50


def _text(data: dict, key: str, max_len: int) -> str | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > max_len:
        raise InvalidInput.field(key, "webhook.invalid", f"{key} 应为不超过{max_len}个字符的文本")
    return value.strip()


def register(tx, data: dict, allowed_hosts: list[str] | None = None) -> dict:
    """A new endpoint; the answer shows its secret, this once. Deliveries start with the next event
    (``from_seq``: from just after that sequence number instead, e.g. 0 for the whole history).
    ``allowed_hosts`` (the config's ``WEBHOOK_ALLOWED_HOSTS``): the only hosts a URL may name."""
    if not isinstance(data, dict):
        raise InvalidInput(code="webhook.invalid")
    url = _text(data, "url", 500)
    try:
        host = urlsplit(url).hostname if url and URL.match(url) else None
    except ValueError:                     # e.g. "http://[not-an-ipv6"
        host = None
    if not host:
        raise InvalidInput.field("url", "webhook.invalid_url", "接收地址应为 http:// 或 https:// 开头的网址")
    if allowed_hosts and host not in allowed_hosts:
        raise InvalidInput.field("url", "webhook.host_not_allowed",
                                 f"接收地址的主机须为以下之一: {', '.join(allowed_hosts)}")
    secret = _text(data, "secret", 200) or "whsec_" + secrets.token_urlsafe(32)
    if len(secret) < 16:
        raise InvalidInput.field("secret", "webhook.secret_too_short", "签名密钥至少16个字符")
    try:
        types, region = filters.parse_types(_text(data, "types", 500)), filters.parse_region(data.get("region"))
    except filters.FilterError as exc:
        raise InvalidInput.field(exc.field if exc.field != "type" else "types", "webhook.invalid_filter",
                                 str(exc)) from None
    head = tx.repository(EventRepository).head()
    cursor = data.get("from_seq")
    if cursor is None:
        cursor = head
    elif isinstance(cursor, bool) or not isinstance(cursor, int) or not 0 <= cursor <= head:
        raise InvalidInput.field("from_seq", "webhook.invalid_from_seq", f"from_seq 应为0-{head}的整数")
    row = {"id": str(uuid.uuid4()), "url": url, "secret": secret, "types": ",".join(types) if types else None,
           "region": region, "description": _text(data, "description", 200), "enabled": True,
           "cursor_seq": cursor, "created_by": tx.principal.account_id, "created_at": tx.now}
    tx.repository(EndpointRepository).add(row)
    tx.audit("webhook.register", "webhook_endpoint", row["id"], after={k: v for k, v in row.items() if k != "secret"})
    return {**_endpoint(row), "secret": secret}


def list_endpoints(tx) -> dict:
    rows = tx.repository(EndpointRepository).all()
    counts = _counts(tx, [r["id"] for r in rows])
    return {"items": [{**_endpoint(r), "deliveries": counts.get(r["id"], {})} for r in rows]}


def get_endpoint(tx, endpoint_id: str) -> dict:
    row = _find(tx, endpoint_id)
    endpoints = tx.repository(EndpointRepository)
    deliveries = endpoints.recent_deliveries(row["id"], RECENT_DELIVERIES)
    attempts: dict[str, list] = {}
    if deliveries:
        for attempt in endpoints.attempts_of([x["id"] for x in deliveries]):
            attempts.setdefault(attempt["delivery_id"], []).append({
                "at": attempt["at"].isoformat(), "status_code": attempt["status_code"],
                "duration_ms": attempt["duration_ms"], "error": attempt["error"]})
    return {**_endpoint(row), "deliveries_count": _counts(tx, [row["id"]]).get(row["id"], {}),
            "deliveries": [{**_delivery(x), "attempt_log": attempts.get(x["id"], [])} for x in deliveries]}


def set_enabled(tx, endpoint_id: str, enabled: bool, reason: str | None = None) -> dict:
    row = _find(tx, endpoint_id)
    values = ({"enabled": True, "disabled_reason": None, "disabled_at": None} if enabled else
              {"enabled": False, "disabled_reason": f"管理员停用: {reason}" if reason else "管理员停用",
               "disabled_at": tx.now})
    tx.repository(EndpointRepository).update(row["id"], values)
    tx.audit("webhook.enable" if enabled else "webhook.disable", "webhook_endpoint", row["id"],
             before={"enabled": row["enabled"]}, after={"enabled": enabled, "reason": values["disabled_reason"]})
    return _endpoint({**row, **values})


def redeliver(tx, endpoint_id: str, delivery_id: str) -> dict:
    """The event of ``delivery_id`` once more, as a new delivery (the old one keeps its attempts)."""
    row = _find(tx, endpoint_id)
    if not row["enabled"]:
        raise Conflict("接收地址已停用，请先启用", code="webhook.disabled")
    endpoints = tx.repository(EndpointRepository)
    old = endpoints.delivery(row["id"], str(delivery_id))
    if old is None:
        raise NotFound(code="webhook.delivery_not_found")
    new = {"id": str(uuid.uuid4()), "endpoint_id": row["id"], "seq": old["seq"], "event_id": old["event_id"],
           "event_type": old["event_type"], "status": "pending", "attempts": 0, "created_at": tx.now,
           "next_attempt_at": tx.now}
    endpoints.add_delivery(new)
    tx.audit("webhook.redeliver", "webhook_delivery", new["id"], after={"of": old["id"], "seq": old["seq"]})
    return _delivery(new)


def _find(tx, endpoint_id: str) -> dict:
    row = tx.repository(EndpointRepository).get(str(endpoint_id), lock=True)
    if row is None:
        raise NotFound(code="webhook.not_found")
    return dict(row)


def _counts(tx, ids: list[str]) -> dict[str, dict[str, int]]:
    if not ids:
        return {}
    out: dict[str, dict[str, int]] = {}
    for endpoint_id, status, count in tx.repository(EndpointRepository).delivery_counts(ids):
        out.setdefault(endpoint_id, {})[status] = count
    return out


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _endpoint(row) -> dict:
    return {"id": row["id"], "url": row["url"], "types": row["types"], "region": row["region"],
            "description": row["description"], "enabled": row["enabled"], "disabled_reason": row.get("disabled_reason"),
            "disabled_at": _iso(row.get("disabled_at")), "cursor_seq": row["cursor_seq"],
            "created_at": _iso(row["created_at"])}


def _delivery(row) -> dict:
    return {"id": row["id"], "seq": row["seq"], "event_id": row["event_id"], "event_type": row["event_type"],
            "status": row["status"], "attempts": row["attempts"], "created_at": _iso(row["created_at"]),
            "next_attempt_at": _iso(row.get("next_attempt_at")), "delivered_at": _iso(row.get("delivered_at")),
            "last_error": row.get("last_error")}

