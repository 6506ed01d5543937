"""The token signer as a nameko dependency: the newest key in JWT_KEYS_DIR signs."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from nameko.extensions import DependencyProvider

from shared.auth import keys
from shared.auth.tokens import TokenSigner
from shared.clock import clock_from_env


class Signer(DependencyProvider):
    def setup(self) -> None:
        config = self.container.config
        directory = Path(config.get("JWT_KEYS_DIR") or "var/keys")
        keys.ensure(directory)
        kid, key = keys.private_keys(directory)[-1]
        ttl = timedelta(minutes=int(config.get("ACCESS_TOKEN_MINUTES") or 30))
        self.signer = TokenSigner(key, kid, clock=clock_from_env(), ttl=ttl)
        self.refresh_ttl = timedelta(hours=int(config.get("REFRESH_TOKEN_HOURS") or 12))
        self.jwks_file = directory / "jwks.json"

    def get_dependency(self, worker_ctx) -> "Signer":
        return self
