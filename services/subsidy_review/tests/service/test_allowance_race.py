"""Money safety against the real database: one person's submissions race and only one wins; the
longest period and overlaps hold across applications, at submission and at the county approval."""
from __future__ import annotations

import eventlet
import pytest
from eventlet import patcher
from nameko.exceptions import RemoteError
from sqlalchemy import create_engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from shared.auth.principal import Principal
from shared.clock import SystemClock
from shared.errors import PlatformError
from shared.service import Tx
from shared.testing.helpers import remote_code, scalar
from subsidy_review import use_cases
from subsidy_review.adapters.repository import ApplicationRepository

from .test_subsidy_review import error, people, submit, svc  # noqa: F401  (people: the fixture)

threading = patcher.original("threading")  # real OS threads: psycopg2 waits on a lock without the hub

FORM_A = {"degree": "bachelor", "months": 12, "start_date": "2026-07-01"}
FORM_B = {"degree": "bachelor", "months": 12, "start_date": "2027-07-01"}


class Gate:
    """Holds each racing transaction just after it looked for the person's other applications, until the
    other one has looked too (or 2 s passed: with the row lock, the second waits before it can look)."""

    def __init__(self) -> None:
        self.barrier = threading.Barrier(2, timeout=2)
        self.met = False

    def repository(self, gate: Gate):
        class Racing(ApplicationRepository):
            def active_number(self, individual_id, statuses):
                found = super().active_number(individual_id, statuses)
                try:
                    gate.barrier.wait()
                    gate.met = True
                except threading.BrokenBarrierError:
                    pass
                return found
        return Racing

    def submit(self, url: str, account_id: str, form: dict, outcomes: list) -> None:
        engine = create_engine(url, poolclass=NullPool)
        try:
            with Session(engine) as session, session.begin():
                tx = Tx(session=session, principal=Principal(account_id=account_id, role="individual"),
                        service="subsidy_review", clock=SystemClock())
                tx._repositories[ApplicationRepository] = self.repository(self)(session)
                outcomes.append(use_cases.submit_application(tx, form)["status"])
        except PlatformError as exc:
            outcomes.append((exc.status, exc.code))
        finally:
            engine.dispose()


def test_two_submissions_at_the_same_moment_one_wins_the_other_is_409(subsidy_review_config, people):  # noqa: F811
    url, account = people["url"], people["graduate_account"]
    gate, outcomes = Gate(), []
    racers = [threading.Thread(target=gate.submit, args=(url, account, form, outcomes)) for form in (FORM_A, FORM_B)]
    for racer in racers:
        racer.start()
    for racer in racers:
        while racer.is_alive():  # join without blocking the hub for long
            racer.join(0.05)
            eventlet.sleep(0)
    assert not gate.met, "both transactions looked before either wrote: the person's row is not locked"
    assert sorted(outcomes, key=str) == [(409, "application.already_active"), "pending_unit_review"]
    assert scalar(url, "SELECT count(*) FROM applications") == 1
    assert scalar(url, "SELECT count(DISTINCT event_id) FROM platform_outbox "
                       "WHERE event_type = 'application.submitted'") == 1
    assert scalar(url, "SELECT count(*) FROM timeline") == 1


def test_two_submissions_through_the_service_at_once_leave_one_application(subsidy_review_config, people):  # noqa: F811
    cfg = subsidy_review_config

    def send(form):
        try:
            return svc(cfg, "submit_application", form, token=people["graduate"])["status"]
        except RemoteError as exc:
            return remote_code(exc)

    outcomes = list(eventlet.GreenPool(2).imap(send, [FORM_A, FORM_B]))
    assert sorted(outcomes, key=str) == [(409, "application.already_active"), "pending_unit_review"]
    assert scalar(people["url"], "SELECT count(*) FROM applications") == 1


def _grant(url: str, app_id: str) -> None:
    """The application went all the way (its later stages are other services' events)."""
    engine = create_engine(url, poolclass=NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE applications SET status = 'receipt_confirmed' WHERE id = %s", (app_id,))
    engine.dispose()


def test_degree_allowance_and_overlap_through_the_service(subsidy_review_config, people):  # noqa: F811
    cfg, token = subsidy_review_config, people["graduate"]
    assert error(cfg, "submit_application", {"degree": "doctor", "months": 36, "start_date": "2026-07-01"},
                 token=token) == (400, "application.degree_mismatch")
    assert scalar(people["url"], "SELECT count(*) FROM applications") == 0
    first = svc(cfg, "submit_application", {**FORM_A, "months": 24, "start_date": "2025-07-01"},
                token=token)  # 2025-07-01 .. 2027-06-30
    _grant(people["url"], first["id"])
    assert error(cfg, "submit_application", {**FORM_B, "months": 13}, token=token) == (
        409, "application.months_exceed_allowance")
    assert error(cfg, "submit_application", {**FORM_B, "months": 6, "start_date": "2027-06-01"}, token=token) == (
        409, "application.period_overlap")
    assert scalar(people["url"], "SELECT count(*) FROM applications") == 1
    assert svc(cfg, "submit_application", FORM_B, token=token)["months"] == 12


@pytest.mark.parametrize("late", ["overlap", "allowance"])
def test_the_county_approval_checks_again(subsidy_review_config, people, late):  # noqa: F811
    cfg, url = subsidy_review_config, people["url"]
    app = submit(cfg, people, months=12)  # 2026-07-01 .. 2027-06-30
    svc(cfg, "approve", app["id"], None, token=people["unit"])
    svc(cfg, "report", [app["id"]], token=people["unit"])
    # meanwhile an application of the same person was granted (e.g. entered before this check existed)
    start, months = ("2027-01-01", 6) if late == "overlap" else ("2022-01-01", 30)
    engine = create_engine(url, poolclass=NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO applications SELECT (md5(random()::text)::uuid)::text, 'BZ-OLD', individual_id, "
            "account_id, unit_id, unit_name, county, city, applicant_name, id_type, id_number, mobile, degree, "
            "%s::date, %s, standard_fen, amount_fen, policy_version, work_history, bank_account, "
            "'receipt_confirmed' FROM applications WHERE id = %s", (start, months, app["id"]))
    engine.dispose()
    code = {"overlap": "application.period_overlap", "allowance": "application.months_exceed_allowance"}[late]
    assert error(cfg, "approve", app["id"], None, token=people["county"]) == (409, code)
    assert svc(cfg, "get_application", app["id"], token=people["county"])["status"] == "pending_county_review"
