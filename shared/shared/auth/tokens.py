"""Access tokens: RS256 JWTs with a ``kid``, issued by identity, verified by every service.

Time checks use the injectable clock (not PyJWT's wall clock) so tests and demos that move time
stay consistent across processes. Revocation is checked separately (``shared.auth.revocation``)
against the service's own table, fed by identity's events.
"""
from __future__ import annotations

import json
import os
import threading
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from shared.auth.principal import Principal
from shared.clock import Clock, SystemClock
from shared.errors import Unauthenticated

ISSUER = "subsidy-platform/identity"
AUDIENCE = "subsidy-platform"
ALGORITHM = "RS256"
#: an integrator's read-only feed token (event_feed, GET /api/v1/events) starts so; it is no JWT
FEED_TOKEN_PREFIX = "feed_"
DEFAULT_ACCESS_TTL = timedelta(minutes=30)


class TokenSigner:
    """Signs access tokens with one private key (identity only)."""

    def __init__(self, private_key: rsa.RSAPrivateKey, kid: str, clock: Clock | None = None,
                 ttl: timedelta = DEFAULT_ACCESS_TTL) -> None:
        self.private_key, self.kid, self.clock, self.ttl = private_key, kid, clock or SystemClock(), ttl

    def issue(self, *, account_id: str, role: str, region: str | None, unit_id: str | None,
              name: str | None, token_version: int, ttl: timedelta | None = None,
              password_change: bool = False) -> tuple[str, dict[str, Any]]:
        now = self.clock.now()
        claims = {
            "iss": ISSUER, "aud": AUDIENCE, "sub": account_id, "role": role, "region": region,
            "unit": unit_id, "name": name, "ver": token_version, "jti": uuid.uuid4().hex,
            "iat": int(now.timestamp()), "exp": int((now + (ttl or self.ttl)).timestamp()), "typ": "access",
        }
        if password_change:  # an initial or reset password: only the password may be changed (pwc)
            claims["pwc"] = True
        token = jwt.encode(claims, self.private_key, algorithm=ALGORITHM, headers={"kid": self.kid})
        return token, claims


class TokenVerifier:
    """Verifies tokens against the public keys in a JWKS file (re-read when the file changes)."""

    def __init__(self, jwks_file: str | Path | None = None, clock: Clock | None = None,
                 leeway_seconds: int = 30) -> None:
        self.jwks_file = Path(jwks_file or os.environ.get("JWT_JWKS_FILE", "var/keys/jwks.json"))
        self.clock = clock or SystemClock()
        self.leeway = leeway_seconds
        self._keys: dict[str, object] = {}
        self._mtime: float | None = None
        self._lock = threading.Lock()

    def _key(self, kid: str) -> Any:  # a public key object of PyJWT's, or None
        try:
            mtime = self.jwks_file.stat().st_mtime
        except OSError:
            raise Unauthenticated("令牌公钥不可用", code="auth.keys_unavailable") from None
        with self._lock:
            if mtime != self._mtime:
                jwks = json.loads(self.jwks_file.read_text())
                self._keys = {k["kid"]: RSAAlgorithm.from_jwk(json.dumps(k)) for k in jwks.get("keys", [])}
                self._mtime = mtime
            return self._keys.get(kid)

    def verify(self, token: str | None) -> Principal:
        """The principal of a valid token; :class:`Unauthenticated` (401) otherwise."""
        if not token:
            raise Unauthenticated("请先登录", code="auth.token_missing")
        if token.lower().startswith("bearer "):
            token = token[7:].strip()
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise Unauthenticated("令牌格式无效", code="auth.token_invalid") from None
        if header.get("alg") != ALGORITHM:
            raise Unauthenticated("令牌算法无效", code="auth.token_invalid")
        key = self._key(str(header.get("kid")))
        if key is None:
            raise Unauthenticated("令牌签名密钥未知", code="auth.token_invalid")
        try:
            claims = jwt.decode(token, key, algorithms=[ALGORITHM], audience=AUDIENCE, issuer=ISSUER,
                                options={"require": ["exp", "iat", "sub", "jti", "role"],
                                         "verify_exp": False, "verify_iat": False, "verify_nbf": False})
        except jwt.PyJWTError:
            raise Unauthenticated("令牌无效", code="auth.token_invalid") from None
        now = self.clock.now().timestamp()
        if claims["exp"] + self.leeway < now:
            raise Unauthenticated("登录已过期，请重新登录", code="auth.token_expired")
        if claims.get("typ") != "access":
            raise Unauthenticated("令牌类型无效", code="auth.token_invalid")
        return Principal(account_id=claims["sub"], role=claims["role"], region=claims.get("region"),
                         unit_id=claims.get("unit"), name=claims.get("name"), jti=claims["jti"],
                         token_version=int(claims.get("ver", 0)), expires_at=int(claims["exp"]),
                         password_change_required=bool(claims.get("pwc", False)))
