"""Gateway settings from the environment, with safe local defaults."""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field


@dataclass
class Settings:
    amqp_uri: str = field(default_factory=lambda: os.environ.get("AMQP_URI", "pyamqp://guest:guest@127.0.0.1:5672//"))
    jwks_file: str = field(default_factory=lambda: os.environ.get("JWT_JWKS_FILE", "var/keys/jwks.json"))
    rpc_pool_size: int = field(default_factory=lambda: int(os.environ.get("GATEWAY_RPC_POOL", "8")))
    rpc_timeout: float = field(default_factory=lambda: float(os.environ.get("GATEWAY_RPC_TIMEOUT", "30")))
    # the portal's session cookie is signed with this; a random one per process is safe but logs
    # everyone out on restart, so deployments set it
    secret_key: str = field(default_factory=lambda: os.environ.get("GATEWAY_SECRET_KEY") or secrets.token_hex(32))
    secure_cookies: bool = field(default_factory=lambda: os.environ.get("GATEWAY_SECURE_COOKIES", "1") != "0")
    session_idle_minutes: int = field(default_factory=lambda: int(os.environ.get("PORTAL_IDLE_MINUTES", "30")))
