"""The injectable clock: fixed for unit tests, an offset file shared by processes for end-to-end tests."""
from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from shared import clock

SHANGHAI_EVENING = datetime(2026, 11, 23, 14, 5, tzinfo=clock.SHANGHAI)


def test_system_clock_is_utc_and_aware():
    now = clock.SystemClock().now()
    assert now.tzinfo is not None and now.utcoffset() == timedelta(0)
    assert isinstance(clock.SystemClock(), clock.Clock)


def test_fixed_clock():
    c = clock.FixedClock(datetime(2026, 11, 23, 17, 0, tzinfo=UTC))
    assert c.now() == datetime(2026, 11, 23, 17, 0, tzinfo=UTC)
    assert c.today_local() == date(2026, 11, 24)  # 01:00 the next day in Shanghai
    c.advance(timedelta(hours=-2))
    assert c.today_local() == date(2026, 11, 23)
    c.set(SHANGHAI_EVENING)
    assert c.now() == datetime(2026, 11, 23, 6, 5, tzinfo=UTC)
    assert c.now().tzinfo == UTC
    assert isinstance(c, clock.Clock)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        clock.FixedClock(datetime(2026, 1, 1))
    with pytest.raises(ValueError):
        clock.to_local(datetime(2026, 1, 1))


def test_offset_file_clock(tmp_path):
    path = tmp_path / "clock.json"
    c = clock.OffsetFileClock(path)
    assert c.offset() == timedelta(0)  # missing file: no offset
    before = datetime.now(UTC)
    clock.set_offset(path, 86400 * 3)
    assert c.offset() == timedelta(days=3)
    assert c.now() - before >= timedelta(days=3)
    clock.set_offset(path, -60)  # same second: still seen, the rename gives a new inode
    assert c.offset() == timedelta(seconds=-60)
    # another process (another reader) sees the same offset
    assert clock.OffsetFileClock(path).offset() == timedelta(seconds=-60)
    path.unlink()
    assert c.offset() == timedelta(0)
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".clock-")]  # no temp files left


def test_offset_file_clock_today_local(tmp_path):
    path = tmp_path / "clock.json"
    clock.set_offset(path, 400 * 86400)
    shifted = clock.OffsetFileClock(path).today_local()
    assert shifted - clock.SystemClock().today_local() in (timedelta(days=400), timedelta(days=401))


def test_offset_file_clock_refuses_garbage(tmp_path):
    path = tmp_path / "clock.json"
    path.write_text("not json")
    with pytest.raises(ValueError):
        clock.OffsetFileClock(path).now()
    path.write_text(json.dumps({"offset_seconds": "3"}))
    with pytest.raises(ValueError):
        clock.OffsetFileClock(path).now()


def test_clock_from_env(tmp_path):
    assert isinstance(clock.clock_from_env({}), clock.SystemClock)
    c = clock.clock_from_env({"PLATFORM_CLOCK_FILE": str(tmp_path / "c.json")})
    assert isinstance(c, clock.OffsetFileClock)
    assert c.path == tmp_path / "c.json"


def test_formatting():
    assert clock.format_cn_date(date(2026, 11, 23)) == "2026年11月23日"
    assert clock.format_cn_date(date(2026, 1, 5)) == "2026年1月5日"
    utc = datetime(2026, 11, 23, 6, 5, tzinfo=UTC)
    assert clock.format_cn_datetime(utc) == "2026年11月23日 14:05"
    assert clock.format_cn_date(datetime(2026, 11, 23, 17, 0, tzinfo=UTC)) == "2026年11月24日"
    assert clock.to_local(utc) == SHANGHAI_EVENING
    assert clock.utc_iso(SHANGHAI_EVENING) == "2026-11-23T06:05:00Z"
    assert clock.utc_iso(datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=-5)))) == "2026-01-01T05:00:00Z"
