"""housing_fund's RPC interface. Thin: authorisation and transactions come from ``shared.service``,
the rules from ``housing_fund.use_cases``."""
from __future__ import annotations

from housing_fund import use_cases
from shared.auth.roles import Role
from shared.service import HealthCheck, Platform, RevocationConsumer, query, rpc

BUREAU = [Role.HOUSING_BUREAU]


class HousingFundService(RevocationConsumer, HealthCheck):
    name = "housing_fund"

    platform = Platform()

    @rpc
    @query(roles=BUREAU)
    def me(self, tx) -> dict:
        """The calling housing-bureau officer, as verified here (token, revocation)."""
        return use_cases.whoami(tx)

    @rpc
    @query(roles=BUREAU)
    def list_employers(self, tx, filters: dict | None = None, page: int = 1, page_size: int = 20) -> dict:
        """Employers (缴存单位) of the bureau's area."""
        return use_cases.list_employers(tx, filters or {}, page, page_size)

    @rpc
    @query()
    def todos(self, tx) -> list[dict]:
        """To-do counters; line B's reviews (registrations, remittances) arrive with its own issues."""
        return []

