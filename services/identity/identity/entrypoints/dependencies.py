"""The token signer as a nameko dependency: the newest key in JWT_KEYS_DIR signs."""
from __future__ import annotations

import hashlib
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
        # the key of the SMS codes' hashes: SMS_CODE_SECRET, else derived from the signing key
        secret = config.get("SMS_CODE_SECRET") or ""
        self.code_secret = hashlib.sha256(secret.encode() if secret else b"sms|" + keys.private_pem(key)).digest()
        self.refresh_ttl = timedelta(hours=int(config.get("REFRESH_TOKEN_HOURS") or 12))
        self.jwks_file = directory / "jwks.json"

    def get_dependency(self, worker_ctx) -> "Signer":
        return self


class Sms(DependencyProvider):
    """The SMS sender port with the adapter ``SMS_SENDER`` names (``identity.sms``)."""

    def setup(self) -> None:
        self.config = self.container.config
        self.kind = (self.config.get("SMS_SENDER") or "disabled").strip().lower()
        self.sign = self.config.get("SMS_SIGN") or ""
        self._sender = None

    @property
    def dev_inbox_enabled(self) -> bool:
        return self.kind == "dev"

    def sender(self, engine, clock):
        if self._sender is None:
            from identity.sms import make_sender
            self._sender = make_sender(self.config, engine, clock)
        return self._sender

    def get_dependency(self, worker_ctx) -> "Sms":
        return self
