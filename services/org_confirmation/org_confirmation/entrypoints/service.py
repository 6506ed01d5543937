"""org_confirmation's RPC interface and event handler. Thin: authorisation and transactions come from
``shared.service``, the rules from ``org_confirmation.use_cases``."""
from __future__ import annotations

from org_confirmation import use_cases
from shared.auth.roles import Role
from shared.contracts.todos import counts_for
from shared.events import Envelope
from shared.service import HealthCheck, Platform, RevocationConsumer, Tx, command, query, rpc, subscribe

COUNTY_ORG = [Role.COUNTY_ORG]
CITY_HRSS = [Role.CITY_HRSS]
CITY_ORG = [Role.CITY_ORG]
CASE_READERS = [Role.COUNTY_ORG, Role.CITY_HRSS, Role.CITY_ORG]
BATCH_READERS = [Role.CITY_HRSS, Role.CITY_ORG]


class OrgConfirmationService(RevocationConsumer, HealthCheck):
    name = "org_confirmation"

    platform = Platform()

    # -- hand-off from stage 7 ----------------------------------------------------------------
    @subscribe("application.reported_to_county_org")
    def on_reported_to_county_org(self, tx: Tx, event: Envelope) -> None:
        """上报县区组织部: open (or reopen for a new round) the application's case."""
        use_cases.receive_report(tx, event)

    # -- cases (stage 8 for the county org, the aggregation list for the city HRSS) ------------
    @rpc
    @query(roles=CASE_READERS, personal="org_case")
    def list_cases(self, tx: Tx, filters: dict | None = None, page: int = 1, page_size: int = 20) -> dict:
        """Cases in the caller's county or city; filters: status, county, city_batch_id, q."""
        return use_cases.list_cases(tx, filters, page, page_size)

    @rpc
    @query(roles=CASE_READERS)  # audits its own read (use case)
    def get_case(self, tx: Tx, application_id: str) -> dict:
        """One case with the applicant's data."""
        return use_cases.get_case(tx, application_id)

    @rpc
    @command(roles=COUNTY_ORG)
    def county_confirm(self, tx: Tx, application_ids: list, opinion: str | None = None) -> dict:
        """县区组织部确认 the ticked applications."""
        return use_cases.county_confirm(tx, application_ids, opinion)

    @rpc
    @command(roles=COUNTY_ORG)
    def county_return(self, tx: Tx, application_id: str, opinion: str) -> dict:
        """县区组织部退回 one application to the county HRSS review."""
        return use_cases.county_return(tx, application_id, opinion)

    # -- city batches (stage 9 by the city HRSS, stage 10 by the city org) ----------------------
    @rpc
    @command(roles=CITY_HRSS)
    def aggregate(self, tx: Tx, application_ids: list) -> dict:
        """市人社局汇总 the ticked county-confirmed applications into a city batch."""
        return use_cases.aggregate(tx, application_ids)

    @rpc
    @query(roles=BATCH_READERS, personal="city_batch")
    def list_batches(self, tx: Tx, filters: dict | None = None, page: int = 1, page_size: int = 20) -> dict:
        """City batches of the caller's city; filters: status, q (batch number)."""
        return use_cases.list_batches(tx, filters, page, page_size)

    @rpc
    @query(roles=BATCH_READERS, personal="city_batch")
    def get_batch(self, tx: Tx, batch_id: str) -> dict:
        """One city batch with its per-county totals and applications."""
        return use_cases.get_batch(tx, batch_id)

    @rpc
    @query(public=True)
    def verify_batch(self, tx: Tx, batch_id: str) -> dict:
        """扫码核验 of a printed 市级汇总表: number, status, count, amount; no personal data."""
        return use_cases.verify_batch(tx, batch_id)

    @rpc
    @command(roles=CITY_ORG)
    def city_confirm(self, tx: Tx, batch_id: str, opinion: str | None = None) -> dict:
        """市组织部确认 a city batch and notify city finance."""
        return use_cases.city_confirm(tx, batch_id, opinion)

    @rpc
    @command(roles=CITY_ORG)
    def city_return(self, tx: Tx, batch_id: str, opinion: str) -> dict:
        """市组织部退回 a city batch: every application in it goes back to stage 4."""
        return use_cases.city_return(tx, batch_id, opinion)

    @rpc
    @command(roles=CITY_ORG)
    def city_return_application(self, tx: Tx, batch_id: str, application_id: str, opinion: str) -> dict:
        """市组织部退回 one application of a city batch to stage 4; the rest of the batch stays."""
        return use_cases.city_return_application(tx, batch_id, application_id, opinion)

    # -- the portal -----------------------------------------------------------------------------
    @rpc
    @query()
    def todos(self, tx: Tx) -> list[dict]:
        """The caller's to-do counters (empty for roles this service does not serve)."""
        if not counts_for("org_confirmation", tx.principal.role):   # shared.contracts.todos
            return []
        return use_cases.todos(tx)

