"""/api/v1/applications: the graduate's application, stages 1-4 and its timeline (subsidy_review).

One module per screen group registers its routes on the one blueprint ``bp``; this package is their
single entry."""
# the routes are registered in the order of the OpenAPI document
# isort: off
from gateway.api.applications import workflow  # noqa: F401
from gateway.api.applications import summaries  # noqa: F401
from gateway.api.applications import policies  # noqa: F401
from gateway.api.applications import windows  # noqa: F401
from gateway.api.applications.common import bp
# isort: on

__all__ = ["bp"]
