"""identity's RPC interface. Thin: authorisation and transactions come from ``shared.service``,
the rules from ``identity.use_cases``."""
from __future__ import annotations

import json

from identity import use_cases
from identity.entrypoints.dependencies import Signer
from shared.auth.roles import Role
from shared.errors import from_remote
from shared.service import HealthCheck, Platform, command, query, rpc

ADMIN = [Role.SYS_ADMIN]


def _raise_if_error(result: dict) -> dict:
    if isinstance(result, dict) and "error" in result:
        err = result["error"]
        raise from_remote("PlatformError", json.dumps({**err, "details": err.get("details", {})}))
    return result


class IdentityService(HealthCheck):
    name = "identity"

    platform = Platform()
    signer = Signer()

    # -- sessions ------------------------------------------------------------------------------
    @rpc(sensitive_arguments=("password",))
    def login(self, username: str, password: str) -> dict:
        """Password login (普通登录) -> access and refresh token."""
        return _raise_if_error(self._login(username, password))

    @command(public=True, idempotent=False)
    def _login(self, tx, username, password):
        return use_cases.login(tx, self.signer.signer, username, password, self.signer.refresh_ttl)

    @rpc(sensitive_arguments=("refresh_token",))
    def refresh(self, refresh_token: str) -> dict:
        return _raise_if_error(self._refresh(refresh_token))

    @command(public=True, idempotent=False)
    def _refresh(self, tx, refresh_token):
        return use_cases.refresh(tx, self.signer.signer, refresh_token, self.signer.refresh_ttl)

    @rpc
    @command(idempotent=False)
    def logout(self, tx) -> dict:
        return use_cases.logout(tx)

    @rpc
    @query(public=True)
    def jwks(self, tx) -> dict:
        """The public keys services and integrators verify tokens with."""
        return json.loads(self.signer.jwks_file.read_text())

    # -- the caller's own account (账号管理) ------------------------------------------------------
    @rpc
    @query()
    def me(self, tx) -> dict:
        return use_cases.get_account(tx, tx.principal.account_id)

    @rpc
    @command()
    def update_profile(self, tx, data: dict) -> dict:
        return use_cases.update_profile(tx, data or {})

    @rpc(sensitive_arguments=("old_password", "new_password"))
    @command()
    def change_password(self, tx, old_password: str, new_password: str) -> dict:
        return use_cases.change_password(tx, self.signer.signer, old_password, new_password,
                                         self.signer.refresh_ttl)

    # -- administration -----------------------------------------------------------------------
    @rpc(sensitive_arguments=("data.password",))
    @command(roles=ADMIN)
    def create_account(self, tx, data: dict) -> dict:
        return use_cases.create_account(tx, data or {})

    @rpc
    @query(roles=ADMIN)
    def list_accounts(self, tx, filters: dict | None = None, page: int = 1, page_size: int = 20) -> dict:
        return use_cases.list_accounts(tx, filters or {}, page, page_size)

    @rpc
    @query(roles=ADMIN)
    def get_account(self, tx, account_id: str) -> dict:
        return use_cases.get_account(tx, account_id)

    @rpc
    @command(roles=ADMIN)
    def deactivate_account(self, tx, account_id: str) -> dict:
        return use_cases.set_status(tx, account_id, active=False)

    @rpc
    @command(roles=ADMIN)
    def reactivate_account(self, tx, account_id: str) -> dict:
        return use_cases.set_status(tx, account_id, active=True)

    @rpc(sensitive_arguments=("new_password",))
    @command(roles=ADMIN)
    def reset_password(self, tx, account_id: str, new_password: str) -> dict:
        return use_cases.reset_password(tx, account_id, new_password)

