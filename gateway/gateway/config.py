"""Gateway settings from the environment, with safe local defaults."""
from __future__ import annotations

import os
from dataclasses import dataclass, field


@dataclass
class Settings:
    amqp_uri: str = field(default_factory=lambda: os.environ.get("AMQP_URI", "pyamqp://guest:guest@127.0.0.1:5672//"))
    jwks_file: str = field(default_factory=lambda: os.environ.get("JWT_JWKS_FILE", "var/keys/jwks.json"))
    rpc_pool_size: int = field(default_factory=lambda: int(os.environ.get("GATEWAY_RPC_POOL", "8")))
    rpc_timeout: float = field(default_factory=lambda: float(os.environ.get("GATEWAY_RPC_TIMEOUT", "30")))
    # the portal's session cookie is encrypted with a key derived from this; one value for every
    # worker and replica. Required: create_app refuses a missing or placeholder secret
    # (gateway.cookies.check_secret); `make run` generates one per stack.
    secret_key: str | None = field(default_factory=lambda: os.environ.get("GATEWAY_SECRET_KEY"))
    secure_cookies: bool = field(default_factory=lambda: os.environ.get("GATEWAY_SECURE_COOKIES", "1") != "0")
    session_idle_minutes: int = field(default_factory=lambda: int(os.environ.get("PORTAL_IDLE_MINUTES", "30")))
    # how long the holiday schedule is kept between page renders (gateway.holidays); 0 asks every time
    calendar_ttl_seconds: float = field(
        default_factory=lambda: float(os.environ.get("GATEWAY_CALENDAR_TTL_SECONDS", "60")))
