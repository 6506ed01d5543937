"""Pages without login: the publicity notice (公示) with its objection form, and the registration
entries of the login page."""
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


@bp.route("/portal/register/unit", methods=["GET"])
def register_unit():
    """注册新单位: opens with the unit registration feature."""
    return render_template("portal/register_info.html", title="注册新单位",
                           text="单位注册功能即将随“单位注册”业务上线开放。届时单位填写账号信息与单位基本信息、"
                                "上传营业执照后提交，由所属县区人社局审核。")


@bp.route("/portal/register/start", methods=["GET"])
def register_individual_info():
    """个人注册 before login: the open registration opens with its feature."""
    return render_template("portal/register_info.html", title="个人注册",
                           text="个人自助注册功能即将随“个人注册”业务上线开放。目前个人账号由系统管理员开通："
                                "请使用已开通的账号登录后，在“业务办理—个人注册”中填写个人信息，提交所在单位审核。")
