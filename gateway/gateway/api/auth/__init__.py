"""/api/v1/auth and /api/v1/me: login, refresh, logout, the caller's own account (identity).

One module per screen group registers its routes on the one blueprint ``bp``; this package is their
single entry."""
# the routes are registered in the order of the OpenAPI document
# isort: off
from gateway.api.auth import login  # noqa: F401
from gateway.api.auth import me  # noqa: F401
from gateway.api.auth import messages  # noqa: F401
from gateway.api.auth.common import bp
from gateway.api.auth.schemas import Account
# isort: on

__all__ = ["Account", "bp"]
