"""unit_registry's RPC interface. Thin: authorisation and transactions come from ``shared.service``,
the rules from ``unit_registry.use_cases``."""
from __future__ import annotations

from shared.auth.roles import Role
from shared.contracts.todos import counts_for
from shared.service import HealthCheck, Platform, RevocationConsumer, Tx, command, query, rpc
from unit_registry import attachment_access, individual_registration, unit_registration, use_cases

INDIVIDUAL = [Role.INDIVIDUAL]
UNIT_ADMIN = [Role.UNIT_ADMIN]
# officers who look after units: the county HRSS of their county, the city departments of their city
UNIT_OFFICERS = list(unit_registration.UNIT_OFFICERS)
COUNTY_HRSS = [Role.COUNTY_HRSS]


class UnitRegistryService(RevocationConsumer, HealthCheck):
    name = "unit_registry"

    platform = Platform()

    # -- the graduate's registration (个人注册) ----------------------------------------------------
    @rpc
    @command(roles=INDIVIDUAL)
    def register_individual(self, tx: Tx, data: dict) -> dict:
        """个人注册 (with the 用户须知 version accepted): submitted to the unit of the caller's account."""
        return individual_registration.register_individual(tx, data or {})

    @rpc
    @command(roles=INDIVIDUAL)
    def resubmit_individual(self, tx: Tx, data: dict) -> dict:
        """A returned registration, corrected and submitted again (the 用户须知 accepted again)."""
        return individual_registration.resubmit_individual(tx, data or {})

    @rpc
    @query(roles=INDIVIDUAL)
    def my_registration(self, tx: Tx) -> dict:
        """The caller's own registration and its review status."""
        return use_cases.my_registration(tx)

    @rpc
    @command(roles=INDIVIDUAL)
    def change_bank_account(self, tx: Tx, bank_account: dict) -> dict:
        """修改银行账户 after approval (户名 stays the registered name)."""
        return use_cases.change_bank_account(tx, bank_account)

    @rpc
    @query(public=True)
    def check_individual_registration(self, tx: Tx, unit_id: str, data: dict) -> dict:
        """Dry run of 个人注册 before the account is created (nothing is written)."""
        return individual_registration.check_individual_registration(tx, unit_id, data or {})

    # -- the unit's review ----------------------------------------------------------------------
    @rpc
    @command(roles=UNIT_ADMIN)
    def approve_individual(self, tx: Tx, individual_id: str, opinion: str | None = None) -> dict:
        """审核通过 one registration of the clerk's unit."""
        return use_cases.approve_individual(tx, individual_id, opinion)

    @rpc
    @command(roles=UNIT_ADMIN)
    def return_individual(self, tx: Tx, individual_id: str, opinion: str) -> dict:
        """退回修改 with an opinion."""
        return use_cases.return_individual(tx, individual_id, opinion)

    @rpc
    @command(roles=UNIT_ADMIN)
    def approve_all_individuals(self, tx: Tx, individual_ids: list[str] | None = None) -> dict:
        """一键审核通过: all pending registrations of the unit (or the ticked ones)."""
        return use_cases.approve_all_individuals(tx, individual_ids)

    @rpc
    @query(roles=[Role.UNIT_ADMIN, Role.COUNTY_HRSS], personal="individual")
    def list_individuals(self, tx: Tx, filters: dict | None = None, page: int = 1, page_size: int = 20) -> dict:
        """People of the clerk's unit or of the county; filters ``status``, ``q``, ``unit_id``."""
        return use_cases.list_individuals(tx, filters or {}, page, page_size)

    @rpc
    @query(roles=[Role.INDIVIDUAL, Role.UNIT_ADMIN, Role.COUNTY_HRSS])  # audits its own read (use case)
    def get_individual(self, tx: Tx, individual_id: str) -> dict:
        """One person in full (an audited read of personal data)."""
        return use_cases.get_individual(tx, individual_id)

    # -- units ----------------------------------------------------------------------------------
    @rpc
    @query(roles=UNIT_ADMIN + UNIT_OFFICERS + [Role.SYS_ADMIN], personal="unit")  # admin: account checks
    def get_unit(self, tx: Tx, unit_id: str) -> dict:
        return use_cases.get_unit(tx, unit_id)

    @rpc
    @query(roles=UNIT_ADMIN)
    def my_unit(self, tx: Tx) -> dict:
        return use_cases.my_unit(tx)

    @rpc
    @query(roles=UNIT_OFFICERS, personal="unit")
    def list_units(self, tx: Tx, filters: dict | None = None, page: int = 1, page_size: int = 20) -> dict:
        """Units of the officer's jurisdiction; filters ``status``, ``q``, ``region``."""
        return use_cases.list_units(tx, filters or {}, page, page_size)

    @rpc
    @query(public=True)
    def list_approved_units(self, tx: Tx, region: str | None = None, q: str | None = None, page: int = 1,
                            page_size: int = 50) -> dict:
        """Approved units to choose from on the registration form (no login needed)."""
        return use_cases.list_approved_units(tx, region, q, page, page_size)

    # -- 单位注册 and its review by the county HRSS ----------------------------------------------------
    @rpc
    @query(public=True)
    def current_terms(self, tx: Tx, kind: str = "unit") -> dict:
        """用户须知 in force (unit or individual registration)."""
        return unit_registration.current_terms(tx, kind)

    @rpc
    @query(public=True)
    def check_unit_registration(self, tx: Tx, data: dict) -> dict:
        """Dry run of 单位注册 before the account is created (nothing is written)."""
        return unit_registration.check_unit_registration(tx, data or {})

    @rpc
    @command(roles=UNIT_ADMIN)
    def register_unit(self, tx: Tx, unit_id: str, data: dict) -> dict:
        """File the caller's unit as pending (the account was just created with this unit id)."""
        return unit_registration.register_unit(tx, unit_id, data or {})

    @rpc
    @command(roles=UNIT_ADMIN)
    def resubmit_unit(self, tx: Tx, unit_id: str, data: dict) -> dict:
        """A returned registration, corrected and submitted again."""
        return unit_registration.resubmit_unit(tx, unit_id, data or {})

    @rpc
    @command(roles=COUNTY_HRSS)
    def approve_unit(self, tx: Tx, unit_id: str, opinion: str | None = None) -> dict:
        return unit_registration.approve_unit(tx, unit_id, opinion)

    @rpc
    @command(roles=COUNTY_HRSS)
    def return_unit(self, tx: Tx, unit_id: str, opinion: str) -> dict:
        return unit_registration.return_unit(tx, unit_id, opinion)

    @rpc
    @query(roles=UNIT_ADMIN + UNIT_OFFICERS)
    def unit_history(self, tx: Tx, unit_id: str) -> list:
        """Every round of the unit's registration and changes."""
        return unit_registration.unit_history(tx, unit_id)

    # -- 单位信息管理 ---------------------------------------------------------------------------------
    @rpc
    @command(roles=UNIT_ADMIN)
    def update_unit(self, tx: Tx, data: dict) -> dict:
        """Save the unit's data; name, USCC and region changes wait for the county's review."""
        return unit_registration.update_unit(tx, data or {})

    @rpc
    @query(roles=UNIT_ADMIN + UNIT_OFFICERS)
    def list_unit_changes(self, tx: Tx, filters: dict | None = None, page: int = 1, page_size: int = 20) -> dict:
        return unit_registration.list_unit_changes(tx, filters or {}, page, page_size)

    @rpc
    @query(roles=UNIT_ADMIN + UNIT_OFFICERS)
    def get_unit_change(self, tx: Tx, change_id: str) -> dict:
        return unit_registration.get_unit_change(tx, change_id)

    @rpc
    @command(roles=COUNTY_HRSS)
    def approve_unit_change(self, tx: Tx, change_id: str, opinion: str | None = None) -> dict:
        return unit_registration.approve_unit_change(tx, change_id, opinion)

    @rpc
    @command(roles=COUNTY_HRSS)
    def return_unit_change(self, tx: Tx, change_id: str, opinion: str) -> dict:
        return unit_registration.return_unit_change(tx, change_id, opinion)

    # -- attachments (records only: the bytes stay in the gateway's store) --------------------------
    @rpc
    @command()
    def record_attachment(self, tx: Tx, meta: dict) -> dict:
        return attachment_access.record_attachment(tx, meta)

    @rpc
    @command(public=True)
    def record_public_attachment(self, tx: Tx, meta: dict) -> dict:
        return attachment_access.record_public_attachment(tx, meta)

    @rpc
    @query()
    def attachment_for_download(self, tx: Tx, attachment_id: str) -> dict:
        return attachment_access.attachment_for_download(tx, attachment_id)

    @rpc
    @query(public=True)
    def public_attachment(self, tx: Tx, attachment_id: str) -> dict:
        return attachment_access.public_attachment(tx, attachment_id)

    # -- portal ---------------------------------------------------------------------------------
    @rpc
    @query()
    def todos(self, tx: Tx) -> list[dict]:
        """To-do counters of the caller's role (您有【N】个个人注册账号待审核)."""
        if not counts_for("unit_registry", tx.principal.role):   # shared.contracts.todos
            return []
        return use_cases.todos(tx)

