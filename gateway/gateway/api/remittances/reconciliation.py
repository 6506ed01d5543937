"""到账匹配: bank statements (uploaded to the attachment store, passed by SHA-256), bank lines (the return
list) and the report."""
from __future__ import annotations

from flask import request

from gateway.api.remittances.common import SERVICE, XLSX_DOC, bp, file_answer, statement_store
from gateway.api.remittances.schemas import BankLine, BankLineFilter, Report, ReportArgs, Statement, StatementFile
from gateway.api.schemas import PageArgs, list_args, page_of
from gateway.context import authorised_as, call
from shared.errors import InvalidInput


# -- 到账匹配 -------------------------------------------------------------------------------------------
@bp.route("/bank-statements", methods=["POST"])
@bp.arguments(StatementFile, location="files")
@bp.response(202, Statement)
@authorised_as(SERVICE, "upload_bank_statement")
def upload_bank_statement(_files):
    """上传银行对账单（multipart：file，.xlsx 或 .csv）。整份校验（错误指明行和列，不记录任何内容），
    然后按摘要开头的“单位交易代码x支付代码o”和金额逐笔匹配；同一文件或同一流水号只处理一次"""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise InvalidInput.field("file", "statement.file_required", "请选择对账单文件（.xlsx 或 .csv）")
    if not upload.filename.lower().endswith((".xlsx", ".csv")):
        raise InvalidInput.field("file", "statement.file_type", "对账单应为 .xlsx 或 .csv 文件")
    sha = statement_store().put_data_file(upload.stream)
    return call(SERVICE, "upload_bank_statement", sha, upload.filename)


@bp.route("/bank-statements", methods=["GET"])
@bp.arguments(PageArgs, location="query")
@bp.response(200, page_of(Statement))
@authorised_as(SERVICE, "list_bank_statements")
def list_bank_statements(args):
    """已上传的对账单及匹配进度"""
    return call(SERVICE, "list_bank_statements", *list_args(args))


@bp.route("/bank-statements/report", methods=["GET"])
@bp.arguments(ReportArgs, location="query")
@bp.response(200, Report)
@authorised_as(SERVICE, "reconciliation_report")
def reconciliation_report(args):
    """对账报告：已匹配、原路退回（按原因）、待缴款；已匹配 + 原路退回 = 到账合计"""
    return call(SERVICE, "reconciliation_report", args["statement_id"])


@bp.route("/bank-statements/report.xlsx", methods=["GET"])
@bp.arguments(ReportArgs, location="query")
@bp.doc(**XLSX_DOC)
@authorised_as(SERVICE, "reconciliation_report_xlsx")
def reconciliation_report_xlsx(args):
    """导出对账报告（.xlsx：汇总、已匹配、原路退回、待缴款）"""
    return file_answer(call(SERVICE, "reconciliation_report_xlsx", args["statement_id"]))


@bp.route("/bank-statements/<statement_id>", methods=["GET"])
@bp.response(200, Statement)
@authorised_as(SERVICE, "get_bank_statement")
def get_bank_statement(statement_id):
    """对账单及其匹配结果"""
    return call(SERVICE, "get_bank_statement", statement_id)


@bp.route("/bank-lines", methods=["GET"])
@bp.arguments(BankLineFilter, location="query")
@bp.response(200, page_of(BankLine))
@authorised_as(SERVICE, "list_bank_lines")
def list_bank_lines(args):
    """到账流水；status=returned 为原路退回清单（含原因）"""
    return call(SERVICE, "list_bank_lines", *list_args(args))
