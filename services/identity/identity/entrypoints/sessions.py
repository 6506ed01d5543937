"""identity's session RPCs: login, refresh, logout and the public keys."""
from __future__ import annotations

import json

from identity import use_cases
from identity.entrypoints.dependencies import Signer
from shared.service import Tx, command, query, rpc


class SessionRpcs:
    """Mixin of :class:`IdentityService`: sessions."""

    signer: Signer  # the service class's dependencies

    # -- sessions ------------------------------------------------------------------------------
    # refusals of these commands commit what they recorded first (failed logins, a code's wrong tries, the
    # revocation after a reused refresh token), then reach the caller: ``commit_on_error``
    @rpc(sensitive_arguments=("password",))
    @command(public=True, idempotent=False, commit_on_error=True)
    def login(self, tx: Tx, username: str, password: str, client_ip: str | None = None) -> dict:
        """Password login (普通登录) -> access and refresh token; ``client_ip`` (from the gateway) feeds
        the per-address limit."""
        return use_cases.login(tx, self.signer.signer, username, password, self.signer.refresh_ttl, client_ip)

    @rpc(sensitive_arguments=("refresh_token",))
    @command(public=True, idempotent=False, commit_on_error=True)
    def refresh(self, tx: Tx, refresh_token: str) -> dict:
        return use_cases.refresh(tx, self.signer.signer, refresh_token, self.signer.refresh_ttl)

    @rpc
    @command(idempotent=False)
    def logout(self, tx: Tx) -> dict:
        return use_cases.logout(tx)

    @rpc
    @query(public=True)
    def jwks(self, tx: Tx) -> dict:
        """The public keys services and integrators verify tokens with."""
        return json.loads(self.signer.jwks_file.read_text())
