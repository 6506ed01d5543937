"""Money safety on a fake unit of work: the degree paid is the registered one, one person's periods
never add up past the policy's longest period nor overlap, checked at submission and again at the
county approval."""
from __future__ import annotations

from datetime import date

import pytest

from shared.errors import Conflict, InvalidInput
from subsidy_review import use_cases
from subsidy_review.domain.application import Period, add_months

from .conftest import UNIT

FORM = {"degree": "bachelor", "months": 12, "start_date": "2026-07-01"}


def refused(call, *args) -> str:
    with pytest.raises((Conflict, InvalidInput)) as info:
        call(*args)
    return info.value.code


def test_a_degree_other_than_the_registered_one_is_400_and_writes_nothing(world):
    tx = world.tx("individual")
    with pytest.raises(InvalidInput) as info:
        use_cases.submit_application(tx, {**FORM, "degree": "doctor", "months": 36})
    assert info.value.status == 400 and info.value.code == "application.degree_mismatch"
    assert "本科" in info.value.message
    assert world.applications.rows == {} and tx.emitted == [] and tx.audited == []


def test_an_approved_change_of_the_registration_changes_the_degree_that_may_be_applied_for(world):
    use_cases.upsert_applicant(world.tx("unit_admin"), {  # individual.approved again, now 硕士
        "individual_id": world.applicants.by_account(world.tx("individual").principal.account_id)["individual_id"],
        "account_id": world.tx("individual").principal.account_id, "unit_id": UNIT, "name": "张三",
        "id_type": "resident_id", "id_number": "440703199001011234", "degree": "master", "region": "440703",
        "bank_account": {"holder": "张三", "bank": "工商银行", "number": "6222"}})
    assert refused(use_cases.submit_application, world.tx("individual"), FORM) == "application.degree_mismatch"
    result = use_cases.submit_application(world.tx("individual"), {**FORM, "degree": "master"})
    assert (result["degree"], result["amount_fen"]) == ("master", 100000 * 12)


def test_months_granted_before_count_towards_the_longest_period(world):
    world.add(application_no="BZ1", status="receipt_confirmed", start_date=date(2023, 7, 1), months=24)
    tx = world.tx("individual")
    with pytest.raises(Conflict) as info:
        use_cases.submit_application(tx, {**FORM, "months": 13})
    assert info.value.code == "application.months_exceed_allowance" and "本次最多可申报12个月" in info.value.message
    assert len(world.applications.rows) == 1 and tx.emitted == []
    assert use_cases.submit_application(world.tx("individual"), FORM)["months"] == 12


def test_withdrawn_and_failed_applications_do_not_count(world):
    world.add(application_no="BZ1", status="withdrawn", start_date=date(2026, 7, 1), months=36)
    world.add(application_no="BZ2", status="assessment_failed", start_date=date(2026, 7, 1), months=36)
    assert use_cases.submit_application(world.tx("individual"), {**FORM, "months": 36})["months"] == 36


def test_a_period_overlapping_an_earlier_one_is_refused(world):
    world.add(application_no="BZ1", status="receipt_confirmed", start_date=date(2025, 7, 1), months=12)  # to 2026-06-30
    code = refused(use_cases.submit_application, world.tx("individual"), {**FORM, "start_date": "2026-06-30"})
    assert code == "application.period_overlap"
    assert use_cases.submit_application(world.tx("individual"), FORM)["start_date"] == "2026-07-01"


def test_the_county_approval_checks_again(world):
    # granted while this one waited (e.g. a second application that went through another way):
    # the county approval sees the sum and refuses, changing nothing
    waiting = world.add(status="pending_county_review", start_date=date(2026, 7, 1), months=12)
    world.add(application_no="BZ0", status="receipt_confirmed", start_date=date(2027, 1, 1), months=12)
    tx = world.tx("county_hrss")
    assert refused(use_cases.approve, tx, waiting["id"]) == "application.period_overlap"
    assert world.applications.find(waiting["id"])["status"] == "pending_county_review" and tx.emitted == []
    world.applications.patch(waiting["id"], {"months": 6})
    world.add(application_no="BZ00", status="receipt_confirmed", start_date=date(2023, 1, 1), months=20)
    assert refused(use_cases.approve, world.tx("county_hrss"), waiting["id"]) == "application.months_exceed_allowance"
    world.applications.patch(waiting["id"], {"months": 4})
    assert use_cases.approve(world.tx("county_hrss"), waiting["id"])["status"] == "county_approved"


def test_the_county_approval_refuses_a_degree_the_registration_no_longer_has(world):
    waiting = world.add(status="pending_county_review", degree="doctor")
    assert refused(use_cases.approve, world.tx("county_hrss"), waiting["id"]) == "application.degree_mismatch"


def test_a_resubmission_is_checked_without_counting_itself(world):
    world.add(application_no="BZ0", status="receipt_confirmed", start_date=date(2024, 7, 1), months=24)
    app = world.add(status="county_returned", start_date=date(2026, 7, 1), months=12)
    assert use_cases.resubmit_application(world.tx("individual"), app["id"], FORM)["months"] == 12
    world.applications.patch(app["id"], {"status": "county_returned"})
    code = refused(use_cases.resubmit_application, world.tx("individual"), app["id"], {**FORM, "months": 13})
    assert code == "application.months_exceed_allowance"


@pytest.mark.parametrize(("start", "months", "end"), [
    (date(2026, 7, 1), 12, date(2027, 7, 1)), (date(2026, 1, 31), 1, date(2026, 2, 28)),
    (date(2023, 11, 30), 3, date(2024, 2, 29)), (date(2026, 12, 15), 36, date(2029, 12, 15))])
def test_a_period_ends_after_its_calendar_months(start, months, end):
    assert add_months(start, months) == end == Period("x", start, months).end


def test_periods_touching_do_not_overlap():
    first = Period("a", date(2026, 1, 1), 6)
    assert not first.overlaps(Period("b", date(2026, 7, 1), 6))
    assert first.overlaps(Period("b", date(2026, 6, 30), 1)) and Period("b", date(2025, 12, 31), 1).overlaps(first)
