"""Fail points for fault tests: ``PLATFORM_FAULTS=outbox.after_commit`` makes the process kill itself
(SIGKILL, no clean-up) when it reaches that point, as a power cut or ``kill -9`` would.

Only the environment of a process started by a fault test sets the variable; production never does.
"""
from __future__ import annotations

import os
import signal


def crash_point(name: str) -> None:
    """Die at once if fail point ``name`` is armed in ``PLATFORM_FAULTS`` (comma-separated)."""
    armed = os.environ.get("PLATFORM_FAULTS")
    if armed and name in armed.split(","):
        os.kill(os.getpid(), signal.SIGKILL)
