"""argon2id password hashing at OWASP's parameters (Password Storage Cheat Sheet: "Argon2id with a minimum
configuration of 19 MiB of memory, an iteration count of 2, and 1 degree of parallelism").

Before, argon2-cffi's default (RFC 9106 low-memory: 64 MiB, t=3, p=4) cost about 140 ms of CPU a hash on
this machine against 19 ms for these (measured side by side, ``bench.login`` prints both each run), and a
registration or login is one hash: the platform's registration rate was set by it. A hash made with other
parameters still verifies and is rehashed at the next login (``needs_rehash``), so accounts move over
without a reset.

A hash costs tens of milliseconds of CPU in C. Under eventlet (the nameko service) it runs in an OS
thread of eventlet's pool (``tpool``): called on the hub it would freeze every green thread of the
process for that long - the outbox relay, the event consumers and the other RPC workers (measured by
``make bench``: hand-offs to identity waited up to seconds behind logins). argon2-cffi releases the GIL,
so the hash also uses the second core. At most one hash per core runs at once (each takes 19 MiB of
memory; before, one ran at a time, on the hub).
"""
from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)  # OWASP's; memory in KiB
# a fixed hash to verify against when the username is unknown, so timing does not reveal accounts
_DUMMY = _hasher.hash("dummy-password-0")


T = TypeVar("T")
_slots: threading.Semaphore | None = None  # made on first use: green once nameko has patched threading


def _off_hub(fn: Callable[..., T], *args) -> T:
    """``fn(*args)`` in an OS thread when eventlet has patched threads (inside nameko), else directly."""
    global _slots
    from eventlet import patcher, tpool
    if not patcher.is_monkey_patched("thread"):
        return fn(*args)
    if _slots is None:
        _slots = threading.Semaphore(os.cpu_count() or 2)
    with _slots:
        return tpool.execute(fn, *args)


def hash_password(password: str) -> str:
    return _off_hub(_hasher.hash, password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _off_hub(_hasher.verify, password_hash or _DUMMY, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
