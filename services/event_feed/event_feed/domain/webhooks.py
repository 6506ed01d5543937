"""Webhook rules: the signature a receiver checks, and when a failed delivery is tried again.

Signature: ``X-Platform-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>`` with
``X-Platform-Timestamp: <unix seconds>``; a receiver recomputes it over the raw body and refuses a
timestamp older than a few minutes (replay)."""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

SIGNATURE_HEADER = "X-Platform-Signature"
TIMESTAMP_HEADER = "X-Platform-Timestamp"
EVENT_ID_HEADER = "X-Platform-Event-Id"
DELIVERY_HEADER = "X-Platform-Delivery"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode("utf-8"), str(int(timestamp)).encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, header: str) -> bool:
    """What a receiver does (the README's snippet is the same few lines)."""
    try:
        expected = signature(secret, int(timestamp), body)
    except ValueError:
        return False
    return hmac.compare_digest(expected, header or "")


@dataclass(frozen=True)
class Policy:
    """The retry schedule (data: ``event_feed/data/webhook_policy.yaml``, overridable in the config)."""

    initial_backoff_seconds: float = 10.0
    max_backoff_seconds: float = 3600.0
    retry_period_seconds: float = 86400.0
    timeout_seconds: float = 10.0
    batch_size: int = 50

    def next_attempt(self, first_attempt_at: datetime, attempts: int, now: datetime) -> datetime | None:
        """When to try again after ``attempts`` failed attempts (exponential back-off, capped), or None
        when the retry period since the first attempt is over: the delivery has failed for good."""
        delay = min(self.initial_backoff_seconds * 2 ** max(attempts - 1, 0), self.max_backoff_seconds)
        at = now + timedelta(seconds=delay)
        if at > first_attempt_at + timedelta(seconds=self.retry_period_seconds):
            return None
        return at
