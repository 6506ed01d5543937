"""Signing keys of identity and the public JWKS every service verifies with.

``platform-keys generate --dir var/keys`` writes ``signing-<kid>.pem`` (private, 0600) and
``jwks.json`` (public). Identity signs with the newest private key; services read ``JWT_JWKS_FILE``
and pick the key by the token's ``kid``, so a key can be rotated by adding one before removing one.
The kid is the RFC 7638 thumbprint of the public key.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any, cast

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm


def _b64(n: int) -> str:
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def thumbprint(public_key: rsa.RSAPublicKey) -> str:
    numbers = public_key.public_numbers()
    canonical = json.dumps({"e": _b64(numbers.e), "kty": "RSA", "n": _b64(numbers.n)},
                           separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode()


def public_jwk(public_key: rsa.RSAPublicKey) -> dict[str, Any]:
    jwk: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(public_key))
    jwk.update({"kid": thumbprint(public_key), "use": "sig", "alg": "RS256"})
    return jwk


def new_private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def private_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def load_private_key(pem: bytes) -> rsa.RSAPrivateKey:
    # RSA: generate() writes every signing key (RS256)
    return cast(rsa.RSAPrivateKey, serialization.load_pem_private_key(pem, password=None))


def generate(directory: Path) -> str:
    """Add a new signing key to ``directory`` and rewrite its jwks.json; returns the new kid."""
    directory.mkdir(parents=True, exist_ok=True)
    key = new_private_key()
    kid = thumbprint(key.public_key())
    path = directory / f"signing-{kid}.pem"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(private_pem(key))
    write_jwks(directory)
    return kid


def private_keys(directory: Path) -> list[tuple[str, rsa.RSAPrivateKey]]:
    """(kid, key) of every signing key in ``directory``, newest file last."""
    files = sorted(directory.glob("signing-*.pem"), key=lambda p: (p.stat().st_mtime, p.name))
    return [(p.stem[len("signing-"):], load_private_key(p.read_bytes())) for p in files]


def write_jwks(directory: Path) -> Path:
    jwks = {"keys": [public_jwk(k.public_key()) for _, k in private_keys(directory)]}
    target = directory / "jwks.json"
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(jwks, indent=1))
    tmp.replace(target)
    return target


def ensure(directory: Path) -> None:
    """Create a first key when ``directory`` has none (used by ``make run`` and tests)."""
    if not list(directory.glob("signing-*.pem")):
        generate(directory)
    elif not (directory / "jwks.json").exists():
        write_jwks(directory)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="platform-keys", description="identity's token signing keys")
    parser.add_argument("cmd", choices=["generate", "ensure"])
    parser.add_argument("--dir", default=os.environ.get("JWT_KEYS_DIR", "var/keys"))
    args = parser.parse_args(argv)
    directory = Path(args.dir)
    if args.cmd == "generate":
        print(f"new signing key {generate(directory)} in {directory}")
    else:
        ensure(directory)
    return 0


if __name__ == "__main__":
    sys.exit(main())
