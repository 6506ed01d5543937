"""subsidy_review's RPC interface and event handlers. Thin: rules live in use_cases and domain."""
from __future__ import annotations

from datetime import datetime

from shared import jobs
from shared.auth.roles import Role
from shared.contracts import TIMELINE_EVENTS
from shared.contracts.todos import counts_for
from shared.service import HealthCheck, Platform, RevocationConsumer, Tx, command, query, rpc, subscribe
from subsidy_review import use_cases

REVIEWERS = [Role.UNIT_ADMIN, Role.COUNTY_HRSS]
READERS = [Role.INDIVIDUAL, Role.UNIT_ADMIN, Role.COUNTY_HRSS, Role.COUNTY_ORG, Role.COUNTY_FINANCE,
           Role.CITY_HRSS, Role.CITY_ORG, Role.CITY_FINANCE, Role.SYS_ADMIN]


class SubsidyReviewService(RevocationConsumer, HealthCheck):
    name = "subsidy_review"
    platform = Platform()

    # -- stage 1: the graduate ------------------------------------------------------------------
    @rpc
    @command(roles=[Role.INDIVIDUAL])
    def submit_application(self, tx: Tx, data: dict) -> dict:
        return use_cases.submit_application(tx, data or {})

    @rpc
    @command(roles=[Role.INDIVIDUAL])
    def resubmit_application(self, tx: Tx, application_id: str, data: dict) -> dict:
        return use_cases.resubmit_application(tx, application_id, data or {})

    @rpc
    @command(roles=[Role.INDIVIDUAL])
    def withdraw_application(self, tx: Tx, application_id: str) -> dict:
        return use_cases.withdraw_application(tx, application_id)

    @rpc
    @query(roles=[Role.INDIVIDUAL])
    def applicant_profile(self, tx: Tx) -> dict:
        return use_cases.applicant_profile(tx)

    # -- stages 2-4: unit clerk and county HRSS ------------------------------------------------
    @rpc
    @command(roles=REVIEWERS)
    def approve(self, tx: Tx, application_id: str, opinion: str | None = None) -> dict:
        return use_cases.approve(tx, application_id, opinion)

    @rpc
    @command(roles=REVIEWERS)
    def return_application(self, tx: Tx, application_id: str, opinion: str) -> dict:
        return use_cases.return_application(tx, application_id, opinion)

    @rpc
    @command(roles=[Role.UNIT_ADMIN])
    def report(self, tx: Tx, application_ids: list) -> dict:
        return use_cases.report(tx, application_ids or [])

    @rpc
    @command(roles=[Role.UNIT_ADMIN])
    def send_back(self, tx: Tx, application_id: str) -> dict:
        return use_cases.send_back(tx, application_id)

    @rpc
    @command(roles=[Role.UNIT_ADMIN])
    def bulk_approve_and_report(self, tx: Tx, application_ids: list | None = None) -> dict:
        return use_cases.bulk_approve_and_report(tx, application_ids)

    # one application per item: 500 a transaction, set-based (bulk_chunk), item by item if that fails
    @jobs.job(use_cases.BULK_APPROVE, batch=500, chunk=lambda self, tx, payloads: use_cases.bulk_chunk(tx, payloads))
    def bulk_approve_item(self, tx: Tx, payload: dict) -> dict:
        return use_cases.bulk_item(tx, payload)

    @rpc
    @query()
    def get_job(self, tx: Tx, job_id: str) -> dict:
        return use_cases.get_job(tx, job_id)

    # -- reading --------------------------------------------------------------------------------
    @rpc
    @command(roles=[Role.INDIVIDUAL])
    def record_attachment(self, tx: Tx, meta: dict) -> dict:
        """Keep the record of an uploaded application material (the bytes stay in the gateway's store)."""
        return use_cases.record_attachment(tx, meta)

    @rpc
    @query()
    def attachment_for_download(self, tx: Tx, attachment_id: str) -> dict:
        """An application material, for whoever reviews the application at stages 1-8 in its jurisdiction."""
        return use_cases.attachment_for_download(tx, attachment_id)

    @rpc
    @query(roles=READERS)  # audits its own read (use case)
    def get_application(self, tx: Tx, application_id: str) -> dict:
        return use_cases.get_application(tx, application_id)

    @rpc
    @query(roles=READERS, personal="application")
    def list_applications(self, tx: Tx, filters: dict | None = None, page: int = 1, page_size: int = 20) -> dict:
        return use_cases.list_applications(tx, filters or {}, page, page_size)

    @rpc
    @query(public=True)
    def verify_application(self, tx: Tx, application_id: str) -> dict:
        """扫码核验 of a printed 申请表: number, status, amount; no personal data."""
        return use_cases.verify_application(tx, application_id)

    @rpc
    @query(roles=READERS)
    def timeline(self, tx: Tx, application_id: str) -> dict:
        return use_cases.get_timeline(tx, application_id)

    @rpc
    @query(roles=READERS)
    def statistics(self, tx: Tx, filters: dict | None = None) -> dict:
        return use_cases.statistics(tx, filters or {})

    @rpc
    @query()
    def todos(self, tx: Tx) -> list:
        if not counts_for("subsidy_review", tx.principal.role):   # shared.contracts.todos
            return []
        return use_cases.todos(tx)

    @rpc
    @query()
    def get_policy(self, tx: Tx, city: str) -> dict:
        return use_cases.get_policy(tx, city)

    @rpc
    @command(roles=[Role.SYS_ADMIN])
    def set_policy(self, tx: Tx, city: str, standards_fen: dict, max_months: int, effective_from: str) -> dict:
        return use_cases.set_policy(tx, city, standards_fen, max_months, effective_from)

    @rpc
    @query()
    def list_windows(self, tx: Tx, city: str) -> dict:
        """申报期 of the city (policy data, readable by every logged-in caller)."""
        return use_cases.list_windows(tx, city)

    @rpc
    @command(roles=[Role.SYS_ADMIN])
    def add_window(self, tx: Tx, city: str, data: dict) -> dict:
        return use_cases.add_window(tx, city, data)

    @rpc
    @command(roles=[Role.SYS_ADMIN])
    def cancel_window(self, tx: Tx, window_id: str) -> dict:
        return use_cases.cancel_window(tx, window_id)


    # -- 各环节办理时限 and 环节用时统计 -----------------------------------------------------------------
    @rpc
    @query(roles=READERS)
    def get_stage_limits(self, tx: Tx, city: str) -> dict:
        return use_cases.get_stage_limits(tx, city)

    @rpc
    @command(roles=[Role.SYS_ADMIN])
    def set_stage_limits(self, tx: Tx, city: str, limits: list, effective_from: str) -> dict:
        return use_cases.set_stage_limits(tx, city, limits, effective_from)

    @rpc
    @query(roles=[Role.CITY_HRSS])
    def stage_time_report(self, tx: Tx, filters: dict | None = None, calendar: dict | None = None) -> dict:
        """``calendar``: the holiday schedule from its owner, publicity_assessment (the gateway asks it)."""
        return use_cases.stage_time_report(tx, filters or {}, calendar)

    @rpc
    @query()
    def overdue_todos(self, tx: Tx, calendar: dict | None = None, counters: dict | None = None) -> dict:
        """其中超时 N of each of the caller's to-do counters (the home page; ``calendar`` as stage_clocks),
        and of the other services' ``counters`` the gateway hands over (applications' statuses, batches' waits)."""
        return use_cases.overdue_todos(tx, calendar, counters)

    @rpc
    @query(roles=READERS)
    def stage_clocks(self, tx: Tx, application_ids: list, calendar: dict | None = None) -> dict:
        """Working days each application has waited at its current stage (the to-do lists' 超时 flag)."""
        return use_cases.stage_clocks(tx, application_ids, calendar)

    @rpc
    @query(roles=READERS)
    def batch_clocks(self, tx: Tx, waits: dict, calendar: dict | None = None) -> dict:
        """Working days each batch (``{id: {city, stage, since}}``, as its service says) has waited at its
        stage, by the same rule (the batch lists' 超时 flag)."""
        return use_cases.batch_clocks(tx, waits, calendar)

    # -- copies of units and applicants (unit_registry's events) ----------------------------------
    @subscribe("unit.approved")
    def on_unit_approved(self, tx: Tx, event):
        use_cases.upsert_unit(tx, event.data)

    @subscribe("unit.changed")
    def on_unit_changed(self, tx: Tx, event):
        use_cases.upsert_unit(tx, event.data)

    @subscribe("individual.approved")
    def on_individual_approved(self, tx: Tx, event):
        use_cases.upsert_applicant(tx, event.data, at=datetime.fromisoformat(event.time))

    @subscribe("individual.bank_account_changed")
    def on_individual_bank_account_changed(self, tx: Tx, event):
        use_cases.correct_bank_account(tx, event)

    @subscribe("individual.updated")
    def on_individual_updated(self, tx: Tx, event):
        use_cases.upsert_applicant(tx, event.data, status=event.data.get("status") or "approved")

    @subscribe("individual.left_unit")
    def on_individual_left_unit(self, tx: Tx, event):
        use_cases.upsert_applicant(tx, event.data, status="left")


def _timeline_handler(event_type: str):
    @subscribe(event_type)
    def handler(self, tx: Tx, event):
        use_cases.record_stage_event(tx, event)
    handler.__name__ = handler.__qualname__ = "on_" + event_type.replace(".", "_")
    return handler


# one handler (and queue) per stage event of the other authorities: the timeline and the status mirror
for _event_type in TIMELINE_EVENTS:
    _handler = _timeline_handler(_event_type)
    setattr(SubsidyReviewService, _handler.__name__, _handler)
