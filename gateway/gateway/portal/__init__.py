"""The web portal (门户) served by the gateway: Chinese, server-rendered pages for every role.

Pages read through the services' RPCs (``gateway.context.call``, with the session's token); every
state change is made by the page's JavaScript against the REST API (``/api/v1``) with the session
cookie and the CSRF header, so the portal never handles a token in the browser and the API stays the
one place where a command is checked.
"""
from __future__ import annotations

import os

from flask import Flask

from gateway.portal import formatting
from gateway.portal.blueprint import bp

# the modules below attach their routes to ``bp`` when imported
from gateway.portal import account, errors, housing, lists, pages, public, registration, remittance  # noqa: E402, F401  isort: skip
from gateway.portal import opinion_templates  # noqa: E402, F401  isort: skip
from gateway.portal import stage_times  # noqa: E402, F401  isort: skip


def register(app: Flask) -> None:
    """Register the portal's blueprint, its Jinja filters and its context processors."""
    app.config.setdefault("PORTAL_EXPORT_MAX_ROWS", int(os.environ.get("PORTAL_EXPORT_MAX_ROWS", "100000")))
    app.register_blueprint(bp)
    formatting.register(app)
