"""Event filters of the feed and of webhooks: type patterns and regions.

A type pattern is an event type (``application.paid``) or one ending in ``*`` (``application.*``,
``*``); several are separated by commas. A region is a county (its own events) or a city (the city's
own events and those of each of its counties)."""
from __future__ import annotations

import re
from dataclasses import dataclass

PATTERN = re.compile(r"^(\*|[a-z_]+(\.[a-z_]+)*(\.\*)?)$")
REGION = re.compile(r"^\d{6}$")
MAX_PATTERNS = 20


class FilterError(ValueError):
    """A pattern or region that is not one (the use case turns it into a 400)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def parse_types(text: str | None) -> list[str] | None:
    """``"application.*, unit.approved"`` -> ``["application.*", "unit.approved"]``; empty -> None (all)."""
    if text is None or not str(text).strip():
        return None
    patterns = [p.strip() for p in str(text).split(",") if p.strip()]
    if len(patterns) > MAX_PATTERNS:
        raise FilterError("type", f"事件类型最多{MAX_PATTERNS}项")
    for pattern in patterns:
        if not PATTERN.match(pattern):
            raise FilterError("type", f"事件类型格式不正确: {pattern[:50]}（如 application.paid 或 application.*）")
    return patterns


def parse_region(text: str | None) -> str | None:
    if text is None or str(text) == "":
        return None
    if not REGION.match(str(text)):
        raise FilterError("region", "行政区划代码应为6位数字")
    return str(text)


def type_matches(patterns: list[str] | None, event_type: str) -> bool:
    if patterns is None:
        return True
    return any(p == "*" or (p.endswith(".*") and event_type.startswith(p[:-1])) or p == event_type
               for p in patterns)


def like_of(pattern: str) -> str | None:
    """The SQL LIKE pattern of a type pattern (None: every type); ``_`` is escaped."""
    if pattern == "*":
        return None
    literal = pattern[:-1] if pattern.endswith("*") else pattern
    escaped = literal.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%" if pattern.endswith("*") else escaped


@dataclass(frozen=True)
class EventFilter:
    """What a webhook endpoint (or a feed query) wants: type patterns and a region."""

    types: list[str] | None = None
    region: str | None = None

    def matches(self, event_type: str, region: str, city: str) -> bool:
        return type_matches(self.types, event_type) and (self.region is None or self.region in (region, city))
