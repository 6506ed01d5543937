"""/api/v1 publicity, objections, assessment and report (publicity_assessment, stages 5-7), the
public publicity notice, and the admin's publicity period and holiday schedule.

One module per screen group registers its routes on the one blueprint ``bp``; this package is their
single entry."""
# the routes are registered in the order of the OpenAPI document
# isort: off
from gateway.api.publicity import cases  # noqa: F401
from gateway.api.publicity import objections  # noqa: F401
from gateway.api.publicity import assessment  # noqa: F401
from gateway.api.publicity import notice  # noqa: F401
from gateway.api.publicity import policy  # noqa: F401
from gateway.api.publicity import calendar  # noqa: F401
from gateway.api.publicity.common import SERVICE, bp
from gateway.api.publicity.calendar import path_year
# isort: on

__all__ = ["SERVICE", "bp", "path_year"]
