"""Administration: identity's policy numbers, and accounts managed by the platform admin (everywhere) or a
unit's operator (within its unit; 信息维护-账号管理)."""
from __future__ import annotations

from identity import unit_accounts
from identity.adapters.repository import PolicyRepository
from identity.entrypoints.roles import ADMIN, MANAGERS
from shared.service import Tx, command, query, rpc


class AdministrationRpcs:
    """Mixin of :class:`IdentityService`: policy and account administration."""

    # -- identity's policy numbers (data): code lifetime and limits, initial password days, login limits
    @rpc
    @query(roles=ADMIN)
    def get_policy(self, tx: Tx) -> dict:
        return {"items": tx.repository(PolicyRepository).describe()}

    @rpc
    @command(roles=ADMIN)
    def set_policy(self, tx: Tx, changes: dict) -> dict:
        settings = tx.repository(PolicyRepository)
        before = settings.load()
        stored = settings.store(changes if isinstance(changes, dict) else {}, tx.now)
        tx.audit("identity.policy_update", "policy", "identity", before={k: before[k] for k in stored},
                 after=stored)
        return {"items": settings.describe()}

    # -- administration: the platform admin everywhere, a unit's operator within its unit (信息维护-账号管理)
    @rpc(sensitive_arguments=("data.password",))
    @command(roles=MANAGERS)
    def create_account(self, tx: Tx, data: dict) -> dict:
        return unit_accounts.create_account(tx, data or {})

    @rpc
    @query(roles=MANAGERS)
    def list_accounts(self, tx: Tx, filters: dict | None = None, page: int = 1, page_size: int = 20) -> dict:
        return unit_accounts.list_accounts(tx, filters or {}, page, page_size)

    @rpc
    @query(roles=MANAGERS)
    def get_account(self, tx: Tx, account_id: str) -> dict:
        return unit_accounts.get_account(tx, account_id)

    @rpc
    @command(roles=MANAGERS)
    def update_account(self, tx: Tx, account_id: str, data: dict) -> dict:
        return unit_accounts.update_account(tx, account_id, data)

    @rpc
    @command(roles=MANAGERS)
    def deactivate_account(self, tx: Tx, account_id: str) -> dict:
        return unit_accounts.set_status(tx, account_id, active=False)

    @rpc
    @command(roles=MANAGERS)
    def reactivate_account(self, tx: Tx, account_id: str) -> dict:
        return unit_accounts.set_status(tx, account_id, active=True)

    @rpc(sensitive_arguments=("new_password",))
    @command(roles=MANAGERS)
    def reset_password(self, tx: Tx, account_id: str, new_password: str) -> dict:
        return unit_accounts.reset_password(tx, account_id, new_password)
