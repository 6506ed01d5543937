"""housing_fund's RPC interface. Thin: authorisation and transactions come from ``shared.service``,
the rules from ``housing_fund.use_cases``."""
from __future__ import annotations

from housing_fund import use_cases
from housing_fund.entrypoints.employees import EmployeeRpc
from shared.auth.roles import Role
from shared.service import HealthCheck, Platform, RevocationConsumer, Tx, command, query, rpc

BUREAU = [Role.HOUSING_BUREAU]
EMPLOYER = [Role.EMPLOYER]
EMPLOYEE = [Role.EMPLOYEE]
LINE_B = BUREAU + EMPLOYER + EMPLOYEE


class HousingFundService(EmployeeRpc, RevocationConsumer, HealthCheck):
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

    # -- registration (注册新单位): the gateway has verified ``mobile`` by SMS code ------------------
    @rpc(sensitive_arguments=("mobile",))
    @command(public=True)
    def register_employer(self, tx: Tx, mobile: str, data: dict) -> dict:
        """Submit an employer's registration (basic data and attachments)."""
        return use_cases.register_employer(tx, mobile, data)

    @rpc(sensitive_arguments=("mobile",))
    @query(public=True)
    def my_registrations(self, tx: Tx, mobile: str) -> dict:
        """The registrations of the verified contact mobile, with their rounds and opinions."""
        return use_cases.my_registrations(tx, mobile)

    @rpc(sensitive_arguments=("mobile",))
    @command(public=True)
    def resubmit_employer(self, tx: Tx, mobile: str, employer_id: str, data: dict) -> dict:
        """Correct a returned registration and submit it again (a new round)."""
        return use_cases.resubmit_employer(tx, mobile, employer_id, data)

    @rpc
    @command(roles=BUREAU)
    def approve_employer(self, tx: Tx, employer_id: str, opinion: str | None = None) -> dict:
        """审核通过: assigns the trade code; identity then creates the employer's login."""
        return use_cases.approve_employer(tx, employer_id, opinion)

    @rpc
    @command(roles=BUREAU)
    def return_employer(self, tx: Tx, employer_id: str, opinion: str) -> dict:
        """退回修改 with an opinion."""
        return use_cases.return_employer(tx, employer_id, opinion)

    @rpc
    @query()
    def todos(self, tx: Tx) -> list[dict]:
        """To-do counters of the caller's role; empty for roles line B does not serve."""
        return use_cases.todos(tx)
