"""/api/v1 line B part 2 (housing_fund): 汇缴申请 (remittances and back-payments), 缴费通知 (payment
notices with the 缴款通知书 and 缴款凭证 PDFs), the bureau's receiving account, bank statements and
reconciliation (到账匹配, the return list, the report), 缴款历史补录 (back-fills) and 支取申请
(withdrawals).

Bank statements travel as files, never over the broker: the gateway stores the upload in the
attachment store (``$PLATFORM_VAR_DIR/attachments``, content-addressed) and passes its SHA-256;
housing_fund reads the file from there."""
from __future__ import annotations

import base64
import os
from pathlib import Path

import marshmallow as ma
from flask import Response, request
from flask_smorest import Blueprint

from gateway.api.schemas import Int, PageArgs, Schema, list_args, page_of
from gateway.context import call
from gateway.portal import export
from shared.attachments import AttachmentStore
from shared.contracts.housing_fund import WITHDRAWAL_REASONS
from shared.errors import InvalidInput

bp = Blueprint("remittances", __name__, url_prefix="/api/v1",
               description="住房补贴汇缴：汇缴申请、缴费通知、到账匹配、缴款历史补录、支取申请（housing_fund）")

SERVICE = "housing_fund"
MAX_STATEMENT = 30 * 1024 * 1024
MONTH = ma.validate.Regexp(r"^\d{6}$", error="月份应为6位年月，如202601")


def file_answer(answer: dict) -> Response:
    """A document the service built (``{"filename", "content_b64", "content_type"}``) as a download."""
    return export.file_response(base64.b64decode(answer["content_b64"]), answer["filename"], answer["content_type"])


def statement_store() -> AttachmentStore:
    return AttachmentStore(Path(os.environ.get("PLATFORM_VAR_DIR", "var")) / "attachments", max_bytes=MAX_STATEMENT)


# -- schemas ------------------------------------------------------------------------------------------
class Opinion(Schema):
    opinion = ma.fields.String(load_default=None, validate=ma.validate.Length(max=500),
                               metadata={"description": "审核意见（退回、不予通过时必填）"})


class Line(Schema):
    employee_id = ma.fields.String(required=True)
    month = ma.fields.String(load_default=None, validate=MONTH, metadata={"description": "按月补缴时该条的月份"})
    amount_fen = Int(load_default=None, metadata={"description": "金额（分）；不填按级别或指定汇缴金额"})
    amount = ma.fields.String(load_default=None, metadata={
        "description": "金额（元，文本）；按每行四舍五入到分（2位小数 HALF_UP）"})
    override = ma.fields.Boolean(load_default=False, metadata={"description": "指定汇缴：以后各月自动沿用此金额"})


class RemittanceRequest(Schema):
    mode = ma.fields.String(required=True, validate=ma.validate.OneOf(["remit", "back_pay"]),
                            metadata={"description": "remit 汇缴 | back_pay 补缴"})
    back_pay_kind = ma.fields.String(load_default=None, validate=ma.validate.OneOf(["monthly", "lump_sum"]),
                                     metadata={"description": "monthly 按月补缴（每次不超过12个月）"
                                                              "| lump_sum 一次性补缴"})
    month = ma.fields.String(load_default=None, validate=MONTH, metadata={"description": "汇缴月份 / 一次性补缴月份"})
    month_from = ma.fields.String(load_default=None, validate=MONTH)
    month_to = ma.fields.String(load_default=None, validate=MONTH)
    apply_first_page = ma.fields.Boolean(load_default=False, metadata={
        "description": "全部应用第一页信息：第一个月的人员和金额复制到其他月份"})
    lines = ma.fields.List(ma.fields.Nested(Line), required=True)


class RemittanceLine(Schema):
    employee_id = ma.fields.String()
    name = ma.fields.String()
    id_number = ma.fields.String()
    month = ma.fields.String()
    amount_fen = Int()
    overridden = ma.fields.Boolean()


class Remittance(Schema):
    id = ma.fields.String()
    employer_id = ma.fields.String()
    employer_name = ma.fields.String(allow_none=True)
    mode = ma.fields.String()
    mode_label = ma.fields.String()
    back_pay_kind = ma.fields.String(allow_none=True)
    back_pay_kind_label = ma.fields.String(allow_none=True)
    month_from = ma.fields.String()
    month_to = ma.fields.String()
    months = ma.fields.String()
    status = ma.fields.String(metadata={
        "description": "pending 待审核 | approved 待缴款 | returned 已退回 | paid 已到账"})
    status_label = ma.fields.String()
    total_fen = Int()
    employee_count = Int()
    line_count = Int()
    submitted_at = ma.fields.String()
    opinion = ma.fields.String(allow_none=True)
    decided_at = ma.fields.String(allow_none=True)
    payment_code = ma.fields.String(allow_none=True, metadata={"description": "支付代码（4位，不含X、O、I、0、1）"})
    trade_code = ma.fields.String(allow_none=True, metadata={"description": "单位交易代码"})
    memo = ma.fields.String(allow_none=True, metadata={"description": "转账摘要，须写在摘要开头，如 75256xA7W5o"})
    receiving_account = ma.fields.Dict(allow_none=True, metadata={"description": "住建局收款账户：户名、账号、开户行"})
    paid_at = ma.fields.String(allow_none=True)
    round = Int(metadata={"description": "第N次提交（退回后修改重新提交）"})


class RemittanceRound(Schema):
    round = Int()
    mode = ma.fields.String()
    mode_label = ma.fields.String()
    months = ma.fields.String()
    total_fen = Int()
    employee_count = Int()
    line_count = Int()
    submitted_at = ma.fields.String()
    decision = ma.fields.String(allow_none=True, metadata={"description": "approved | returned；空为待审核"})
    decision_label = ma.fields.String()
    opinion = ma.fields.String(allow_none=True)
    decided_at = ma.fields.String(allow_none=True)


class RemittanceDetail(Remittance):
    lines = ma.fields.List(ma.fields.Nested(RemittanceLine))
    rounds = ma.fields.List(ma.fields.Nested(RemittanceRound), metadata={"description": "历次提交及审核意见"})
    notes = ma.fields.List(ma.fields.String())


class RemittanceFilter(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(["pending", "approved", "returned", "paid"]))
    mode = ma.fields.String(validate=ma.validate.OneOf(["remit", "back_pay"]))
    month = ma.fields.String(validate=MONTH)


class RosterArgs(Schema):
    month = ma.fields.String(required=True, validate=MONTH)
    mode = ma.fields.String(load_default="remit", validate=ma.validate.OneOf(["remit", "back_pay"]))


class RosterItem(Schema):
    employee_id = ma.fields.String()
    name = ma.fields.String()
    id_number = ma.fields.String()
    level = ma.fields.String()
    monthly_fen = Int()
    amount_fen = Int(metadata={"description": "本月汇缴金额（指定汇缴沿用）"})
    overridden = ma.fields.Boolean()
    start_month = ma.fields.String(allow_none=True)
    held = ma.fields.Boolean(metadata={"description": "已在未完成的汇缴申请中"})
    has_history = ma.fields.Boolean(metadata={"description": "在本单位有汇缴记录"})


class Roster(Schema):
    month = ma.fields.String()
    mode = ma.fields.String()
    items = ma.fields.List(ma.fields.Nested(RosterItem))
    total = Int()
    total_fen = Int()


class ReminderArgs(Schema):
    month = ma.fields.String(load_default=None, validate=MONTH)


class ReminderResult(Schema):
    sent = Int()


class ReceivingAccount(Schema):
    bureau = ma.fields.String(dump_only=True)
    account_name = ma.fields.String(required=True, metadata={"description": "户名"})
    account_no = ma.fields.String(required=True, metadata={"description": "账号"})
    bank_name = ma.fields.String(required=True, metadata={"description": "开户行"})


class StatementFile(Schema):
    file = ma.fields.Raw(metadata={"type": "string", "format": "binary",
                                   "description": "对账单 .xlsx 或 .csv："
                                                  "交易日期、金额、付款账号、付款户名、摘要、银行流水号"})


class Statement(Schema):
    id = ma.fields.String()
    filename = ma.fields.String(allow_none=True)
    status = ma.fields.String(metadata={"description": "processing 匹配中 | done 匹配完成"})
    status_label = ma.fields.String()
    line_count = Int()
    credit_count = Int()
    credit_fen = Int()
    matched_count = Int()
    matched_fen = Int()
    returned_count = Int()
    returned_fen = Int()
    already_recorded_count = Int(allow_none=True, metadata={
        "description": "流水号已在此前的对账单中处理过的笔数（重复上传）"})
    uploaded_at = ma.fields.String()
    finished_at = ma.fields.String(allow_none=True)
    job = ma.fields.Dict(allow_none=True)


class BankLine(Schema):
    id = ma.fields.String()
    serial = ma.fields.String()
    statement_id = ma.fields.String()
    row = Int()
    date = ma.fields.String()
    amount_fen = Int()
    payer_account = ma.fields.String(allow_none=True)
    payer_name = ma.fields.String(allow_none=True)
    memo = ma.fields.String(allow_none=True)
    status = ma.fields.String(metadata={"description": "matched 已匹配入账 | returned 原路退回 | debit 借方"})
    status_label = ma.fields.String()
    reason = ma.fields.String(allow_none=True)
    reason_label = ma.fields.String(allow_none=True)
    remittance_id = ma.fields.String(allow_none=True)
    employer_name = ma.fields.String(allow_none=True)


class BankLineFilter(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(["matched", "returned", "debit"]))
    statement_id = ma.fields.String()
    reason = ma.fields.String()


class ReportArgs(Schema):
    statement_id = ma.fields.String(load_default=None)


class Report(Schema):
    statement_id = ma.fields.String(allow_none=True)
    matched_count = Int()
    matched_fen = Int()
    returned_count = Int()
    returned_fen = Int()
    recorded_credit_count = Int()
    recorded_credit_fen = Int()
    credit_count = Int()
    credit_fen = Int()
    returned_by_reason = ma.fields.List(ma.fields.Dict())
    outstanding_count = Int()
    outstanding_fen = Int()


class Attachment(Schema):
    id = ma.fields.String(required=True)
    filename = ma.fields.String(load_default=None)
    kind = ma.fields.String(load_default=None)


class BackfillRow(Schema):
    employee_id = ma.fields.String(required=True)
    month = ma.fields.String(required=True, validate=MONTH, metadata={"description": "缴款月份（早于本月）"})
    amount_fen = Int(required=True)
    periods = Int(load_default=1)


class BackfillRequest(Schema):
    rows = ma.fields.List(ma.fields.Nested(BackfillRow), required=True)
    attachments = ma.fields.List(ma.fields.Nested(Attachment), required=True)
    reason = ma.fields.String(load_default=None)


class Backfill(Schema):
    id = ma.fields.String()
    employer_id = ma.fields.String()
    employer_name = ma.fields.String(allow_none=True)
    status = ma.fields.String(metadata={"description": "pending 待审核 | approved 已入账 | returned 已退回"})
    status_label = ma.fields.String()
    total_fen = Int()
    row_count = Int()
    rows = ma.fields.List(ma.fields.Dict())
    attachments = ma.fields.List(ma.fields.Dict())
    reason = ma.fields.String(allow_none=True)
    submitted_at = ma.fields.String()
    opinion = ma.fields.String(allow_none=True)
    decided_at = ma.fields.String(allow_none=True)


class StatusFilter(PageArgs):
    status = ma.fields.String()


class WithdrawalRequest(Schema):
    employee_id = ma.fields.String(required=True)
    reason_code = ma.fields.String(required=True, validate=ma.validate.OneOf(list(WITHDRAWAL_REASONS)),
                                   metadata={"description": "提取原因：" + " ".join(
                                       f"{k}{v}" for k, v in WITHDRAWAL_REASONS.items())})
    amount_fen = Int(required=True)
    payee_name = ma.fields.String(required=True)
    payee_bank = ma.fields.String(required=True)
    payee_account = ma.fields.String(required=True)
    note = ma.fields.String(load_default=None)
    attachments = ma.fields.List(ma.fields.Nested(Attachment), required=True)


class Withdrawal(Schema):
    id = ma.fields.String()
    employee_id = ma.fields.String()
    employee_name = ma.fields.String(allow_none=True)
    employer_id = ma.fields.String()
    employer_name = ma.fields.String(allow_none=True)
    reason_code = ma.fields.String()
    reason_label = ma.fields.String()
    amount_fen = Int()
    payee_name = ma.fields.String()
    payee_bank = ma.fields.String()
    payee_account = ma.fields.String()
    note = ma.fields.String(allow_none=True)
    attachments = ma.fields.List(ma.fields.Dict())
    status = ma.fields.String(metadata={
        "description": "pending 待审核 | approved 待支付 | rejected 未通过 | paid 已支付"})
    status_label = ma.fields.String()
    submitted_at = ma.fields.String()
    opinion = ma.fields.String(allow_none=True)
    decided_at = ma.fields.String(allow_none=True)
    paid_at = ma.fields.String(allow_none=True)


PDF_DOC = {"responses": {"200": {"description": "PDF", "content": {"application/pdf": {}}}}}
XLSX_DOC = {"responses": {"200": {"description": "Excel", "content": {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}}}


# -- 汇缴申请 -------------------------------------------------------------------------------------------
@bp.route("/remittances", methods=["GET"])
@bp.arguments(RemittanceFilter, location="query")
@bp.response(200, page_of(Remittance))
def list_remittances(args):
    """汇缴申请列表（单位：本单位；住建局：本辖区），按状态、方式、月份、单位名称筛选"""
    return call(SERVICE, "list_remittances", *list_args(args))


@bp.route("/remittances/roster", methods=["GET"])
@bp.arguments(RosterArgs, location="query")
@bp.response(200, Roster)
def remittance_roster(args):
    """新增汇缴：本单位正常状态职工及本月汇缴金额（指定汇缴金额自动沿用）"""
    return call(SERVICE, "remittance_roster", args["month"], args["mode"])


@bp.route("/remittances", methods=["POST"])
@bp.arguments(RemittanceRequest)
@bp.response(201, RemittanceDetail)
def submit_remittance(args):
    """立即提交汇缴/补缴申请。每单位同时只能有一笔未完成的申请；按月补缴每次不超过12个月；
    在本单位无汇缴记录的职工只能补缴人事档案汇缴开始月份之前的月份"""
    return call(SERVICE, "submit_remittance", args)


@bp.route("/remittances/reminders", methods=["POST"])
@bp.arguments(ReminderArgs)
@bp.response(200, ReminderResult)
def send_reminders(args):
    """立即向本月尚未汇缴的单位发送提醒（每单位每月一次；定时任务每月自动发送）"""
    return call(SERVICE, "send_remittance_reminders", args["month"])


@bp.route("/remittances/<remittance_id>", methods=["GET"])
@bp.response(200, RemittanceDetail)
def get_remittance(remittance_id):
    """汇缴申请详情与明细"""
    return call(SERVICE, "get_remittance", remittance_id)


@bp.route("/remittances/<remittance_id>/approve", methods=["POST"])
@bp.arguments(Opinion)
@bp.response(200, RemittanceDetail)
def approve_remittance(args, remittance_id):
    """住建局审核通过：生成缴费通知（支付代码、摘要、收款账户）"""
    return call(SERVICE, "approve_remittance", remittance_id, args["opinion"])


@bp.route("/remittances/<remittance_id>/return", methods=["POST"])
@bp.arguments(Opinion)
@bp.response(200, RemittanceDetail)
def return_remittance(args, remittance_id):
    """住建局退回（须填写审核意见）"""
    return call(SERVICE, "return_remittance", remittance_id, args["opinion"])


@bp.route("/remittances/<remittance_id>/resubmit", methods=["POST"])
@bp.arguments(RemittanceRequest)
@bp.response(200, RemittanceDetail)
def resubmit_remittance(args, remittance_id):
    """被退回的汇缴申请修改后重新提交（与新增汇缴相同的内容；第N次提交，历次提交与审核意见均保留）"""
    return call(SERVICE, "resubmit_remittance", remittance_id, args)


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
    """打印缴款通知书（PDF）"""
    return file_answer(call(SERVICE, "payment_notice_pdf", remittance_id))


@bp.route("/payment-notices/<remittance_id>/receipt.pdf", methods=["GET"])
@bp.doc(**PDF_DOC)
def payment_receipt_pdf(remittance_id):
    """缴款凭证（PDF，到账后）"""
    return file_answer(call(SERVICE, "payment_receipt_pdf", remittance_id))


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


# -- 到账匹配 -------------------------------------------------------------------------------------------
@bp.route("/bank-statements", methods=["POST"])
@bp.arguments(StatementFile, location="files")
@bp.response(202, Statement)
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
def list_bank_statements(args):
    """已上传的对账单及匹配进度"""
    return call(SERVICE, "list_bank_statements", *list_args(args))


@bp.route("/bank-statements/report", methods=["GET"])
@bp.arguments(ReportArgs, location="query")
@bp.response(200, Report)
def reconciliation_report(args):
    """对账报告：已匹配、原路退回（按原因）、待缴款；已匹配 + 原路退回 = 到账合计"""
    return call(SERVICE, "reconciliation_report", args["statement_id"])


@bp.route("/bank-statements/report.xlsx", methods=["GET"])
@bp.arguments(ReportArgs, location="query")
@bp.doc(**XLSX_DOC)
def reconciliation_report_xlsx(args):
    """导出对账报告（.xlsx：汇总、已匹配、原路退回、待缴款）"""
    return file_answer(call(SERVICE, "reconciliation_report_xlsx", args["statement_id"]))


@bp.route("/bank-statements/<statement_id>", methods=["GET"])
@bp.response(200, Statement)
def get_bank_statement(statement_id):
    """对账单及其匹配结果"""
    return call(SERVICE, "get_bank_statement", statement_id)


@bp.route("/bank-lines", methods=["GET"])
@bp.arguments(BankLineFilter, location="query")
@bp.response(200, page_of(BankLine))
def list_bank_lines(args):
    """到账流水；status=returned 为原路退回清单（含原因）"""
    return call(SERVICE, "list_bank_lines", *list_args(args))


# -- 缴款历史补录 ----------------------------------------------------------------------------------------
@bp.route("/backfills", methods=["POST"])
@bp.arguments(BackfillRequest)
@bp.response(201, Backfill)
def submit_backfill(args):
    """缴款历史补录（指定职工，星号必填，附件），提交住建局审核"""
    return call(SERVICE, "submit_backfill", args)


@bp.route("/backfills", methods=["GET"])
@bp.arguments(StatusFilter, location="query")
@bp.response(200, page_of(Backfill))
def list_backfills(args):
    """缴款历史补录列表"""
    return call(SERVICE, "list_backfills", *list_args(args))


@bp.route("/backfills/<backfill_id>", methods=["GET"])
@bp.response(200, Backfill)
def get_backfill(backfill_id):
    return call(SERVICE, "get_backfill", backfill_id)


@bp.route("/backfills/<backfill_id>/approve", methods=["POST"])
@bp.arguments(Opinion)
@bp.response(200, Backfill)
def approve_backfill(args, backfill_id):
    """审核通过：补录记录记入职工明细账"""
    return call(SERVICE, "approve_backfill", backfill_id, args["opinion"])


@bp.route("/backfills/<backfill_id>/return", methods=["POST"])
@bp.arguments(Opinion)
@bp.response(200, Backfill)
def return_backfill(args, backfill_id):
    return call(SERVICE, "return_backfill", backfill_id, args["opinion"])


# -- 支取申请 -------------------------------------------------------------------------------------------
@bp.route("/withdrawals", methods=["POST"])
@bp.arguments(WithdrawalRequest)
@bp.response(201, Withdrawal)
def submit_withdrawal(args):
    """支取申请：提取原因、收款账户、附件；金额不得超过可支取余额"""
    return call(SERVICE, "submit_withdrawal", args)


@bp.route("/withdrawals", methods=["GET"])
@bp.arguments(StatusFilter, location="query")
@bp.response(200, page_of(Withdrawal))
def list_withdrawals(args):
    """支取申请列表；status=approved 为待支付清单"""
    return call(SERVICE, "list_withdrawals", *list_args(args))


@bp.route("/withdrawals/<withdrawal_id>", methods=["GET"])
@bp.response(200, Withdrawal)
def get_withdrawal(withdrawal_id):
    return call(SERVICE, "get_withdrawal", withdrawal_id)


@bp.route("/withdrawals/<withdrawal_id>/approve", methods=["POST"])
@bp.arguments(Opinion)
@bp.response(200, Withdrawal)
def approve_withdrawal(args, withdrawal_id):
    """审核通过（再次核对余额）并记入明细账"""
    return call(SERVICE, "approve_withdrawal", withdrawal_id, args["opinion"])


@bp.route("/withdrawals/<withdrawal_id>/reject", methods=["POST"])
@bp.arguments(Opinion)
@bp.response(200, Withdrawal)
def reject_withdrawal(args, withdrawal_id):
    """不予通过（须填写审核意见）"""
    return call(SERVICE, "reject_withdrawal", withdrawal_id, args["opinion"])


@bp.route("/withdrawals/<withdrawal_id>/pay", methods=["POST"])
@bp.response(200, Withdrawal)
def pay_withdrawal(withdrawal_id):
    """标记已支付"""
    return call(SERVICE, "pay_withdrawal", withdrawal_id)
