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


#: how many verified tokens a verifier remembers (one per active session is plenty)
VERIFIED_CACHE_SIZE = 4096


class TokenVerifier:
    """Verifies tokens against the public keys in a JWKS file (re-read when the file changes).

    The gateway and every service verify the caller's token on each request and each RPC, and PyJWT's
    parse (it checks every character of the token, twice with the header read first) made that about a
    millisecond each: a to-do page (7 services) spent more on it than on its queries (issue 15). A token
    whose signature checked out is remembered (its exact text -> its claims) while the key file is
    unchanged; expiry and type are still checked on every use, against the clock, and revocation is the
    service's own check in its database as before. Any other text, a changed key file or a new key is
    verified in full."""

    def __init__(self, jwks_file: str | Path | None = None, clock: Clock | None = None,
                 leeway_seconds: int = 30) -> None:
        self.jwks_file = Path(jwks_file or os.environ.get("JWT_JWKS_FILE", "var/keys/jwks.json"))
        self.clock = clock or SystemClock()
        self.leeway = leeway_seconds
        self._keys: dict[str, object] = {}
        self._key_file: tuple[int, int, int] | None = None
        self._lock = threading.Lock()
        self._verified: dict[str, dict[str, Any]] = {}   # token -> claims, for the keys of ``_key_file``

    def _key(self, kid: str) -> tuple[Any, tuple[int, int, int]]:
        """A public key object of PyJWT's (or None) and the key file's identity it was read at."""
        identity = self._key_file_identity()
        with self._lock:
            if identity != self._key_file:
                jwks = json.loads(self.jwks_file.read_text())
                self._keys = {k["kid"]: RSAAlgorithm.from_jwk(json.dumps(k)) for k in jwks.get("keys", [])}
                self._key_file = identity
                self._verified = {}
            return self._keys.get(kid), identity

    def _key_file_identity(self) -> tuple[int, int, int]:
        """The key file's identity: mtime (ns), size and inode (a rewrite within one mtime tick still shows)."""
        try:
            st = self.jwks_file.stat()
            return st.st_mtime_ns, st.st_size, st.st_ino
        except OSError:
            raise Unauthenticated("令牌公钥不可用", code="auth.keys_unavailable") from None

    def _remembered(self, token: str) -> dict[str, Any] | None:
        """The claims of ``token`` if it was verified with the keys the file still holds."""
        claims = self._verified.get(token)
        if claims is None:
            return None
        if self._key_file_identity() != self._key_file:   # the keys changed: verify again with the new ones
            return None
        return claims

    def _remember(self, token: str, claims: dict[str, Any], identity: tuple[int, int, int]) -> None:
        with self._lock:
            if identity != self._key_file:   # the keys changed meanwhile
                return
            while len(self._verified) >= VERIFIED_CACHE_SIZE:
                del self._verified[next(iter(self._verified))]   # the oldest
            self._verified[token] = claims

    def verify(self, token: str | None) -> Principal:
        """The principal of a valid token; :class:`Unauthenticated` (401) otherwise."""
        if not token:
            raise Unauthenticated("请先登录", code="auth.token_missing")
        if token.lower().startswith("bearer "):
            token = token[7:].strip()
        claims = self._remembered(token)
        if claims is None:
            claims = self._decode(token)
        now = self.clock.now().timestamp()
        if claims["exp"] + self.leeway < now:
            raise Unauthenticated("登录已过期，请重新登录", code="auth.token_expired")
        if claims.get("typ") != "access":
            raise Unauthenticated("令牌类型无效", code="auth.token_invalid")
        return Principal(account_id=claims["sub"], role=claims["role"], region=claims.get("region"),
                         unit_id=claims.get("unit"), name=claims.get("name"), jti=claims["jti"],
                         token_version=int(claims.get("ver", 0)), expires_at=int(claims["exp"]),
                         password_change_required=bool(claims.get("pwc", False)))

    def _decode(self, token: str) -> dict[str, Any]:
        """The claims of a token whose header, key and signature check out (remembered); 401 otherwise."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise Unauthenticated("令牌格式无效", code="auth.token_invalid") from None
        if header.get("alg") != ALGORITHM:
            raise Unauthenticated("令牌算法无效", code="auth.token_invalid")
        key, identity = self._key(str(header.get("kid")))
        if key is None:
            raise Unauthenticated("令牌签名密钥未知", code="auth.token_invalid")
        try:
            claims = jwt.decode(token, key, algorithms=[ALGORITHM], audience=AUDIENCE, issuer=ISSUER,
                                options={"require": ["exp", "iat", "sub", "jti", "role"],
                                         "verify_exp": False, "verify_iat": False, "verify_nbf": False})
        except jwt.PyJWTError:
            raise Unauthenticated("令牌无效", code="auth.token_invalid") from None
        self._remember(token, claims, identity)
        return claims
