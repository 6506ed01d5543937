"""Line B part 2 at the portal: 汇缴申请 (the new-remittance page with the roster, search highlight,
live total, 指定汇缴, 补缴 months and 全部应用第一页信息), 缴费通知 (notice page with the memo and the
receiving account, 缴款通知书 / 缴款凭证 PDFs), 缴款历史补录, 支取申请, and the bureau's review lists,
到账匹配 (upload, progress, report, export), the return list and the receiving account. The lists are
generic screens (data below); the pages act through /api/v1."""
from __future__ import annotations

from flask import abort, render_template, request

from gateway.context import authorised_as, call
from gateway.portal.blueprint import bp
from gateway.portal.guard import login_required, role
from gateway.portal.screens import Act, Col, Filter, Screen, _add
from shared.contracts.housing_fund import WITHDRAWAL_REASONS
from shared.money import format_cny

SERVICE = "housing_fund"
REMITTANCE_LABELS = {"pending": "待住建局审核", "approved": "待缴款", "returned": "已退回", "paid": "已到账"}
NOTICE_LABELS = {"approved": "待缴款", "paid": "已到账"}
LINE_LABELS = {"matched": "已匹配入账", "returned": "原路退回", "debit": "借方（非到账）"}
BACKFILL_LABELS = {"pending": "待住建局审核", "approved": "审核通过，已入账", "returned": "已退回"}
WITHDRAWAL_LABELS = {"pending": "待住建局审核", "approved": "审核通过，待支付", "rejected": "未通过", "paid": "已支付"}
MODES = {"remit": "汇缴", "back_pay": "补缴"}
STATUS = Col("status_label", "状态", "status")

REMITTANCE_COLUMNS = (Col("mode_label", "方式"), Col("months", "汇缴月份", link=True), Col("employee_count", "人数"),
                      Col("total_fen", "金额", "money"), Col("payment_code", "支付代码"),
                      Col("submitted_at", "提交时间", "datetime"), STATUS)

BACKFILL_ACTIONS = (Act("审核通过", "/api/v1/backfills/{id}/approve", opinion="optional", when=("pending",)),
                    Act("退回", "/api/v1/backfills/{id}/return", opinion="required", when=("pending",), style="danger"))
WITHDRAWAL_ACTIONS = (Act("审核通过", "/api/v1/withdrawals/{id}/approve", opinion="optional", when=("pending",)),
                      Act("不予通过", "/api/v1/withdrawals/{id}/reject", opinion="required", when=("pending",),
                          style="danger"),
                      Act("标记已支付", "/api/v1/withdrawals/{id}/pay", when=("approved",),
                          confirm="确认该笔支取款已支付到收款账户？"))

# --- employer (汇缴单位经办人) ----------------------------------------------------------------------
_add("employer", Screen(
    "remittances", "汇缴申请", SERVICE, "list_remittances", REMITTANCE_COLUMNS, statuses=REMITTANCE_LABELS,
    filters=(Filter("mode", "汇缴方式", MODES),), detail="/portal/payment-notices/{id}",
    new=("新增汇缴申请", "/portal/housing/remit")))
_add("employer", Screen(
    "payment-notices", "缴费通知", SERVICE, "list_payment_notices",
    (Col("months", "汇缴月份", link=True), Col("mode_label", "方式"), Col("total_fen", "应缴金额", "money"),
     Col("memo", "转账摘要"), Col("decided_at", "审核时间", "datetime"), STATUS),
    statuses=NOTICE_LABELS, detail="/portal/payment-notices/{id}"))
_add("employer", Screen(
    "backfills", "缴款历史补录", SERVICE, "list_backfills",
    (Col("row_count", "条数", link=True), Col("total_fen", "补录金额", "money"), Col("reason", "说明"),
     Col("submitted_at", "提交时间", "datetime"), Col("opinion", "审核意见"), STATUS),
    statuses=BACKFILL_LABELS, new=("新增补录", "/portal/housing/backfill"), detail="/portal/backfills/{id}"))
_add("employer", Screen(
    "withdrawals", "支取申请", SERVICE, "list_withdrawals",
    (Col("employee_name", "职工姓名", search=True, link=True), Col("reason_label", "提取原因"),
     Col("amount_fen", "支取金额", "money"), Col("payee_name", "收款人"), Col("submitted_at", "申请时间", "datetime"),
     Col("opinion", "审核意见"), STATUS),
    statuses=WITHDRAWAL_LABELS, search="职工姓名", new=("新增支取申请", "/portal/housing/withdraw"),
    detail="/portal/withdrawals/{id}"))

# --- housing bureau (住建局) ---------------------------------------------------------------------------
_add("housing_bureau", Screen(
    "remittances", "汇缴审核", SERVICE, "list_remittances",
    (Col("employer_name", "单位名称", search=True),) + REMITTANCE_COLUMNS, statuses=REMITTANCE_LABELS,
    search="单位名称 / 支付代码", filters=(Filter("mode", "汇缴方式", MODES),), titles={"pending": "汇缴申请待审核"},
    detail="/portal/payment-notices/{id}",
    row_actions=(Act("审核通过", "/api/v1/remittances/{id}/approve", opinion="optional", when=("pending",)),
                 Act("退回", "/api/v1/remittances/{id}/return", opinion="required", when=("pending",),
                     style="danger"))))
_add("housing_bureau", Screen(
    "bank-statements", "对账单", SERVICE, "list_bank_statements",
    (Col("filename", "文件名"), Col("line_count", "流水笔数"), Col("credit_fen", "到账金额", "money"),
     Col("matched_count", "已匹配"), Col("returned_count", "原路退回"), Col("uploaded_at", "上传时间", "datetime"),
     STATUS), new=("上传对账单", "/portal/housing/reconcile")))
_add("housing_bureau", Screen(
    "bank-lines", "到账流水", SERVICE, "list_bank_lines",
    (Col("date", "交易日期"), Col("serial", "银行流水号", search=True), Col("amount_fen", "金额", "money"),
     Col("payer_name", "付款户名", search=True), Col("payer_account", "付款账号"), Col("memo", "摘要", search=True),
     Col("employer_name", "匹配单位"), Col("reason_label", "退回原因"), STATUS),
    statuses=LINE_LABELS, search="摘要 / 付款户名 / 流水号", titles={"returned": "原路退回清单"}))
_add("housing_bureau", Screen(
    "backfills", "缴款历史补录审核", SERVICE, "list_backfills",
    (Col("employer_name", "单位名称", link=True), Col("row_count", "条数"), Col("total_fen", "补录金额", "money"),
     Col("reason", "说明"), Col("submitted_at", "提交时间", "datetime"), STATUS),
    statuses=BACKFILL_LABELS, detail="/portal/backfills/{id}", row_actions=BACKFILL_ACTIONS))
_add("housing_bureau", Screen(
    "withdrawals", "支取审核", SERVICE, "list_withdrawals",
    (Col("employer_name", "单位名称"), Col("employee_name", "职工姓名", search=True, link=True),
     Col("reason_label", "提取原因"),
     Col("amount_fen", "支取金额", "money"), Col("payee_name", "收款人"), Col("payee_bank", "收款银行"),
     Col("payee_account", "收款账号"), Col("submitted_at", "申请时间", "datetime"), STATUS),
    statuses=WITHDRAWAL_LABELS, search="职工姓名 / 单位名称", titles={"approved": "待支付清单"},
    detail="/portal/withdrawals/{id}", row_actions=WITHDRAWAL_ACTIONS))


def _only(*roles: str) -> None:
    if role() not in roles:
        abort(403)


@bp.route("/portal/housing/remit", methods=["GET"])
@login_required
@authorised_as(SERVICE, "get_remittance")
def housing_remit():
    """新增汇缴申请; ``?resubmit=<id>``: a returned one opened for correction (修改后重新提交)."""
    _only("employer")
    returned = call(SERVICE, "get_remittance", request.args["resubmit"]) if request.args.get("resubmit") else None
    return render_template("portal/housing_remit.html", employer=call(SERVICE, "my_employer"), returned=returned)


@bp.route("/portal/payment-notices/<remittance_id>", methods=["GET"])
@login_required
@authorised_as(SERVICE, "get_remittance")
def payment_notice(remittance_id):
    """汇缴申请 / 缴费通知 detail: lines, and once approved the memo, the account and the PDFs."""
    _only("employer", "housing_bureau")
    return render_template("portal/housing_notice.html", r=call(SERVICE, "get_remittance", remittance_id),
                           bureau=role() == "housing_bureau")


@bp.route("/portal/housing/reconcile", methods=["GET"])
@login_required
@authorised_as(SERVICE, "reconciliation_report")
def housing_reconcile():
    """到账匹配: upload a statement, follow its matching, the report and its export."""
    _only("housing_bureau")
    return render_template("portal/housing_reconcile.html", report=call(SERVICE, "reconciliation_report", None),
                           account=call(SERVICE, "get_receiving_account"))


@bp.route("/portal/housing/backfill", methods=["GET"])
@login_required
@authorised_as(SERVICE, "remittance_roster")
def housing_backfill():
    """缴款历史补录 for chosen employees."""
    _only("employer")
    roster = call(SERVICE, "remittance_roster", _this_month(), "remit")
    return render_template("portal/housing_backfill.html", roster=roster["items"])


@bp.route("/portal/housing/withdraw", methods=["GET"])
@login_required
@authorised_as(SERVICE, "remittance_roster")
def housing_withdraw():
    """支取申请."""
    _only("employer")
    roster = call(SERVICE, "remittance_roster", _this_month(), "remit")
    return render_template("portal/housing_withdraw.html", roster=roster["items"], reasons=WITHDRAWAL_REASONS)


def _review_record(title: str, back: str, r: dict, actions: tuple[Act, ...], fields: list[tuple[str, object]]):
    """A back-fill or withdrawal as its employer and the reviewing bureau see it (proofs, bureau actions)."""
    return render_template("portal/housing_review_record.html", r=r, title=title, back=back,
                           bureau=role() == "housing_bureau", actions=actions, fields=fields)


@bp.route("/portal/backfills/<backfill_id>", methods=["GET"])
@login_required
@authorised_as(SERVICE, "get_backfill")
def backfill_detail(backfill_id):
    """查看 a 缴款历史补录: its rows and proofs; the reviewing bureau approves or returns it here."""
    _only("employer", "housing_bureau")
    r = call(SERVICE, "get_backfill", backfill_id)
    return _review_record("缴款历史补录", "/portal/backfills", r, BACKFILL_ACTIONS, [
        ("补录金额", format_cny(r["total_fen"])), ("条数", r["row_count"]), ("说明", r["reason"])])


@bp.route("/portal/withdrawals/<withdrawal_id>", methods=["GET"])
@login_required
@authorised_as(SERVICE, "get_withdrawal")
def withdrawal_detail(withdrawal_id):
    """查看 a 支取申请: reason, payee and proofs; the reviewing bureau decides or marks it paid here."""
    _only("employer", "housing_bureau")
    r = call(SERVICE, "get_withdrawal", withdrawal_id)
    return _review_record("支取申请", "/portal/withdrawals", r, WITHDRAWAL_ACTIONS, [
        ("职工姓名", r["employee_name"]), ("提取原因", f"{r['reason_code']} {r['reason_label']}"),
        ("支取金额", format_cny(r["amount_fen"])), ("收款人户名", r["payee_name"]), ("收款银行", r["payee_bank"]),
        ("收款账号", r["payee_account"]), ("备注", r["note"])])


def _this_month() -> str:
    from zoneinfo import ZoneInfo

    from shared.clock import clock_from_env

    now = clock_from_env().now().astimezone(ZoneInfo("Asia/Shanghai"))
    return f"{now.year:04d}{now.month:02d}"
