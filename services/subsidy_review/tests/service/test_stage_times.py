"""环节用时统计 against PostgreSQL: the report reads the timeline in the caller's city, counts working
days with the schedule handed in, and the demo city's seeded limits flag what is overdue."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from nameko.exceptions import RemoteError

from shared.auth.tokens import TokenSigner
from shared.clock import CLOCK_FILE_ENV, SHANGHAI, OffsetFileClock, set_offset
from shared.testing.helpers import execute, remote_code
from shared.testing.service import call

from .test_subsidy_review import people, submit  # noqa: F401  (the fixture and the helper)

HOLIDAYS = ["2026-09-25", "2026-09-26", "2026-09-27"] + [f"2026-10-0{d}" for d in range(1, 8)]


def calendar() -> dict:
    return {"first": "2025-01-01", "last": f"{date.today().year + 1}-12-31",
            "overrides": {**{d: "holiday" for d in HOLIDAYS}, "2026-10-10": "workday"},
            "known_years": list(range(2025, date.today().year + 2))}


def svc(config, method, *args, token=None):
    return call(config, "subsidy_review", method, *args, token=token)


def test_report_from_the_timeline_in_working_days(subsidy_review_config, people, issue):  # noqa: F811
    cfg = subsidy_review_config
    app = submit(cfg, people)
    svc(cfg, "approve", app["id"], None, token=people["unit"])
    svc(cfg, "report", [app["id"]], token=people["unit"])
    # the path at known local times: submitted Mon 09-21, unit review 09-23, reported Thu 09-24 (then 中秋)
    for event_type, at in (("application.submitted", "2026-09-21 10:00+08"),
                           ("application.unit_approved", "2026-09-23 10:00+08"),
                           ("application.reported", "2026-09-24 10:00+08")):
        execute(people["url"], "UPDATE timeline SET at = CAST(:at AS timestamptz) WHERE event_type = :type",
                at=at, type=event_type)
    city = issue(role="city_hrss", region="440700")[0]
    report = svc(cfg, "stage_time_report", {"from": "2026-09-01", "to": "2026-09-30"}, calendar(), token=city)
    cells = {(i["stage"], i["county"]): i for i in report["items"]}
    assert {k: (c["completed"], c["median_days"], c["p90_days"], c["overdue"]) for k, c in cells.items()
            if c["completed"]} == {(2, "440703"): (1, 2, 2, 0), (3, "440703"): (1, 1, 1, 0)}
    # still at the county HRSS since 09-24: far over the demo city's 10 working days
    assert (cells[(4, "440703")]["open"], cells[(4, "440703")]["open_overdue"]) == (1, 1)
    assert cells[(4, "440703")]["limit_days"] == 10 and cells[(2, "440703")]["authority_label"] == "单位经办人"
    # another city's officer sees nothing of 440700; a county officer may not ask
    other = issue(role="city_hrss", region="440300")[0]
    assert svc(cfg, "stage_time_report", {"from": "2026-09-01", "to": "2026-09-30"}, calendar(),
               token=other)["items"] == []
    with pytest.raises(RemoteError) as info:
        svc(cfg, "stage_time_report", {"from": "2026-09-01", "to": "2026-09-30"}, calendar(), token=people["county"])
    assert remote_code(info.value) == (403, "auth.forbidden")


def test_the_county_to_do_counter_says_how_many_are_overdue(subsidy_review_config, people, issue):  # noqa: F811
    cfg = subsidy_review_config
    app = submit(cfg, people)
    svc(cfg, "approve", app["id"], None, token=people["unit"])
    svc(cfg, "report", [app["id"]], token=people["unit"])
    county_todos = {t["key"]: t["count"] for t in svc(cfg, "todos", token=people["county"])}
    assert county_todos == {"applications.pending_county_review": 1}
    # reported just now: within the demo city's 10 working days
    assert svc(cfg, "overdue_todos", calendar(), token=people["county"]) == {"applications.pending_county_review": 0}
    for event_type, at in (("application.submitted", "2026-09-21 10:00+08"),
                           ("application.unit_approved", "2026-09-23 10:00+08"),
                           ("application.reported", "2026-09-24 10:00+08")):
        execute(people["url"], "UPDATE timeline SET at = CAST(:at AS timestamptz) WHERE event_type = :type",
                at=at, type=event_type)
    # what the write path would have kept had the report been made then (adapters/waiting.py)
    execute(people["url"], "UPDATE applications SET waiting_since = CAST(:at AS timestamptz) WHERE id = :id",
            at="2026-09-24 10:00+08", id=app["id"])
    # waiting at the county HRSS since 09-24: far over the limit - the same rule as the report's open_overdue
    assert svc(cfg, "overdue_todos", calendar(), token=people["county"]) == {"applications.pending_county_review": 1}
    other = issue(role="county_hrss", region="440704")[0]          # another county sees none of it
    assert svc(cfg, "overdue_todos", calendar(), token=other) == {"applications.pending_county_review": 0}
    assert svc(cfg, "overdue_todos", {}, token=people["county"]) == {      # no schedule: never guessed
        "applications.pending_county_review": 0}
    with pytest.raises(RemoteError) as info:
        svc(cfg, "overdue_todos", calendar())
    assert remote_code(info.value)[0] == 401


@pytest.fixture
def clock_file(tmp_path, monkeypatch):
    """The service's injectable clock reads this offset file (set before the container starts)."""
    path = tmp_path / "clock.json"
    monkeypatch.setenv(CLOCK_FILE_ENV, str(path))
    return path


def test_a_waiting_batch_turns_overdue_at_its_limit_on_the_moved_clock(clock_file, subsidy_review,
                                                                      subsidy_review_config, signer):
    """A city batch aggregated Thu 2026-09-24 (as org_confirmation hands it over) waits at 市组织部确认,
    the demo city's limit 10 working days: 09-28..30, then 国庆 rests, 10-08, 09, the 调休 Saturday 10-10,
    10-12..15 make 10 (not yet over); Fri 10-16 is the 11th, overdue by one; the counter counts it then."""
    cfg = subsidy_review_config
    tokens = TokenSigner(signer.private_key, signer.kid, clock=OffsetFileClock(clock_file))
    wait = {"city": "440700", "stage": 10, "since": "2026-09-24T02:00:00Z"}
    counters = {"org.batches_pending": {"waits": [wait]}}

    def on(day: str) -> tuple[dict, dict]:
        target = datetime.fromisoformat(f"{day}T16:00").replace(tzinfo=SHANGHAI)
        set_offset(clock_file, (target - datetime.now(UTC)).total_seconds())
        token = "Bearer " + tokens.issue(account_id="acc-szzb", role="city_org", region="440700", unit_id=None,
                                         name="市组织部", token_version=1)[0]
        return (svc(cfg, "batch_clocks", {"b1": wait}, calendar(), token=token)["b1"],
                svc(cfg, "overdue_todos", calendar(), counters, token=token))

    for day, days, late in (("2026-09-30", 3, 0), ("2026-10-07", 3, 0), ("2026-10-15", 10, 0),
                            ("2026-10-16", 11, 1)):
        clock, overdue = on(day)
        assert (clock["working_days"], clock["limit_days"], clock["overdue_days"]) == (days, 10, late), day
        assert clock["overdue"] is bool(late) and overdue == {"org.batches_pending": late}
    assert clock["overdue_label"] == "已超时 1 个工作日" and clock["stage_name"] == "市组织部确认"
