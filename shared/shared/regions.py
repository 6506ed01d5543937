"""Administrative divisions (GB/T 2260) as a data table: the platform's notion of jurisdiction.

The hierarchy is read from ``data/regions.csv`` (see ``data/README.md`` for source and shape) and
never derived from the digits: 仙桃 429004 belongs to 湖北省 directly although 429000 looks like a
city, and 东莞 441900 has no counties. Lookups are by 6-digit code strings.

Deployment rule: a county-level officer is configured with a county code, a city-level one with
``city_of(county)``. Units with no prefecture in between (province-administered counties such as
仙桃) and prefectures with no counties (东莞, 中山) are their own city and their own county.
"""
from __future__ import annotations

import csv
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Level = Literal["province", "city", "county"]


@dataclass(frozen=True, slots=True)
class Region:
    """One row of the table. ``parent`` is ``None`` for a province."""

    code: str
    name: str
    level: Level
    parent: str | None


class _Table:
    def __init__(self, rows: list[Region]) -> None:
        self.by_code: dict[str, Region] = {r.code: r for r in rows}
        self.children: dict[str, list[Region]] = {}
        for r in rows:
            if r.parent is not None:
                self.children.setdefault(r.parent, []).append(r)


_table: _Table | None = None
_lock = threading.Lock()


def _load() -> _Table:
    global _table
    if _table is None:
        with _lock:  # services are threaded (eventlet or not): parse the file once
            if _table is None:
                # relative to this file, not importlib.resources: run from the repository root,
                # "shared" can resolve to the namespace package of the project directory
                text = (Path(__file__).parent / "data" / "regions.csv").read_text("utf-8")
                rows = [Region(code=row["code"], name=row["name"], level=row["level"],  # type: ignore[arg-type]
                               parent=row["parent"] or None)
                        for row in csv.DictReader(text.splitlines())]
                _table = _Table(rows)
    return _table


def all_regions() -> list[Region]:
    """Every row, ordered by code."""
    return sorted(_load().by_code.values(), key=lambda r: r.code)


def get(code: str) -> Region | None:
    """The region with this code, or ``None`` if the table has no such code."""
    if not isinstance(code, str):
        return None
    return _load().by_code.get(code.strip())


def exists(code: str) -> bool:
    """Whether ``code`` is a known division code."""
    return get(code) is not None


def name_of(code: str) -> str | None:
    """The short name of a division (``"蓬江区"``), or ``None`` if unknown."""
    region = get(code)
    return region.name if region else None


def ancestors(code: str) -> list[Region]:
    """The chain from the region itself up to its province: ``[county, city, province]``."""
    table = _load()
    chain: list[Region] = []
    region = get(code)
    while region is not None:
        chain.append(region)
        region = table.by_code.get(region.parent) if region.parent else None
    return chain


def full_name(code: str) -> str | None:
    """The name with all levels above it, e.g. ``"广东省江门市蓬江区"``.

    A municipality's city row carries the municipality's own name (see data/README.md), so a name
    repeated by the next level is written once: ``"北京市朝阳区"``, not ``"北京市北京市朝阳区"``.
    """
    chain = ancestors(code)
    if not chain:
        return None
    parts: list[str] = []
    for region in reversed(chain):
        if not parts or parts[-1] != region.name:
            parts.append(region.name)
    return "".join(parts)


def province_of(code: str) -> str | None:
    """The province-level code a region belongs to (itself for a province), or ``None``."""
    chain = ancestors(code)
    return chain[-1].code if chain else None


def city_of(code: str) -> str | None:
    """The prefecture-level unit a region belongs to, following the table.

    A city returns itself; a county returns its parent city, or itself when the province
    administers it directly (仙桃 429004). A province or an unknown code returns ``None``.
    """
    region = get(code)
    if region is None or region.level == "province":
        return None
    if region.level == "city":
        return region.code
    parent = _load().by_code.get(region.parent or "")
    if parent is not None and parent.level == "city":
        return parent.code
    return region.code


def children(code: str) -> list[Region]:
    """The regions whose parent is ``code``, ordered by code."""
    return list(_load().children.get(code, []))


def counties_of(city_code: str) -> list[Region]:
    """The county-level units of a city, as ``city_of`` defines city.

    A city without counties (东莞 441900) and a province-administered county (仙桃 429004) are
    their own only county, so the result is ``[itself]``. A province or unknown code gives ``[]``.
    """
    region = get(city_code)
    if region is None or region.level == "province":
        return []
    if region.level == "county":
        return [region] if city_of(region.code) == region.code else []
    return children(region.code) or [region]


def is_within(code: str, area_code: str) -> bool:
    """Whether ``code`` is ``area_code`` or lies inside it (county in city, anything in province).

    Unknown codes are within nothing, so a typo never widens an officer's jurisdiction.
    """
    if not exists(area_code):
        return False
    return any(r.code == area_code for r in ancestors(code))


def search(text: str, limit: int = 50) -> list[Region]:
    """Regions whose name contains ``text``, or whose code starts with it when ``text`` is digits.

    Results are ordered by level (provinces first) then code, at most ``limit`` of them.
    """
    needle = (text or "").strip()
    if not needle:
        return []
    rank = {"province": 0, "city": 1, "county": 2}
    if needle.isdigit():
        hits = [r for r in _load().by_code.values() if r.code.startswith(needle)]
    else:
        hits = [r for r in _load().by_code.values() if needle in r.name]
    hits.sort(key=lambda r: (rank[r.level], r.code))
    return hits[:limit]
