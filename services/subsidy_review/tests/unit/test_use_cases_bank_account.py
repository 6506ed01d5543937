"""个人更正银行账户 (``individual.bank_account_changed``) in subsidy_review, on a fake unit of work: the copy
of the person takes the corrected account (the newest statement wins), applications not yet frozen at the
county approval freeze it, applications already approved keep the account they froze."""
from __future__ import annotations

from datetime import UTC, datetime

from shared.events import Envelope
from subsidy_review import use_cases

from .conftest import ACCOUNT, BANK, COUNTY, INDIVIDUAL, UNIT

CORRECTED = {"holder": "张三", "bank": "中国建设银行江门分行", "number": "6217000000000000099"}
APPROVED_AT = "2026-11-20T02:00:00+00:00"


def person(**extra) -> dict:
    """The data of an ``individual.*`` event of unit_registry for 张三 (views.person_event)."""
    return {"individual_id": INDIVIDUAL, "account_id": ACCOUNT, "unit_id": UNIT, "unit_name": "江门示范单位",
            "name": "张三", "id_type": "resident_id", "id_number": "440703199001011234", "mobile": "13800000000",
            "degree": "bachelor", "graduated_on": "2025-07-01", "region": COUNTY, "status": "approved",
            "opinion": None, **extra}


def changed(account: dict, time: str = "2026-11-24T03:00:00+00:00") -> Envelope:
    return Envelope(type="individual.bank_account_changed", source="/services/unit_registry", subject=INDIVIDUAL,
                    region=COUNTY, data=person(bank_account=account), actor={"role": "individual"}, time=time)


def approved_with(world, account: dict = BANK, time: str = APPROVED_AT) -> None:
    """``individual.approved`` as the service handles it: the hand-off's account, stated at the event's time."""
    use_cases.upsert_applicant(world.tx("unit_admin"), person(bank_account=account),
                               at=datetime.fromisoformat(time))


def test_a_later_application_freezes_the_corrected_account_at_the_county_approval(world):
    approved_with(world)
    use_cases.correct_bank_account(world.tx("unit_admin"), changed(CORRECTED))
    copy = world.applicants.find(INDIVIDUAL)
    assert copy["bank_account"] == CORRECTED and copy["bank_account_at"].isoformat() == "2026-11-24T03:00:00+00:00"
    app = world.add(status="pending_county_review")
    assert app["bank_account"] is None  # not frozen before the approval: nothing to correct on it
    tx = world.tx("county_hrss")
    use_cases.approve(tx, app["id"])
    frozen = world.applications.find(app["id"])
    assert frozen["bank_account"] == CORRECTED and frozen["bank_account_at"] == copy["bank_account_at"]
    [event] = [e for e in tx.emitted if e.type == "application.county_approved"]
    assert event.data["snapshot"]["bank_account"] == CORRECTED
    assert event.data["snapshot"]["bank_account_at"] == "2026-11-24T03:00:00+00:00"


def test_an_application_already_approved_keeps_its_frozen_account(world):
    approved_with(world)
    frozen = [world.add(status=status, round=1, bank_account=dict(BANK), application_no=f"BZ{n}")
              for n, status in enumerate(["county_approved", "in_publicity", "city_org_confirmed", "funds_released",
                                          "payment_failed"])]
    use_cases.correct_bank_account(world.tx("unit_admin"), changed(CORRECTED))
    assert [world.applications.find(a["id"])["bank_account"] for a in frozen] == [BANK] * len(frozen)
    assert world.applicants.find(INDIVIDUAL)["bank_account"] == CORRECTED


def test_an_application_returned_to_stage_4_shows_the_corrected_account_its_next_round_freezes(world):
    approved_with(world)
    returned = world.add(status="pending_county_review", round=1, bank_account=dict(BANK))
    use_cases.correct_bank_account(world.tx("unit_admin"), changed(CORRECTED))
    assert world.applications.find(returned["id"])["bank_account"] == CORRECTED
    use_cases.approve(world.tx("county_hrss"), returned["id"])
    row = world.applications.find(returned["id"])
    assert (row["round"], row["bank_account"]) == (2, CORRECTED)


def test_an_older_statement_arriving_late_changes_nothing(world):
    use_cases.correct_bank_account(world.tx("unit_admin"), changed(CORRECTED))  # before individual.approved
    assert world.applicants.find(INDIVIDUAL)["bank_account"] == CORRECTED   # the copy is made from the event
    approved_with(world)  # the hand-off, stated earlier, is delivered last: the account stays the corrected one
    older = changed({**CORRECTED, "number": "6217000000000000011"}, "2026-11-23T03:00:00+00:00")
    returned = world.add(status="pending_county_review", round=1, bank_account=dict(CORRECTED))
    use_cases.correct_bank_account(world.tx("unit_admin"), older)
    assert world.applicants.find(INDIVIDUAL)["bank_account"] == CORRECTED
    assert world.applications.find(returned["id"])["bank_account"] == CORRECTED
    use_cases.correct_bank_account(world.tx("unit_admin"), changed(CORRECTED))  # the same statement again
    assert world.applicants.find(INDIVIDUAL)["bank_account_at"] == datetime(2026, 11, 24, 3, tzinfo=UTC)


def test_an_update_without_an_account_keeps_the_account(world):
    approved_with(world)
    use_cases.upsert_applicant(world.tx("unit_admin"), person(degree="master"), status="approved")  # individual.updated
    copy = world.applicants.find(INDIVIDUAL)
    assert (copy["degree"], copy["bank_account"]) == ("master", BANK)
