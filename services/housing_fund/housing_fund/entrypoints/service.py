"""housing_fund's RPC interface. Thin: authorisation and transactions come from ``shared.service``,
the rules from ``housing_fund.use_cases``."""
from __future__ import annotations

from housing_fund import use_cases
from shared.auth.roles import Role
from shared.service import HealthCheck, Platform, RevocationConsumer, Tx, query, rpc

BUREAU = [Role.HOUSING_BUREAU]
EMPLOYER = [Role.EMPLOYER]
EMPLOYEE = [Role.EMPLOYEE]
LINE_B = BUREAU + EMPLOYER + EMPLOYEE


class HousingFundService(RevocationConsumer, HealthCheck):
    """Line B, run by the housing bureau: employers, their employees and the ledger."""

    name = "housing_fund"

    platform = Platform()

    @rpc
    @query(roles=LINE_B)
    def me(self, tx: Tx) -> dict:
        """The caller as verified here (token, revocation)."""
        return use_cases.whoami(tx)

    # -- employers (单位信息) ---------------------------------------------------------------------
    @rpc
    @query(roles=BUREAU)
    def list_employers(self, tx: Tx, filters: dict | None = None, page: int = 1, page_size: int = 20) -> dict:
        """Employers (汇缴单位) of the bureau's area."""
        return use_cases.list_employers(tx, filters or {}, page, page_size)

    @rpc
    @query(roles=BUREAU + EMPLOYER)
    def get_employer(self, tx: Tx, employer_id: str) -> dict:
        """单位信息 with housing-subsidy information, registration rounds and change history."""
        return use_cases.get_employer(tx, employer_id)

    @rpc
    @query(roles=EMPLOYER)
    def my_employer(self, tx: Tx) -> dict:
        """The calling employer's own 单位信息."""
        return use_cases.my_employer(tx)

    @rpc
    @query(roles=EMPLOYER)
    def receiving_employers(self, tx: Tx, q: str | None = None, page: int = 1, page_size: int = 20) -> dict:
        """Employers that may receive a transferred employee (选择转入单位)."""
        return use_cases.receiving_employers(tx, q, page, page_size)

    @rpc
    @query(roles=LINE_B)
    def get_levels(self, tx: Tx, region: str | None = None) -> dict:
        """The level table (级别与每月缴费金额) that applies in ``region``."""
        return use_cases.get_levels(tx, region)

    @rpc
    @query()
    def todos(self, tx: Tx) -> list[dict]:
        """To-do counters of the caller's role; empty for roles line B does not serve."""
        return []
