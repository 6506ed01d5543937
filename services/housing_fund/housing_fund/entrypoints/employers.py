"""housing_fund's RPCs about employers: 单位信息, levels, status, registration, migration and 单位信息变更."""
from __future__ import annotations

from housing_fund import use_cases
from housing_fund.entrypoints.roles import BUREAU, EMPLOYER, LINE_B
from housing_fund.use_cases import employer_status, levels
from shared.service import Tx, command, query, rpc


class EmployerRpcs:
    """Mixin of :class:`HousingFundService`: the employers' RPCs."""

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
    @command(roles=BUREAU)
    def set_levels(self, tx: Tx, effective_month: str, items: list, reason: str | None = None) -> dict:
        """级别维护: the bureau's whole level table from ``effective_month`` (this month or later) on."""
        return levels.set_levels(tx, effective_month, items, reason)

    @rpc
    @command(roles=BUREAU)
    def set_employer_status(self, tx: Tx, employer_id: str, action: str, reason: str) -> dict:
        """单位状态: defer (缓缴), resume (恢复正常), seal (封存) or close (销户), with a reason."""
        return employer_status.set_status(tx, employer_id, action, reason)

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

    # -- migration (迁移导入) by the bureau --------------------------------------------------------
    @rpc
    @query(roles=BUREAU)
    def migration_template(self, tx: Tx) -> dict:
        """The 迁移导入 template (.xlsx, base64): sheets 单位 and 职工."""
        return use_cases.migration_template(tx)

    @rpc
    @command(roles=BUREAU)
    def migrate(self, tx: Tx, filename: str, file_id: str) -> dict:
        """Import employers, rosters and accumulated periods/amounts from a file in the attachment store
        (``file_id`` = its SHA-256); all or nothing; re-run safe."""
        return use_cases.migrate(tx, filename, file_id)

    @rpc
    @query(roles=BUREAU)
    def list_migrations(self, tx: Tx, page: int = 1, page_size: int = 20) -> dict:
        """The bureau's migration runs."""
        return use_cases.list_migrations(tx, page, page_size)

    # -- 单位信息变更 (the bureau approves) -------------------------------------------------------------
    @rpc
    @command(roles=EMPLOYER)
    def request_employer_change(self, tx: Tx, data: dict, attachments: list | None = None,
                                reason: str | None = None) -> dict:
        """新增变更信息 with attachments; effective once the bureau approves."""
        return use_cases.changes.request_change(tx, data, attachments, reason)

    @rpc
    @query(roles=EMPLOYER + BUREAU)
    def list_employer_changes(self, tx: Tx, filters: dict | None = None, page: int = 1,
                              page_size: int = 20) -> dict:
        """单位信息变更 records (the employer's own, the bureau's area)."""
        return use_cases.changes.list_changes(tx, filters or {}, page, page_size)

    @rpc
    @query(roles=EMPLOYER + BUREAU)
    def get_employer_change(self, tx: Tx, change_id: str) -> dict:
        """One change request (查看)."""
        return use_cases.changes.get_change(tx, change_id)

    @rpc
    @command(roles=BUREAU)
    def approve_employer_change(self, tx: Tx, change_id: str, opinion: str | None = None) -> dict:
        """审核通过: the change takes effect."""
        return use_cases.changes.approve_change(tx, change_id, opinion)

    @rpc
    @command(roles=BUREAU)
    def return_employer_change(self, tx: Tx, change_id: str, opinion: str) -> dict:
        """退回 with an opinion."""
        return use_cases.changes.return_change(tx, change_id, opinion)
