"""Is this database error an outage (the server went away or cannot be reached) rather than a fault of
the request or the code? An outage answers 503 ``service.db_unavailable`` to a caller and keeps an event
in its retry loop without spending its attempts (it is not the event's fault); anything else stays what
it was (a bug answers 500; a bad event is dead-lettered after its retries)."""
from __future__ import annotations

from sqlalchemy import exc as sa_exc

#: SQLSTATE classes of a lost or refused connection: 08 connection exception, 57P01 admin shutdown,
#: 57P02 crash shutdown, 57P03 cannot connect now (starting up or in recovery)
_OUTAGE_CODES = ("57P01", "57P02", "57P03")


def is_outage(exc: BaseException) -> bool:
    if isinstance(exc, sa_exc.DisconnectionError):
        return True
    if not isinstance(exc, (sa_exc.OperationalError, sa_exc.InterfaceError)):
        return False
    if exc.connection_invalidated:
        return True
    code = getattr(exc.orig, "pgcode", None)
    # no SQLSTATE: the driver lost or never had a connection (a serialization failure or a lock
    # timeout, also OperationalErrors, always carry one)
    return code is None or code.startswith("08") or code in _OUTAGE_CODES
