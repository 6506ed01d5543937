"""环节用时统计: applications walk their stages on the injectable clock at known local times (around
the 2026 National Day break), and the report's working days, median, p90 and overdue counts are
exactly what the calendar says."""
from __future__ import annotations

from collections import Counter
from datetime import datetime
from types import SimpleNamespace

import pytest

from shared.auth.principal import Principal
from shared.clock import SHANGHAI, to_local
from shared.errors import Conflict, InvalidInput, NotFound
from shared.events import Envelope
from shared.testing.fake_tx import FakeTx, InMemoryRepository
from subsidy_review import use_cases
from subsidy_review.adapters.repository import (
    ApplicantRepository,
    ApplicationRepository,
    PolicyRepository,
    WindowRepository,
)
from subsidy_review.adapters.stage_times import StageTimeRepository
from subsidy_review.domain.stage_times import Step, waiting_since

from .conftest import CITY, COUNTY, OTHER_COUNTY, OTHER_UNIT, UNIT, applicant

# the State Council's 2026 schedule around 国庆节 (as the shipped calendar has it)
HOLIDAYS = ["2026-09-25", "2026-09-26", "2026-09-27"] + [f"2026-10-0{d}" for d in range(1, 8)]
CALENDAR = {"overrides": {**{d: "holiday" for d in HOLIDAYS}, "2026-09-20": "workday", "2026-10-10": "workday"},
            "known_years": [2025, 2026], "first": "2025-01-01", "last": "2026-12-31"}
FORM = {"degree": "bachelor", "months": 6, "start_date": "2026-07-01"}
PEOPLE = {  # who: (individual id, account, county, unit)
    "a": ("aaaaaaaa-0000-4000-8000-000000000001", "bbbbbbbb-0000-4000-8000-000000000001", COUNTY, UNIT),
    "b": ("aaaaaaaa-0000-4000-8000-000000000002", "bbbbbbbb-0000-4000-8000-000000000002", COUNTY, UNIT),
    "c": ("aaaaaaaa-0000-4000-8000-000000000003", "bbbbbbbb-0000-4000-8000-000000000003", OTHER_COUNTY, OTHER_UNIT),
}


class FakeStageTimes(InMemoryRepository):
    key = ("city", "stage", "effective_from")

    def __init__(self, applications):
        super().__init__()
        self.applications = applications

    def paths(self, principal, city, county, until):
        return [self._path(app, until) for app in self.applications.rows.values()
                if self.applications.get(app["id"], principal) and app["city"] == city
                and (not county or app["county"] == county)]

    def paths_of(self, principal, application_ids):
        return [self._path(self.applications.get(i), None) for i in application_ids
                if self.applications.get(i, principal)]

    def waiting_in_status(self, principal, statuses):
        """(city, status, local day the stay began, count): the rule of applications.waiting_since."""
        days = Counter()
        for app in self.applications.rows.values():
            if app["status"] in statuses and self.applications.get(app["id"], principal):
                path = self._path(app, None)
                since = waiting_since(path["status"], [Step(stage, at) for stage, at in path["steps"]])
                if since is not None:
                    days[(app["city"], app["status"], to_local(since).date())] += 1
        return [SimpleNamespace(city=c, status=s, day=d, count=n) for (c, s, d), n in days.items()]

    def _path(self, app, until):
        entries = sorted((datetime.fromisoformat(e["at"]), e["stage"]) for e in self.applications.timeline.values()
                         if e["application_id"] == app["id"])
        return {"id": app["id"], "county": app["county"], "city": app["city"], "status": app["status"],
                "steps": [(stage, at) for at, stage in entries if until is None or at <= until]}

    def limits(self, city):
        return [r for r in self.rows.values() if r["city"] == city]

    def put_limit(self, city, stage, effective_from, working_days, set_by, at):
        self.put({"city": city, "stage": stage, "effective_from": effective_from, "working_days": working_days})


def limits_of(days: dict[int, int]) -> list[dict]:
    return [{"stage": stage, "working_days": n} for stage, n in days.items()]


def at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(f"{day}T{hour:02d}:00").replace(tzinfo=SHANGHAI)


@pytest.fixture
def walk(world):
    units = [{"id": UNIT, "name": "江门示范单位"}, {"id": OTHER_UNIT, "name": "江海单位"}]
    world.applicants = type(world.applicants)([applicant(individual_id=i, account_id=a, region=c, unit_id=u)
                                               for i, a, c, u in PEOPLE.values()], units=units)
    stage_times = FakeStageTimes(world.applications)

    class Walk:
        ids: dict[str, str] = {}

        def tx(self, principal: Principal, when: datetime) -> FakeTx:
            return FakeTx(principal, service="subsidy_review", now=when, repositories={
                ApplicationRepository: world.applications, ApplicantRepository: world.applicants,
                PolicyRepository: world.policies, WindowRepository: world.windows, StageTimeRepository: stage_times})

        def submit(self, who: str, day: str) -> None:
            _, account, _, _ = PEOPLE[who]
            principal = Principal(account_id=account, role="individual")
            self.ids[who] = use_cases.submit_application(self.tx(principal, at(day)), FORM)["id"]

        def unit(self, who: str, day: str, verb: str) -> None:
            principal = Principal(account_id="acc-dw", role="unit_admin", unit_id=PEOPLE[who][3])
            tx = self.tx(principal, at(day))
            if verb == "approve":
                use_cases.approve(tx, self.ids[who])
            else:
                use_cases.report(tx, [self.ids[who]])

        def county(self, who: str, day: str) -> None:
            county = PEOPLE[who][2]
            use_cases.approve(self.tx(Principal(account_id="acc-rsj", role="county_hrss", region=county), at(day)),
                              self.ids[who])

        def downstream(self, who: str, day: str, event_type: str, status: str) -> None:
            event = Envelope(type=event_type, source="/services/publicity_assessment", subject=self.ids[who],
                             region=PEOPLE[who][2], actor={"role": "county_hrss"}, time=at(day).isoformat(),
                             data={"application_id": self.ids[who], "status": status, "round": 1})
            use_cases.record_stage_event(self.tx(Principal(account_id="system", role="sys_admin"), at(day)), event)

        def report(self, today: str, **filters) -> list[dict]:
            tx = self.tx(Principal(account_id="acc-srsj", role="city_hrss", region=CITY), at(today))
            return use_cases.stage_time_report(tx, filters, CALENDAR)["items"]

        def set_limits(self, limits: list, effective_from: str) -> dict:
            tx = self.tx(Principal(account_id="admin", role="sys_admin"), at("2026-09-01"))
            return use_cases.set_stage_limits(tx, CITY, limits, effective_from)

    return Walk()


def cell(items: list[dict], stage: int, county: str) -> dict:
    [found] = [i for i in items if i["stage"] == stage and i["county"] == county]
    return {k: found[k] for k in ("completed", "median_days", "p90_days", "overdue", "open", "open_overdue")}


def test_stage_times_in_working_days_per_stage_and_county(walk):
    walk.set_limits(limits_of({2: 3, 3: 3, 4: 5, 5: 8}), "2026-01-01")
    # a: 本县; unit review 2 working days, report 1, county review across 中秋+国庆 5, publicity 7 (10-10 works)
    walk.submit("a", "2026-09-21")
    walk.unit("a", "2026-09-23", "approve")
    walk.unit("a", "2026-09-24", "report")
    walk.county("a", "2026-10-09")
    walk.downstream("a", "2026-10-12", "application.publicity_started", "in_publicity")
    walk.downstream("a", "2026-10-19", "application.publicity_ended", "publicity_passed")
    # b: 本县; approved the day it arrived (0), reported after 6 working days (over the limit of 3)
    walk.submit("b", "2026-09-28")
    walk.unit("b", "2026-09-28", "approve")
    walk.unit("b", "2026-10-12", "report")
    # c: 江海区; unit review 5 working days (over 3), then still waiting to be reported
    walk.submit("c", "2026-09-22")
    walk.unit("c", "2026-09-30", "approve")

    items = walk.report("2026-10-20", **{"from": "2026-09-01", "to": "2026-10-31"})
    assert cell(items, 2, COUNTY) == {"completed": 2, "median_days": 1, "p90_days": 2, "overdue": 0,
                                      "open": 0, "open_overdue": 0}
    assert cell(items, 3, COUNTY) == {"completed": 2, "median_days": 3.5, "p90_days": 6, "overdue": 1,
                                      "open": 0, "open_overdue": 0}
    assert cell(items, 4, COUNTY) == {"completed": 1, "median_days": 5, "p90_days": 5, "overdue": 0,
                                      "open": 1, "open_overdue": 1}     # b waits since 10-12: 6 working days
    assert cell(items, 5, COUNTY) == {"completed": 1, "median_days": 7, "p90_days": 7, "overdue": 0,
                                      "open": 0, "open_overdue": 0}
    assert cell(items, 6, COUNTY)["open"] == 1                           # a waits for the assessment
    # c: Sep 23, 24, 28, 29, 30 → 5 (the 25th is 中秋); waiting to be reported since 09-30:
    # Oct 8, 9, 10, 12-16, 19, 20 → 10 working days, over the limit of 3
    assert cell(items, 2, OTHER_COUNTY) == {"completed": 1, "median_days": 5, "p90_days": 5, "overdue": 1,
                                            "open": 0, "open_overdue": 0}
    assert cell(items, 3, OTHER_COUNTY) == {"completed": 0, "median_days": None, "p90_days": None,
                                            "overdue": 0, "open": 1, "open_overdue": 1}
    limit = {i["stage"]: i["limit_days"] for i in items}
    assert limit[3] == 3 and limit[6] is None                          # no limit set: nothing is late


def test_open_stay_against_a_later_limit_and_the_period_filter(walk):
    walk.set_limits(limits_of({4: 5}), "2026-01-01")
    walk.submit("b", "2026-09-28")
    walk.unit("b", "2026-09-28", "approve")
    walk.unit("b", "2026-10-12", "report")
    # b has waited at the county since 10-12: 6 working days on 10-20 → over 5
    assert cell(walk.report("2026-10-20", **{"from": "2026-10-01", "to": "2026-10-31"}), 4, COUNTY)["open_overdue"] == 1
    # a limit version from 10-13 on does not apply to a stay that started on 10-12
    walk.set_limits(limits_of({4: 10}), "2026-10-13")
    assert cell(walk.report("2026-10-20", **{"from": "2026-10-01", "to": "2026-10-31"}), 4, COUNTY)["open_overdue"] == 1
    # only stays that ended in the period count: the unit's review (ended 09-28) is outside October
    items = walk.report("2026-10-20", **{"from": "2026-10-01", "to": "2026-10-31"})
    assert [i["stage"] for i in items if i["completed"]] == [3]


def test_a_period_reaching_a_year_without_a_schedule_is_refused(walk):
    walk.submit("a", "2026-09-21")
    with pytest.raises(Conflict) as info:
        walk.report("2026-10-20", **{"from": "2026-10-01", "to": "2027-01-31"})
    assert info.value.code == "calendar.year_missing" and info.value.details == {"year": 2027}


@pytest.mark.parametrize("filters, code", [
    ({"from": "2026-10-31", "to": "2026-10-01"}, "period.invalid"),
    ({"from": "2026-10-01"}, "date.invalid"),
    ({"from": "2026-10-01", "to": "2026-10-31", "county": "440303"}, "region.unknown"),
])
def test_bad_report_input_is_400(walk, filters, code):
    with pytest.raises(InvalidInput) as info:
        walk.report("2026-10-20", **filters)
    assert info.value.code == code


def test_limits_are_versions_from_their_date_and_bad_ones_change_nothing(walk):
    walk.set_limits(limits_of({2: 3}), "2026-01-01")
    view = walk.set_limits(limits_of({2: 2}), "2027-01-01")
    stage2 = view["stages"][1]
    assert stage2["working_days"] == 3 and [v["working_days"] for v in stage2["versions"]] == [3, 2]
    for bad in ([{"stage": 14, "working_days": 3}], [{"stage": 2, "working_days": 0}],
                [{"stage": 2, "working_days": "3"}], [{"stage": 2, "working_days": 3}, {"stage": 2, "working_days": 4}],
                [], {"2": 3}):
        with pytest.raises(InvalidInput):
            walk.set_limits(bad, "2026-01-01")
    view = walk.set_limits(limits_of({3: 1}), "2026-01-01")
    assert [v["working_days"] for v in view["stages"][1]["versions"]] == [3, 2]


def test_a_confirmed_year_outside_the_fetched_window_is_not_trusted(walk):
    walk.submit("a", "2026-09-21")
    calendar = {**CALENDAR, "known_years": [2025, 2026, 2027]}   # 2027 confirmed, but not in the window sent
    tx = walk.tx(Principal(account_id="acc-srsj", role="city_hrss", region=CITY), at("2026-10-20"))
    with pytest.raises(Conflict) as info:
        use_cases.stage_time_report(tx, {"from": "2026-10-01", "to": "2027-01-31"}, calendar)
    assert info.value.details == {"year": 2027}


def test_the_to_do_lists_clock_of_each_application(walk):
    walk.set_limits(limits_of({2: 3, 4: 5}), "2026-01-01")
    walk.submit("a", "2026-09-21")                       # waits for its unit: 09-22 ... 10-20 is 16 working days
    walk.submit("b", "2026-10-16")
    walk.unit("b", "2026-10-16", "approve")
    walk.unit("b", "2026-10-19", "report")               # waits at the county since 10-19: 1 working day
    walk.submit("c", "2026-09-22")                       # 江海区: not the county officer's
    tx = walk.tx(Principal(account_id="acc-rsj", role="county_hrss", region=COUNTY), at("2026-10-20"))
    clocks = use_cases.stage_clocks(tx, [walk.ids["a"], walk.ids["b"], walk.ids["c"]], CALENDAR)
    assert clocks == {
        walk.ids["a"]: {"stage": 2, "stage_name": "单位审核", "working_days": 16, "limit_days": 3, "overdue": True,
                        "overdue_days": 13, "overdue_label": "已超时 13 个工作日"},
        walk.ids["b"]: {"stage": 4, "stage_name": "县人社局审核", "working_days": 1, "limit_days": 5, "overdue": False,
                        "overdue_days": 0, "overdue_label": None}}
    with pytest.raises(InvalidInput):
        use_cases.stage_clocks(tx, "not a list", CALENDAR)


def test_the_public_verification_of_a_printed_form_shows_no_personal_data(walk):
    walk.submit("a", "2026-09-21")
    tx = walk.tx(Principal(account_id="anonymous", role="individual"), at("2026-09-22"))
    shown = use_cases.verify_application(tx, walk.ids["a"])
    assert (shown["status_label"], shown["stage_name"], shown["amount_fen"]) == ("待单位审核", "单位审核", 480000)
    assert shown["application_no"].startswith("BZ440703")
    assert not {"applicant_name", "id_number", "mobile", "account_id", "bank_account", "unit_name"} & set(shown)
    assert "张三" not in str(shown) and "440703199001011234" not in str(shown)
    with pytest.raises(NotFound):
        use_cases.verify_application(tx, "no-such-application")


def test_the_to_do_counters_say_how_many_are_overdue_by_the_same_rule_as_the_lists(walk):
    walk.set_limits(limits_of({2: 3, 3: 3}), "2026-01-01")
    walk.submit("a", "2026-10-12")                      # 本县: waits for the unit's review since 10-12
    walk.submit("b", "2026-10-16")                      # 本县: since 10-16, within the limit on 10-20
    walk.submit("c", "2026-10-12")                      # 江海区: another unit, another county
    unit = Principal(account_id="acc-dw", role="unit_admin", unit_id=UNIT)
    tx = walk.tx(unit, at("2026-10-20"))
    overdue = use_cases.overdue_todos(tx, CALENDAR)
    clocks = use_cases.stage_clocks(tx, [walk.ids["a"], walk.ids["b"]], CALENDAR)
    assert (clocks[walk.ids["a"]]["overdue"], clocks[walk.ids["b"]]["overdue"]) == (True, False)
    assert overdue == {"applications.pending_unit_review": 1, "applications.pending_report": 0}
    walk.unit("a", "2026-10-20", "approve")             # no longer at the unit's review
    assert use_cases.overdue_todos(walk.tx(unit, at("2026-10-20")), CALENDAR)[
        "applications.pending_unit_review"] == 0
    county = Principal(account_id="acc-rsj", role="county_hrss", region=COUNTY)
    assert use_cases.overdue_todos(walk.tx(county, at("2026-10-20")), CALENDAR) == {
        "applications.pending_county_review": 0}
    individual = Principal(account_id=PEOPLE["a"][1], role="individual")
    assert use_cases.overdue_todos(walk.tx(individual, at("2026-10-20")), CALENDAR) == {}
    assert use_cases.overdue_todos(walk.tx(unit, at("2026-10-20")), {}) == {   # no schedule: never guessed
        "applications.pending_unit_review": 0, "applications.pending_report": 0}


def wait(stage: int, since: str, city: str = CITY) -> dict:
    """What a batch service says a batch waits at (shared.contracts.waiting)."""
    return {"city": city, "stage": stage, "since": since}


def test_a_batch_turns_overdue_the_working_day_after_its_limit_holidays_not_counted(walk):
    walk.set_limits(limits_of({10: 3, 11: 2}), "2026-01-01")
    city_org = Principal(account_id="acc-szzb", role="city_org", region=CITY)
    # aggregated Thu 09-24 (local): 09-25..27 中秋/国庆 rest days, 09-28 Mon is the 1st working day, then 09-29,
    # 09-30: the 3rd (= the limit) is 09-30; 10-01..07 rest, so 10-08 is the 4th: overdue by one
    batch = {"b1": wait(10, "2026-09-24T02:00:00Z")}
    for today, days in (("2026-09-27", 0), ("2026-09-30", 3), ("2026-10-07", 3), ("2026-10-08", 4)):
        [clock] = use_cases.batch_clocks(walk.tx(city_org, at(today, 18)), batch, CALENDAR).values()
        assert clock["working_days"] == days and clock["limit_days"] == 3
        assert clock["overdue"] is (days > 3), today
        assert clock["overdue_label"] == ("已超时 1 个工作日" if days > 3 else None)
    # the counter counts the same batches by the same rule
    counters = {"org.batches_pending": {"waits": list(batch.values())}}
    assert use_cases.overdue_todos(walk.tx(city_org, at("2026-10-07")), CALENDAR, counters) == {
        "org.batches_pending": 0}
    assert use_cases.overdue_todos(walk.tx(city_org, at("2026-10-08")), CALENDAR, counters) == {
        "org.batches_pending": 1}


def test_a_batch_keeps_the_limit_in_force_when_it_arrived_and_a_make_up_saturday_counts(walk):
    walk.set_limits(limits_of({12: 5}), "2026-01-01")
    walk.set_limits(limits_of({12: 1}), "2026-10-09")   # a later, stricter limit does not apply to it
    county_finance = Principal(account_id="acc-xczj", role="county_finance", region=COUNTY)
    # released Thu 10-08 (a county's own code is accepted: its city's limits apply); Fri 10-09, 调休 Sat
    # 10-10, Mon 10-12, Tue 10-13 = 4 working days; Wed 10-14 = 5 (the limit), Thu 10-15 = 6
    transfer = {"t1": wait(12, "2026-10-08T03:00:00+00:00", city=COUNTY)}
    clocks = [use_cases.batch_clocks(walk.tx(county_finance, at(day)), transfer, CALENDAR)["t1"]
              for day in ("2026-10-13", "2026-10-14", "2026-10-15")]
    assert [(c["working_days"], c["limit_days"], c["overdue"]) for c in clocks] == [
        (4, 5, False), (5, 5, False), (6, 5, True)]


def test_a_batch_clock_is_never_guessed_and_bad_waits_are_400(walk):
    walk.set_limits(limits_of({11: 2}), "2026-01-01")
    city_finance = Principal(account_id="acc-sczj", role="city_finance", region=CITY)
    tx = walk.tx(city_finance, at("2026-10-20"))
    # before any schedule year known, or without the schedule: left out, not counted
    assert use_cases.batch_clocks(tx, {"b": wait(11, "2024-12-30T02:00:00Z")}, CALENDAR) == {}
    assert use_cases.batch_clocks(tx, {"b": wait(11, "2026-09-01T02:00:00Z")}, {}) == {}
    assert use_cases.overdue_todos(tx, {}, {"finance.batches_ready": {"waits": [wait(11, "2026-09-01T02:00:00Z")]}}) \
        == {"finance.batches_ready": 0}
    # a stage without a limit is timed, never overdue
    [clock] = use_cases.batch_clocks(tx, {"b": wait(10, "2026-09-01T02:00:00Z")}, CALENDAR).values()
    assert clock["limit_days"] is None and clock["overdue"] is False and clock["working_days"] > 0
    for bad in ("not a dict", {"b": wait(14, "2026-09-01T02:00:00Z")}, {"b": wait(11, "2026-09-01T10:00:00")},
                {"b": wait(11, "yesterday")}, {"b": wait(11, "2026-09-01T02:00:00Z", city="999999")},
                {str(i): wait(11, "2026-09-01T02:00:00Z") for i in range(201)}):
        with pytest.raises(InvalidInput) as info:
            use_cases.batch_clocks(tx, bad, CALENDAR)
        assert info.value.code == "waiting.invalid"
    with pytest.raises(InvalidInput):
        use_cases.overdue_todos(tx, CALENDAR, {"x": {"statuses": ["no_such_status"]}})


def test_another_services_counter_of_applications_counts_them_by_their_status(walk):
    walk.set_limits(limits_of({4: 2}), "2026-01-01")
    walk.submit("a", "2026-10-12")
    walk.unit("a", "2026-10-12", "approve")
    walk.unit("a", "2026-10-12", "report")               # at the county HRSS since 10-12
    walk.county("a", "2026-10-13")                        # county_approved: waits for the publicity (stage 5)
    walk.set_limits(limits_of({5: 3}), "2026-01-01")
    county = Principal(account_id="acc-rsj", role="county_hrss", region=COUNTY)
    counters = {"publicity.awaiting": {"statuses": ["county_approved"]},
                "assessment.pending": {"statuses": ["publicity_passed"]}}
    # 10-14, 15, 16 = 3 working days (the limit); Mon 10-19 the 4th
    assert use_cases.overdue_todos(walk.tx(county, at("2026-10-16")), CALENDAR, counters) == {
        "applications.pending_county_review": 0, "publicity.awaiting": 0, "assessment.pending": 0}
    assert use_cases.overdue_todos(walk.tx(county, at("2026-10-19")), CALENDAR, counters) == {
        "applications.pending_county_review": 0, "publicity.awaiting": 1, "assessment.pending": 0}
    other = Principal(account_id="acc-rsj2", role="county_hrss", region=OTHER_COUNTY)   # not its county's
    assert use_cases.overdue_todos(walk.tx(other, at("2026-10-19")), CALENDAR, counters)["publicity.awaiting"] == 0
