"""常用意见: the officer's saved opinions (identity), managed on their own screen (reached from the top
bar, next to 账号管理) and offered by the approve/return dialog of every page (static/js/actions.js
fills the opinion box with the one picked)."""
from __future__ import annotations

from flask import render_template

from gateway.context import authorised_as, call
from gateway.portal.blueprint import bp
from gateway.portal.guard import login_required
from shared.auth.roles import OFFICERS
from shared.contracts.identity import OPINION_TEMPLATE_KINDS


@bp.app_template_global()
def keeps_opinion_templates(account: dict | None) -> bool:
    """Whether the account is an officer's (the top bar's 常用意见 link, the dialog's picker)."""
    return bool(account) and (account or {}).get("role") in OFFICERS


@bp.route("/portal/opinion-templates", methods=["GET"])
@login_required
@authorised_as("identity", "list_opinion_templates")
def opinion_templates():
    result = call("identity", "list_opinion_templates", None)
    return render_template("portal/opinion_templates.html", result=result, kinds=OPINION_TEMPLATE_KINDS)
