"""Pages without login: the publicity notice (公示) with its objection form (the registrations of the
login page are in ``gateway.portal.registration``)."""
from __future__ import annotations

from flask import render_template, request

from gateway.context import call
from gateway.portal.blueprint import bp
from shared.errors import PlatformError


@bp.route("/gongshi", methods=["GET"])
def publicity():
    """公示名单: applications in publicity, names masked by the service; anyone may object."""
    try:
        page = max(1, int(request.args.get("page", 1)))
    except ValueError:
        page = 1
    county = request.args.get("county") or None
    result, unavailable = {"items": [], "total": 0, "page": page, "page_size": 20}, None
    try:
        result = call("publicity_assessment", "public_publicity", county, page, 20, authenticated=False)
    except PlatformError as exc:
        if exc.status < 500:
            raise
        unavailable = exc.message
    return render_template("portal/publicity.html", result=result, unavailable=unavailable,
                           chosen=request.args.get("application_no", ""))


@bp.route("/verify/<token>", methods=["GET"])
def verify(token):
    """扫码核验: the page a printed form's QR code opens (no login, no personal data)."""
    from gateway.api import printing  # the api package imports the portal
    try:
        data, error = printing.verification(token), None
    except PlatformError as exc:
        if exc.status >= 500:
            raise
        data, error = None, exc.message
    return render_template("portal/verify.html", data=data, error=error), (404 if error else 200)
