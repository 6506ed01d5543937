"""The portal's session cookie, encrypted and authenticated (Fernet: AES-128-CBC + HMAC-SHA256).

Why a cookie and not a server-side table: the gateway has no database of its own and runs several
gunicorn workers (and, scaled out, several replicas); an encrypted cookie needs no shared store, and
what it holds (the access and refresh tokens) is unreadable to whoever sees the cookie (browser
profile, a proxy log) and to the page's JavaScript (HttpOnly). Flask's default cookie is only signed:
its payload, the tokens included, is base64 anyone can read. A stolen cookie is still usable until the
session ends - logout revokes its tokens at identity, and the idle timeout ends it - which is the
same for any session identifier.

The key is derived from ``SECRET_KEY`` (HKDF-SHA256), which :func:`check_secret` refuses to accept when
it is missing, short or a known placeholder.
"""
from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask.sessions import SecureCookieSessionInterface, session_json_serializer
from itsdangerous import BadSignature

PLACEHOLDERS = ("change-me", "changeme", "change_me", "placeholder", "secret", "default", "example", "password")
MIN_SECRET_LENGTH = 32


def check_secret(secret: str | None) -> str:
    """The secret, or RuntimeError: the gateway refuses to start with a missing, short or placeholder
    secret (``make run`` generates one per stack; a deployment must set ``GATEWAY_SECRET_KEY``)."""
    if not secret:
        raise RuntimeError("GATEWAY_SECRET_KEY is not set: generate one (openssl rand -hex 32); "
                           "`make run` does this for the local stack")
    lowered = secret.lower()
    if len(secret) < MIN_SECRET_LENGTH or any(p in lowered for p in PLACEHOLDERS) or len(set(secret)) < 8:
        raise RuntimeError("GATEWAY_SECRET_KEY is a placeholder or too short (at least 32 random characters): "
                           "refusing to start")
    return secret


def fernet_key(secret: str) -> bytes:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=hashlib.sha256(b"portal-session").digest(),
                   info=b"gateway portal session cookie").derive(secret.encode("utf-8"))
    return base64.urlsafe_b64encode(derived)


class _FernetSerializer:
    def __init__(self, key: bytes) -> None:
        self.fernet = Fernet(key)

    def dumps(self, value) -> str:
        return self.fernet.encrypt(session_json_serializer.dumps(value).encode("utf-8")).decode("ascii")

    def loads(self, token: str, max_age: int | None = None):
        try:
            return session_json_serializer.loads(self.fernet.decrypt(token.encode("ascii"), ttl=max_age)
                                                 .decode("utf-8"))
        except (InvalidToken, ValueError, UnicodeError) as exc:
            raise BadSignature("session cookie refused") from exc


class EncryptedCookieSessionInterface(SecureCookieSessionInterface):
    """Flask asks for the serializer twice a request (open and save): the key is derived (HKDF) once per
    secret, not on every request."""

    _serializers: dict[str, _FernetSerializer]

    def get_signing_serializer(self, app):
        if not app.secret_key:
            return None
        secret = str(app.secret_key)
        cache = self.__dict__.setdefault("_serializers", {})
        serializer = cache.get(secret)
        if serializer is None:
            serializer = cache[secret] = _FernetSerializer(fernet_key(secret))
        return serializer
