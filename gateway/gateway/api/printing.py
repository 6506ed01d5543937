"""Printed forms (打印) as PDF and their public verification (扫码核验).

Each PDF is answered only to whoever the JSON route it mirrors answers: the view's first call is that
route's RPC (the service checks role and jurisdiction, and audits the read), then the gateway draws the
form from the answer. The QR code holds ``/verify/<token>``: a page anyone may open that shows what
was printed and where it stands now - never a name, an ID number or an account.
"""
from __future__ import annotations

from collections.abc import Callable

import marshmallow as ma
from flask import Response
from flask_smorest import Blueprint

from gateway.api.schemas import Documented, Int, Schema
from gateway.context import call
from gateway.printing import forms
from gateway.printing.pdf import Document, render
from shared.clock import clock_from_env
from shared.errors import PlatformError

bp = Blueprint("printing", __name__, url_prefix="/api/v1", description="打印（PDF）与扫码核验")
PDF = "application/pdf"


class PdfFile(Schema):
    file = ma.fields.Raw(metadata={"type": "string", "format": "binary"})


class Verification(Documented):
    kind = ma.fields.String(metadata={"description": "application / publicity_notice / city_table / payment_detail"
                                                     " / payment_notice / payment_receipt（住房补贴汇缴）"})
    kind_label = ma.fields.String()
    number = ma.fields.String(metadata={"description": "文书所载编号（申请编号、批次号、拨付单号、支付代码）"})
    printed_at = ma.fields.String()
    status_label_printed = ma.fields.String(metadata={"description": "打印时的状态"})
    amount_fen = Int(allow_none=True)
    count = Int(allow_none=True)
    current = ma.fields.Dict(allow_none=True, metadata={
        "description": "当前状态：status、status_label、amount_fen；申请表另有 application_no、stage_name、"
                       "county_name，批次与拨付单另有 number、count。服务暂不可用时为 null"})
    current_unavailable = ma.fields.Boolean(metadata={"description": "当前状态暂不可查（仍显示打印时信息）"})


def pdf_answer(kind: str, record: dict, build: Callable, *, record_id: str, number: str,
               amount_fen: int | None = None, count: int | None = None) -> Response:
    """The printed form ``kind`` of ``record`` (the answer of the JSON route it mirrors) as PDF, with the QR
    code of its verification token; line A's forms here and line B's (api/remittances/notices.py)."""
    printed_at = clock_from_env().now()
    token = forms.verification_token(kind, record_id, number=number, status_label=record.get("status_label") or "",
                                     printed_at=printed_at, amount_fen=amount_fen, count=count)
    document: Document = build(record, forms.verify_url(token), printed_at)
    return Response(render(document), mimetype=PDF, headers={
        "Content-Disposition": f'inline; filename="{kind}-{number or record_id}.pdf"',
        "Cache-Control": "no-store"})


@bp.route("/applications/<application_id>/form.pdf", methods=["GET"])
@bp.response(200, PdfFile, content_type=PDF)
def application_form(application_id):
    """打印申请表（PDF，含核验二维码）：与 GET /applications/{id} 相同的权限"""
    app = call("subsidy_review", "get_application", application_id)
    return pdf_answer("application", app, forms.application_form, record_id=app["id"],
                      number=app["application_no"], amount_fen=app.get("amount_fen"))


@bp.route("/publicity-batches/<batch_id>/notice.pdf", methods=["GET"])
@bp.response(200, PdfFile, content_type=PDF)
def publicity_notice(batch_id):
    """打印公示名单（PDF，姓名脱敏）：与 GET /publicity-batches/{id} 相同的权限"""
    batch = call("publicity_assessment", "get_batch", batch_id)
    return pdf_answer("publicity_notice", batch, forms.publicity_notice, record_id=batch["id"],
                      number=batch["batch_no"], count=len(batch.get("cases") or []))


@bp.route("/city-batches/<batch_id>/table.pdf", methods=["GET"])
@bp.response(200, PdfFile, content_type=PDF)
def city_table(batch_id):
    """打印市级汇总表（PDF）：与 GET /city-batches/{id} 相同的权限"""
    batch = call("org_confirmation", "get_batch", batch_id)
    return pdf_answer("city_table", batch, forms.city_table, record_id=batch["id"], number=batch["batch_no"],
                      amount_fen=batch.get("amount_fen"), count=batch.get("count"))


@bp.route("/county-transfers/<transfer_id>/detail.pdf", methods=["GET"])
@bp.response(200, PdfFile, content_type=PDF)
def payment_detail(transfer_id):
    """打印拨付明细表（PDF）：与 GET /county-transfers/{id} 相同的权限"""
    transfer = call("finance_disbursement", "get_transfer", transfer_id)
    return pdf_answer("payment_detail", transfer, forms.payment_detail, record_id=transfer["id"],
                      number=transfer["transfer_no"], amount_fen=transfer.get("amount_fen"),
                      count=transfer.get("count"))


# Who answers "where does it stand now" for each kind of printed form: (service, public RPC).
CURRENT_STATUS = {
    "application": ("subsidy_review", "verify_application"),
    "publicity_notice": ("publicity_assessment", "verify_batch"),
    "city_table": ("org_confirmation", "verify_batch"),
    "payment_detail": ("finance_disbursement", "verify_transfer"),
    "payment_notice": ("housing_fund", "verify_remittance"),
    "payment_receipt": ("housing_fund", "verify_remittance"),
}


def verification(token: str) -> dict:
    """What the QR code of a printed form proves, and where the record stands now (its owning
    service's public ``verify_*`` RPC). When that service cannot answer (down, or the record is gone),
    the printed note is still shown, with ``current`` None and ``current_unavailable`` True."""
    note = forms.read_token(token)
    current = None
    service, method = CURRENT_STATUS[note["k"]]
    try:
        current = call(service, method, note["i"], authenticated=False)
    except PlatformError as exc:
        if exc.status >= 500 and exc.status not in (502, 503, 504):
            raise
    return {"kind": note["k"], "kind_label": forms.KINDS[note["k"]], "number": note.get("n"),
            "printed_at": note.get("t"), "status_label_printed": note.get("s"), "amount_fen": note.get("a"),
            "count": note.get("c"), "current": current, "current_unavailable": current is None}


@bp.route("/public/verifications/<token>", methods=["GET"])
@bp.response(200, Verification)
def verify(token):
    """扫码核验（无需登录）：文书种类、编号、打印时间与状态，及当前状态。不含姓名、证件号码、账号、单位"""
    return verification(token)
