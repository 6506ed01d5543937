"""What each list and detail screen shows, as data: one generic view and one table macro render them
all, so a feature issue adds a screen by adding an entry here.

A screen reads through a service's list RPC (``filters, page, page_size``) and acts through the REST
API: ``Act.url`` is a ``/api/v1`` path with ``{id}`` for the row; the page's JavaScript calls it with
the session cookie and the CSRF header.

One module per role group adds its screens to the one table (``registry``); this package is their single
entry, and the portal's label maps come from the contracts (``labels``)."""
# the screens are added in the order the menus list them
# isort: off
from gateway.portal.screens import individual  # noqa: F401
from gateway.portal.screens import unit  # noqa: F401
from gateway.portal.screens import county  # noqa: F401
from gateway.portal.screens import city  # noqa: F401
from gateway.portal.screens import finance  # noqa: F401
from gateway.portal.screens import admin  # noqa: F401
from gateway.portal.screens import housing  # noqa: F401
from gateway.portal.screens.registry import ALIASES, _add, screen_for
from gateway.portal.screens.model import Act, Col, Filter, Screen
from gateway.portal.screens.labels import APPLICATION_LABELS, ROLE_LABELS
from gateway.portal.screens.common import (
    AMOUNT,
    APP_NO,
    ATTACHMENT_COLUMNS,
    CHANGE_COLUMNS,
    COUNTY,
    DEGREE,
    HISTORY_COLUMNS,
    MONTHS,
    NAME,
    STATUS,
    UNIT,
    _review_actions,
)
from gateway.portal.screens.finance import TRANSFER_ACTIONS
# isort: on

__all__ = [
    "ALIASES",
    "AMOUNT",
    "APPLICATION_LABELS",
    "APP_NO",
    "ATTACHMENT_COLUMNS",
    "Act",
    "CHANGE_COLUMNS",
    "COUNTY",
    "Col",
    "DEGREE",
    "Filter",
    "HISTORY_COLUMNS",
    "MONTHS",
    "NAME",
    "ROLE_LABELS",
    "STATUS",
    "Screen",
    "TRANSFER_ACTIONS",
    "UNIT",
    "_add",
    "_review_actions",
    "screen_for",
]
