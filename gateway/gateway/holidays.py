"""The holiday schedule publicity_assessment keeps (``working_calendar``), held by the gateway for a short
while: every list of applications and the home page's to-do counters count working days over the same
four years, and the schedule changes a few times a year (the admin's 节假日安排), so a page render does not
pay that RPC each time.

An entry lives ``ttl`` seconds (``GATEWAY_CALENDAR_TTL_SECONDS``, 60 by default); the admin's edit through
this process (a day set, a year confirmed) empties the cache at once, and the ttl bounds how long another
gateway process (a worker, a replica) may still count with the schedule before the edit. Only answers are
kept: a refusal or a service that does not answer is asked again next time. The schedule is the same for
every reader (the service's ``working_calendar`` is a query any logged-in caller may make), and each page
that uses it still calls its own service with the caller's token.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from flask import current_app

from gateway.context import call

SERVICE = "publicity_assessment"
#: distinct (first, last) spans kept at once: the pages ask one span; the stage-time report one per chosen year
MAX_SPANS = 32


class CalendarCache:
    """``(first, last)`` -> the service's answer, each for ``ttl`` seconds; thread-safe (gthread workers)."""

    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self._clock = clock
        self._entries: dict[tuple[str, str], tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, first: str, last: str, fetch: Callable[[], Any]) -> Any:
        """The kept answer for ``first``..``last``, else ``fetch()``'s (kept when it answers)."""
        key, now = (first, last), self._clock()
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] > now:
                return entry[1]
        answer = fetch()   # outside the lock: another thread's page does not wait for this RPC
        if self.ttl > 0:
            with self._lock:
                self._entries = {k: e for k, e in self._entries.items() if e[0] > now}
                if len(self._entries) >= MAX_SPANS:
                    self._entries.pop(min(self._entries, key=lambda k: self._entries[k][0]))
                self._entries[key] = (now + self.ttl, answer)
        return answer

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def working_calendar(first: str, last: str) -> dict:
    """publicity_assessment's ``working_calendar(first, last)``, from the cache when it holds it."""
    cache: CalendarCache = current_app.extensions["calendar_cache"]
    return cache.get(first, last, lambda: call(SERVICE, "working_calendar", first, last))


def schedule_changed() -> None:
    """The admin changed the schedule through this process: the next page asks the service again."""
    current_app.extensions["calendar_cache"].clear()
