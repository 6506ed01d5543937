"""Stage 12: county finance confirms the arrival, pays the individuals through the bank's files."""
from flask import request

from gateway.api import bank_files
from gateway.api.finance.arguments import ResultFile, TransferFilter
from gateway.api.finance.common import SERVICE, XLSX_DOC, bp
from gateway.api.finance.responses import BankResult, Transfer, TransferDetail
from gateway.api.schemas import list_args, page_of
from gateway.api.stage_times import with_batch_clocks
from gateway.context import authorised_as, call
from gateway.hardening import authorise_first
from gateway.portal import export
from shared.errors import InvalidInput


# -- stage 12: county finance ---------------------------------------------------------------------
@bp.route("/county-transfers", methods=["GET"])
@bp.arguments(TransferFilter, location="query")
@bp.response(200, page_of(Transfer))
@authorised_as(SERVICE, "list_transfers")
def list_transfers(args):
    """拨付单列表（县财政局；status=released 为待支付到个人；未支付的拨付单带本环节用时）"""
    return with_batch_clocks(call(SERVICE, "list_transfers", *list_args(args)))


@bp.route("/county-transfers/<transfer_id>", methods=["GET"])
@bp.response(200, TransferDetail)
@authorised_as(SERVICE, "get_transfer")
def get_transfer(transfer_id):
    """拨付单详情：含个人银行账户（完整卡号，查看记入审计）"""
    return call(SERVICE, "get_transfer", transfer_id)


@bp.route("/county-transfers/<transfer_id>/confirm-arrival", methods=["POST"])
@bp.response(200, TransferDetail)
@authorised_as(SERVICE, "confirm_arrival")
def confirm_arrival(transfer_id):
    """到账确认：市财政局拨款已到县财政账户（确认后才能支付到个人）"""
    return call(SERVICE, "confirm_arrival", transfer_id)


@bp.route("/county-transfers/<transfer_id>/pay", methods=["POST"])
@bp.response(200, TransferDetail)
@authorised_as(SERVICE, "pay")
def pay(transfer_id):
    """拨付至个人：每个申请支付一次，重复支付返回409；未确认到账返回409 county_transfer.not_received"""
    return call(SERVICE, "pay", transfer_id)


@bp.route("/county-transfers/<transfer_id>/bank-file.xlsx", methods=["GET"])
@bp.doc(**XLSX_DOC)
@authorised_as(SERVICE, "bank_file")
def bank_file(transfer_id):
    """下载银行支付文件（.xlsx）：待支付申请的户名、开户行、账号（审核时冻结）和金额，每行一个支付流水号（查看记入审计）"""
    answer = call(SERVICE, "bank_file", transfer_id)
    return export.file_response(bank_files.payment_file(answer), f"银行支付文件_{answer['transfer_no']}.xlsx",
                                export.XLSX_TYPE)


@bp.route("/county-transfers/<transfer_id>/bank-results", methods=["POST"])
@bp.arguments(ResultFile, location="files")
@bp.response(200, BankResult)
@authorised_as(SERVICE, "import_bank_result")
def import_bank_result(_files, transfer_id):
    """导入银行回盘（multipart：file）：逐行支付成功或失败；同一文件再次导入不作任何变更；
    支付流水号未知、金额或账号与支付文件不符的行列出原因且不作变更"""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        authorise_first()  # who may not import learns that first, not what the file lacks
        raise InvalidInput.field("file", "bank_result.file_required", "请选择银行回盘文件（.xlsx）")
    authorise_first()
    sha256, lines = bank_files.read_result(upload.stream.read(bank_files.MAX_BYTES + 1))
    return call(SERVICE, "import_bank_result", transfer_id, sha256, upload.filename, lines)
