"""缴费通知: payment notices with the 缴款通知书 and 缴款凭证 PDFs, and the bureau's receiving account."""
from __future__ import annotations

from gateway.api.printing import pdf_answer
from gateway.api.remittances.common import PDF_DOC, SERVICE, bp
from gateway.api.remittances.schemas import ReceivingAccount, Remittance, RemittanceDetail, RemittanceFilter
from gateway.api.schemas import list_args, page_of
from gateway.context import call
from gateway.printing import forms


# -- 缴费通知 -------------------------------------------------------------------------------------------
@bp.route("/payment-notices", methods=["GET"])
@bp.arguments(RemittanceFilter, location="query")
@bp.response(200, page_of(Remittance))
def list_payment_notices(args):
    """缴费通知：审核通过待缴款及已到账的汇缴"""
    return call(SERVICE, "list_payment_notices", *list_args(args))


@bp.route("/payment-notices/<remittance_id>", methods=["GET"])
@bp.response(200, RemittanceDetail)
def get_payment_notice(remittance_id):
    """缴费通知详情：支付代码、单位交易代码、转账摘要、收款账户、注意事项"""
    return call(SERVICE, "get_payment_notice", remittance_id)


@bp.route("/payment-notices/<remittance_id>/form.pdf", methods=["GET"])
@bp.doc(**PDF_DOC)
def payment_notice_pdf(remittance_id):
    """打印缴款通知书（PDF，含核验二维码）：与 GET /payment-notices/{id} 相同的权限"""
    notice = call(SERVICE, "get_payment_notice", remittance_id)
    return pdf_answer("payment_notice", notice, forms.payment_notice, record_id=notice["id"],
                      number=notice["payment_code"], amount_fen=notice.get("total_fen"),
                      count=notice.get("employee_count"))


@bp.route("/payment-notices/<remittance_id>/receipt.pdf", methods=["GET"])
@bp.doc(**PDF_DOC)
def payment_receipt_pdf(remittance_id):
    """缴款凭证（PDF，到账后，含核验二维码）"""
    receipt = call(SERVICE, "get_payment_receipt", remittance_id)
    return pdf_answer("payment_receipt", receipt, forms.payment_receipt, record_id=receipt["id"],
                      number=receipt["payment_code"], amount_fen=receipt.get("total_fen"),
                      count=receipt.get("employee_count"))


@bp.route("/receiving-account", methods=["GET"])
@bp.response(200, ReceivingAccount)
def get_receiving_account():
    """本局收款账户（缴费通知上显示）"""
    return call(SERVICE, "get_receiving_account")


@bp.route("/receiving-account", methods=["PUT"])
@bp.arguments(ReceivingAccount)
@bp.response(200, ReceivingAccount)
def set_receiving_account(args):
    """设置本局收款账户（户名、账号、开户行）"""
    return call(SERVICE, "set_receiving_account", args)
