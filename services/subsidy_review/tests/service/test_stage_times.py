"""环节用时统计 against PostgreSQL: the report reads the timeline in the caller's city, counts working
days with the schedule handed in, and the demo city's seeded limits flag what is overdue."""
from __future__ import annotations

from datetime import date

import pytest
from nameko.exceptions import RemoteError

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
    # waiting at the county HRSS since 09-24: far over the limit - the same rule as the report's open_overdue
    assert svc(cfg, "overdue_todos", calendar(), token=people["county"]) == {"applications.pending_county_review": 1}
    other = issue(role="county_hrss", region="440704")[0]          # another county sees none of it
    assert svc(cfg, "overdue_todos", calendar(), token=other) == {"applications.pending_county_review": 0}
    assert svc(cfg, "overdue_todos", {}, token=people["county"]) == {      # no schedule: never guessed
        "applications.pending_county_review": 0}
    with pytest.raises(RemoteError) as info:
        svc(cfg, "overdue_todos", calendar())
    assert remote_code(info.value)[0] == 401
