"""Line B pages beside the generic lists: 注册新单位 (no account yet: the contact mobile is verified by
SMS code and the page keeps the registration ticket in the session), 单位信息 with its housing-subsidy
information, and attachments served to whoever may read the employer that references them."""
from __future__ import annotations

import io

from flask import abort, current_app, flash, redirect, render_template, request, send_file, session

from gateway.context import call
from gateway.portal.blueprint import bp
from gateway.portal.files import store
from gateway.portal.guard import login_required, role
from gateway.tickets import issue_ticket, mobile_of_ticket, verify_mobile
from shared import regions
from shared.attachments import sanitise_filename, sniff_type
from shared.errors import InvalidInput, NotFound, PlatformError

SERVICE = "housing_fund"


def _registrant_mobile() -> str | None:
    try:
        return mobile_of_ticket(session.get("registration_ticket"))
    except PlatformError:
        session.pop("registration_ticket", None)
        return None


@bp.route("/portal/housing/register", methods=["GET"])
def housing_register():
    """注册新单位: step 1 the contact mobile and SMS code, step 2 the registrations and the form."""
    mobile = _registrant_mobile()
    if mobile is None:
        return render_template("portal/housing_register_login.html")
    mine = call(SERVICE, "my_registrations", mobile, authenticated=False)["items"]
    editing = next((r for r in mine if r["review_status"] == "returned"), None)
    show_form = not mine or editing is not None or request.args.get("new") == "1"
    city = current_app.config.get("PORTAL_CITY", "440700")
    counties = {r.code: r.name for r in regions.counties_of(city)}
    return render_template("portal/housing_register.html", mobile=mobile, mine=mine, editing=editing,
                           show_form=show_form, counties=counties)


@bp.route("/portal/housing/register/verify", methods=["POST"])
def housing_register_verify():
    """【登录】 of the registration: consume the SMS code at identity, keep the ticket in the session."""
    portal_session_csrf = session.get("csrf", "")
    if not portal_session_csrf or request.form.get("csrf_token") != portal_session_csrf:
        flash("页面已过期，请刷新后重试", "error")
        return redirect("/portal/housing/register")
    try:
        mobile = verify_mobile(request.form.get("mobile", ""), request.form.get("sms_code", ""))
    except PlatformError as exc:
        flash(exc.message, "error")
        return redirect("/portal/housing/register")
    session["registration_ticket"] = issue_ticket(mobile)
    return redirect("/portal/housing/register")


@bp.route("/portal/housing/register/attachments", methods=["POST"])
def housing_register_upload():
    """上传附件 of a registrant (no account): owned by the verified mobile until linked to the employer."""
    mobile = _registrant_mobile()
    if mobile is None:
        raise NotFound("请先验证联系人手机号码", code="registration.ticket_required")
    if request.headers.get("X-CSRF-Token") != session.get("csrf"):
        raise InvalidInput("页面已过期，请刷新后重试", code="csrf.invalid")
    upload = request.files.get("file")
    if upload is None:
        raise InvalidInput.field("file", "attachment.missing", "请选择要上传的文件")
    stored = store().put(upload.stream, upload.filename or "附件", upload.mimetype)
    session["registration_uploads"] = (session.get("registration_uploads") or [])[-49:] + [stored.sha256]
    return {"id": stored.sha256, "sha256": stored.sha256, "size": stored.size,
            "content_type": stored.content_type, "filename": stored.filename,
            "kind": request.form.get("kind") or "other"}, 201


def _serve(sha256: str, name: str):
    with store().open(sha256) as handle:
        content = handle.read()
    content_type = sniff_type(content) or "application/octet-stream"
    inline = content_type.startswith("image/") or content_type == "application/pdf"
    return send_file(io.BytesIO(content), mimetype=content_type, as_attachment=not inline,
                     download_name=sanitise_filename(name))


@bp.route("/portal/housing/employers/<employer_id>/attachments/<sha256>", methods=["GET"])
@login_required
def housing_employer_attachment(employer_id, sha256):
    """An attachment of an employer's registration or change, for whoever may read the employer."""
    employer = call(SERVICE, "get_employer", employer_id)
    refs = list(employer.get("attachments") or [])
    for r in employer.get("rounds") or []:
        refs += r.get("attachments") or []
    for c in employer.get("changes") or []:
        refs += c.get("attachments") or []
    ref = next((a for a in refs if a.get("id") == sha256), None)
    if ref is None:
        raise NotFound("附件不存在", code="attachment.not_found")
    return _serve(sha256, ref.get("filename") or "附件")


@bp.route("/portal/housing/register/attachments/<sha256>", methods=["GET"])
def housing_register_download(sha256):
    """预览 right after the upload, for the registrant whose registration references it (or who just
    uploaded it in this session)."""
    mobile = _registrant_mobile()
    if mobile is None:
        abort(404)
    store().path_of(sha256)
    mine = call(SERVICE, "my_registrations", mobile, authenticated=False)["items"]
    known = {a["id"] for r in mine for a in (r.get("attachments") or [])}
    if sha256 not in known and sha256 not in (session.get("registration_uploads") or []):
        raise NotFound("附件不存在", code="attachment.not_found")
    return _serve(sha256, request.args.get("name", "附件"))


@bp.route("/portal/housing/employers/<employer_id>", methods=["GET"])
@login_required
def housing_employer(employer_id):
    """单位详情 for the bureau: registration data, rounds, attachments, approve / return."""
    employer = call(SERVICE, "get_employer", employer_id)
    return render_template("portal/housing_employer.html", employer=employer, bureau=role() == "housing_bureau")


@bp.route("/portal/housing/employer", methods=["GET"])
@login_required
def housing_my_employer():
    """单位信息 of the employer clerk: 住房补贴信息, 单位变更记录."""
    if role() != "employer":
        abort(403)
    employer = call(SERVICE, "my_employer")
    return render_template("portal/housing_employer.html", employer=employer, bureau=False)
