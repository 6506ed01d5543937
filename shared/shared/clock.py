"""An injectable clock, so deadlines (publicity periods, expiring passwords, due months) can be tested.

Code asks a :class:`Clock` for the time instead of calling ``datetime.now()``. Instants are
timezone-aware UTC; business dates (a publicity day, a due month) are dates in Asia/Shanghai.

- :class:`SystemClock` in production;
- :class:`FixedClock` in unit tests, moved by hand;
- :class:`OffsetFileClock` in end-to-end tests: every process reads the same offset file, so one
  :func:`set_offset` call moves time for the gateway and all services together.
"""
from __future__ import annotations

import json
import os
import tempfile
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Protocol, runtime_checkable
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
CLOCK_FILE_ENV = "PLATFORM_CLOCK_FILE"


@runtime_checkable
class Clock(Protocol):
    """What code needs from a clock."""

    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...

    def today_local(self) -> date:
        """The current date in Asia/Shanghai."""
        ...


def _require_aware(dt: datetime) -> datetime:
    if not isinstance(dt, datetime) or dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"a timezone-aware datetime is required, got {dt!r}")
    return dt


class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        """The current instant in UTC."""
        return datetime.now(UTC)

    def today_local(self) -> date:
        """Today's date in Asia/Shanghai."""
        return self.now().astimezone(SHANGHAI).date()


class FixedClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, dt: datetime) -> None:
        self._now = _require_aware(dt).astimezone(UTC)

    def now(self) -> datetime:
        """The instant the clock was set to, in UTC."""
        return self._now

    def today_local(self) -> date:
        """The set instant's date in Asia/Shanghai."""
        return self._now.astimezone(SHANGHAI).date()

    def advance(self, delta: timedelta) -> datetime:
        """Move the clock forward (or back, with a negative delta); returns the new instant."""
        self._now += delta
        return self._now

    def set(self, dt: datetime) -> None:
        """Jump to ``dt`` (timezone-aware)."""
        self._now = _require_aware(dt).astimezone(UTC)


class OffsetFileClock:
    """System time plus an offset read from a JSON file ``{"offset_seconds": N}``.

    The file is re-read only when its identity changes (mtime, size, inode; :func:`set_offset`
    replaces it, so the inode changes even within one mtime tick), which keeps ``now()`` to one
    ``stat`` call. A missing file means offset 0. A file that cannot be parsed raises
    :class:`ClockFileError` (a ``ValueError``): a test silently run at the wrong time would be worse.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._key: tuple[int, int, int] | None = None
        self._offset = timedelta(0)
        self._lock = threading.Lock()

    def offset(self) -> timedelta:
        """The offset currently in force."""
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return timedelta(0)
        key = (st.st_mtime_ns, st.st_size, st.st_ino)
        with self._lock:
            if key != self._key:
                self._offset = timedelta(seconds=_read_offset(self.path))
                self._key = key
            return self._offset

    def now(self) -> datetime:
        """System time plus the file's offset, in UTC."""
        return datetime.now(UTC) + self.offset()

    def today_local(self) -> date:
        """The shifted date in Asia/Shanghai."""
        return self.now().astimezone(SHANGHAI).date()


class ClockFileError(ValueError):
    """The offset file exists but does not hold ``{"offset_seconds": <number>}``."""


def _read_offset(path: Path) -> float:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:  # removed between stat and read
        return 0.0
    except ValueError as exc:
        raise ClockFileError(f"clock file {path} is not JSON: {exc}") from None
    seconds = data.get("offset_seconds") if isinstance(data, dict) else None
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        raise ClockFileError(f'clock file {path} must hold {{"offset_seconds": <number>}}')
    return float(seconds)


def set_offset(path: str | os.PathLike[str], seconds: float) -> None:
    """Write the offset file atomically (temp file + rename), so readers never see half a file."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".clock-", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"offset_seconds": seconds}, fh)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def clock_from_env(environ: dict[str, str] | None = None) -> Clock:
    """:class:`OffsetFileClock` on ``$PLATFORM_CLOCK_FILE`` when set, else :class:`SystemClock`."""
    env = os.environ if environ is None else environ
    path = env.get(CLOCK_FILE_ENV)
    return OffsetFileClock(path) if path else SystemClock()


def to_local(dt: datetime) -> datetime:
    """The same instant in Asia/Shanghai. Naive datetimes are refused rather than guessed at."""
    return _require_aware(dt).astimezone(SHANGHAI)


def format_cn_date(d: date) -> str:
    """``"2026年11月23日"`` (no zero padding, as in official documents).

    A datetime is first converted to its Asia/Shanghai date.
    """
    if isinstance(d, datetime):
        d = to_local(d).date()
    return f"{d.year}年{d.month}月{d.day}日"


def format_cn_datetime(dt: datetime) -> str:
    """``"2026年11月23日 14:05"``, shown in Asia/Shanghai."""
    local = to_local(dt)
    return f"{format_cn_date(local.date())} {local:%H:%M}"


def utc_iso(dt: datetime) -> str:
    """ISO 8601 in UTC with a ``Z`` suffix: ``"2026-11-23T06:05:00Z"`` (microseconds if any)."""
    return _require_aware(dt).astimezone(UTC).isoformat().replace("+00:00", "Z")
