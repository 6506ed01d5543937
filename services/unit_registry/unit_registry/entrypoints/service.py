"""unit_registry's RPC interface. Thin: authorisation and transactions come from ``shared.service``,
the rules from ``unit_registry.use_cases``."""
from __future__ import annotations

from shared.auth.roles import Role
from shared.service import HealthCheck, Platform, RevocationConsumer, command, query, rpc
from unit_registry import use_cases

INDIVIDUAL = [Role.INDIVIDUAL]
UNIT_ADMIN = [Role.UNIT_ADMIN]
# officers who look after units: the county HRSS of their county, the city departments of their city
UNIT_OFFICERS = [Role.COUNTY_HRSS, Role.CITY_HRSS, Role.CITY_ORG, Role.CITY_FINANCE]


class UnitRegistryService(RevocationConsumer, HealthCheck):
    name = "unit_registry"

    platform = Platform()

    # -- the graduate's registration (个人注册) ----------------------------------------------------
    @rpc
    @command(roles=INDIVIDUAL)
    def register_individual(self, tx, data: dict) -> dict:
        """个人注册: submitted to the unit of the caller's account for review."""
        return use_cases.register_individual(tx, data or {})

    @rpc
    @command(roles=INDIVIDUAL)
    def resubmit_individual(self, tx, data: dict) -> dict:
        """A returned registration, corrected and submitted again."""
        return use_cases.resubmit_individual(tx, data or {})

    @rpc
    @query(roles=INDIVIDUAL)
    def my_registration(self, tx) -> dict:
        """The caller's own registration and its review status."""
        return use_cases.my_registration(tx)

    # -- the unit's review ----------------------------------------------------------------------
    @rpc
    @command(roles=UNIT_ADMIN)
    def approve_individual(self, tx, individual_id: str, opinion: str | None = None) -> dict:
        """审核通过 one registration of the clerk's unit."""
        return use_cases.approve_individual(tx, individual_id, opinion)

    @rpc
    @command(roles=UNIT_ADMIN)
    def return_individual(self, tx, individual_id: str, opinion: str) -> dict:
        """退回修改 with an opinion."""
        return use_cases.return_individual(tx, individual_id, opinion)

    @rpc
    @command(roles=UNIT_ADMIN)
    def approve_all_individuals(self, tx, individual_ids: list[str] | None = None) -> dict:
        """一键审核通过: all pending registrations of the unit (or the ticked ones)."""
        return use_cases.approve_all_individuals(tx, individual_ids)

    @rpc
    @query(roles=[Role.UNIT_ADMIN, Role.COUNTY_HRSS], personal="individual")
    def list_individuals(self, tx, filters: dict | None = None, page: int = 1, page_size: int = 20) -> dict:
        """People of the clerk's unit or of the county; filters ``status``, ``q``, ``unit_id``."""
        return use_cases.list_individuals(tx, filters or {}, page, page_size)

    @rpc
    @query(roles=[Role.INDIVIDUAL, Role.UNIT_ADMIN, Role.COUNTY_HRSS])  # audits its own read (use case)
    def get_individual(self, tx, individual_id: str) -> dict:
        """One person in full (an audited read of personal data)."""
        return use_cases.get_individual(tx, individual_id)

    # -- units ----------------------------------------------------------------------------------
    @rpc
    @query(roles=UNIT_ADMIN + UNIT_OFFICERS + [Role.SYS_ADMIN], personal="unit")  # admin: account checks
    def get_unit(self, tx, unit_id: str) -> dict:
        return use_cases.get_unit(tx, unit_id)

    @rpc
    @query(roles=UNIT_ADMIN)
    def my_unit(self, tx) -> dict:
        return use_cases.my_unit(tx)

    @rpc
    @query(roles=UNIT_OFFICERS, personal="unit")
    def list_units(self, tx, filters: dict | None = None, page: int = 1, page_size: int = 20) -> dict:
        """Units of the officer's jurisdiction; filters ``status``, ``q``, ``region``."""
        return use_cases.list_units(tx, filters or {}, page, page_size)

    @rpc
    @query(public=True)
    def list_approved_units(self, tx, region: str | None = None, q: str | None = None, page: int = 1,
                            page_size: int = 50) -> dict:
        """Approved units to choose from on the registration form (no login needed)."""
        return use_cases.list_approved_units(tx, region, q, page, page_size)

    # -- portal ---------------------------------------------------------------------------------
    @rpc
    @query()
    def todos(self, tx) -> list[dict]:
        """To-do counters of the caller's role (您有【N】个个人注册账号待审核)."""
        return use_cases.todos(tx)

