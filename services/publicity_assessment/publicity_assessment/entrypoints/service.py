"""publicity_assessment's RPC interface and event handler. Thin: authorisation and transactions come
from ``shared.service``, the rules from ``publicity_assessment.use_cases``."""
from __future__ import annotations

import logging

from publicity_assessment import use_cases
from shared.auth.roles import Role
from shared.contracts.todos import counts_for
from shared.errors import PlatformError
from shared.events import Envelope
from shared.service import (
    HealthCheck,
    Platform,
    RevocationConsumer,
    Tx,
    command,
    configured_timer,
    query,
    rpc,
    subscribe,
)

COUNTY = [Role.COUNTY_HRSS]
ADMIN = [Role.SYS_ADMIN]
log = logging.getLogger(__name__)


class PublicityAssessmentService(RevocationConsumer, HealthCheck):
    """Stages 5-7 of line A, run by the county HRSS: 公示, 评审, 上报县组织部."""

    name = "publicity_assessment"

    platform = Platform()

    # -- hand-off from subsidy_review ----------------------------------------------------------
    @subscribe("application.county_approved")
    def on_county_approved(self, tx: Tx, event: Envelope) -> None:
        use_cases.receive_county_approval(tx, event)

    # -- cases ---------------------------------------------------------------------------------
    @rpc
    @query(roles=COUNTY, personal="publicity_case")
    def list_cases(self, tx: Tx, filters: dict | None = None, page: int = 1, page_size: int = 20) -> dict:
        """The county's cases (待公示, 公示中, 待评审, ...), filtered by ``status`` and ``q``."""
        return use_cases.list_cases(tx, filters or {}, page, page_size)

    @rpc
    @query(roles=COUNTY, personal="publicity_case")
    def get_case(self, tx: Tx, application_id: str) -> dict:
        """One case with its batch and objections."""
        return use_cases.get_case(tx, application_id)

    # -- stage 5: publicity --------------------------------------------------------------------
    @rpc
    @command(roles=COUNTY)
    def start_publicity(self, tx: Tx, application_ids: list) -> dict:
        """Start a publicity batch with the ticked 待公示 applications."""
        return use_cases.start_publicity(tx, application_ids)

    @rpc
    @query(roles=COUNTY)
    def list_batches(self, tx: Tx, filters: dict | None = None, page: int = 1, page_size: int = 20) -> dict:
        """The county's publicity batches."""
        return use_cases.list_batches(tx, filters or {}, page, page_size)

    @rpc
    @query(roles=COUNTY)
    def get_batch(self, tx: Tx, batch_id: str) -> dict:
        """A publicity batch with its applications."""
        return use_cases.get_batch(tx, batch_id)

    @rpc
    @query(public=True)
    def verify_batch(self, tx: Tx, batch_id: str) -> dict:
        """扫码核验 of a printed 公示名单: number, status, count; no personal data."""
        return use_cases.verify_batch(tx, batch_id)

    @rpc
    @command(roles=COUNTY)
    def end_publicity(self, tx: Tx, batch_id: str) -> dict:
        """End a batch after its last day, once its objections are settled."""
        return use_cases.end_publicity(tx, batch_id)

    # every minute (PUBLICITY_END_INTERVAL_SECONDS), and once at start-up
    @configured_timer(60, "PUBLICITY_END_INTERVAL_SECONDS", eager=True)
    def end_due_publicity(self) -> int:
        """Publicity ends by the clock: every open batch whose last day is over (Asia/Shanghai) and that
        has no objection pending is ended, each in its own transaction; at start-up too, so batches
        that fell due while the service was down end at once. Returns how many were ended."""
        ended = 0
        for batch_id in self.platform.as_system(use_cases.due_batch_ids, correlation_id="timer:end_publicity"):
            try:
                if self.platform.as_system(use_cases.end_due_batch, batch_id,
                                           correlation_id=f"timer:end_publicity:{batch_id}") is not None:
                    ended += 1
            except PlatformError as exc:  # one batch that cannot end keeps none of the others waiting
                log.warning("publicity batch %s not ended by the timer: %s", batch_id, exc.code)
        if ended:
            log.info("timer ended %d publicity batches", ended)
        return ended

    @rpc
    @query(public=True)
    def public_publicity(self, tx: Tx, county: str | None = None, page: int = 1, page_size: int = 20) -> dict:
        """The public publicity notice (公示名单), names masked."""
        return use_cases.public_publicity(tx, county, page, page_size)

    # -- objections ----------------------------------------------------------------------------
    @rpc(sensitive_arguments=("data.contact_phone",))
    @command(public=True, idempotent=False)
    def lodge_objection(self, tx: Tx, data: dict, client_ip: str | None = None) -> dict:
        """Anyone objects to an application in publicity; ``client_ip`` (from the gateway) feeds the
        throttle of the public form."""
        return use_cases.lodge_objection(tx, data, client_ip)

    @rpc
    @query(roles=COUNTY, personal="objection")
    def list_objections(self, tx: Tx, filters: dict | None = None, page: int = 1, page_size: int = 20) -> dict:
        """The county's objections."""
        return use_cases.list_objections(tx, filters or {}, page, page_size)

    @rpc
    @query(roles=COUNTY, personal="objection")
    def get_objection(self, tx: Tx, objection_id: str) -> dict:
        """One objection with its application's number and applicant."""
        return use_cases.get_objection(tx, objection_id)

    @rpc
    @command(roles=COUNTY)
    def uphold_objection(self, tx: Tx, objection_id: str, opinion: str) -> dict:
        """异议成立: the application goes back to the county HRSS review."""
        return use_cases.uphold_objection(tx, objection_id, opinion)

    @rpc
    @command(roles=COUNTY)
    def dismiss_objection(self, tx: Tx, objection_id: str, opinion: str) -> dict:
        """异议不成立: the application stays in publicity."""
        return use_cases.dismiss_objection(tx, objection_id, opinion)

    # -- stages 6 and 7: assessment, report ----------------------------------------------------
    @rpc
    @command(roles=COUNTY)
    def assessment_pass(self, tx: Tx, application_ids: list) -> dict:
        """评审通过 for the ticked applications."""
        return use_cases.assessment_pass(tx, application_ids)

    @rpc
    @command(roles=COUNTY)
    def assessment_fail(self, tx: Tx, application_id: str, opinion: str) -> dict:
        """评审未通过 (final), with the reason."""
        return use_cases.assessment_fail(tx, application_id, opinion)

    @rpc
    @command(roles=COUNTY)
    def report_to_county_org(self, tx: Tx, application_ids: list) -> dict:
        """上报县组织部 for the ticked assessed applications."""
        return use_cases.report_to_county_org(tx, application_ids)

    # -- settings (platform admin) -------------------------------------------------------------
    @rpc
    @query(roles=ADMIN)
    def get_policy(self, tx: Tx, city: str) -> dict:
        """The city's publicity period (公示期)."""
        return use_cases.get_policy(tx, city)

    @rpc
    @command(roles=ADMIN)
    def set_policy(self, tx: Tx, city: str, days: int, counts_working_days: bool) -> dict:
        """Set the city's publicity period."""
        return use_cases.set_policy(tx, city, days, counts_working_days)

    @rpc
    @query(roles=ADMIN + COUNTY)
    def list_calendar_days(self, tx: Tx, year: int) -> dict:
        """The holiday schedule of one year."""
        return use_cases.list_calendar_days(tx, year)

    @rpc
    @query()   # the State Council's schedule is public; every logged-in reader may count with it
    def working_calendar(self, tx: Tx, first: str, last: str) -> dict:
        """The schedule's entries from ``first`` to ``last`` and the years confirmed complete: what
        another reader (the stage-time report) counts working days with."""
        return use_cases.working_calendar(tx, first, last)

    @rpc
    @command(roles=ADMIN)
    def set_calendar_day(self, tx: Tx, day: str, kind: str, name: str) -> dict:
        """Add or correct a day of the holiday schedule."""
        return use_cases.set_calendar_day(tx, day, kind, name)

    @rpc
    @command(roles=ADMIN)
    def confirm_calendar_year(self, tx: Tx, year: int) -> dict:
        """Confirm a year's holiday schedule complete: working-day periods may then run through it."""
        return use_cases.confirm_calendar_year(tx, year)

    # -- platform ------------------------------------------------------------------------------
    @rpc
    @query()
    def todos(self, tx: Tx) -> list:
        """To-do counters of the caller's role (county HRSS; the admin: holiday schedules missing)."""
        if not counts_for("publicity_assessment", tx.principal.role):   # shared.contracts.todos
            return []
        return use_cases.todos(tx)

