"""Sliding-window throttling over what a service already records (issue 9): login failures per address,
SMS codes per mobile, public objections per address and per application. The caller selects the times
of the earlier events inside the window (its own table, under its own lock); this module decides, and
answers a refusal the same way everywhere: 429 with a stable code, a Chinese message and
``details.retry_after`` (the gateway turns it into ``Retry-After``)."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from shared.errors import RateLimited


def retry_after(times: Sequence[datetime], limit: int, window: timedelta, now: datetime) -> int | None:
    """Seconds until one more event is allowed, or None when it is allowed now. ``times`` are the
    earlier events (any order); only those inside ``(now - window, now]`` count."""
    recent = sorted(t for t in times if t > now - window)
    if len(recent) < limit:
        return None
    # the oldest event that must leave the window before one more fits
    oldest = recent[len(recent) - limit]
    return max(1, int((oldest + window - now).total_seconds() + 0.999))


def minutes(seconds: int) -> int:
    """A wait in whole minutes for a message (rounded up, at least 1)."""
    return max(1, (seconds + 59) // 60)


def check(times: Sequence[datetime], limit: int, window: timedelta, now: datetime, *, code: str,
          message: str, details: dict[str, Any] | None = None) -> None:
    """Raise 429 ``code`` when ``limit`` events already happened inside ``window``. ``message`` may use
    ``{minutes}`` and ``{seconds}`` (the wait)."""
    wait = retry_after(times, limit, window, now)
    if wait is not None:
        raise RateLimited(message.format(minutes=minutes(wait), seconds=wait), code=code,
                          details={**(details or {}), "retry_after": wait})
