"""The printed forms of both lines, built from what the JSON routes they mirror answer, and their
verification token: a signed (not secret) note of what was printed - kind, record id, number, amount,
count, status and time - with no personal data (no name, no ID number, no account), so the QR code may
be public. Line A: 申请表, 公示名单, 市级汇总表, 拨付明细表; line B: 缴款通知书, 缴款凭证."""
from __future__ import annotations

from datetime import datetime

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer

from gateway.portal.formatting import cn_date, cn_datetime
from gateway.printing.pdf import Document
from shared.errors import NotFound
from shared.money import format_yuan
from shared.validators import DocumentType, mask_name

SALT = "printed-form"
KINDS = {"application": "大学生租房补助申请表", "publicity_notice": "大学生租房补助公示名单",
         "city_table": "大学生租房补助市级汇总表", "payment_detail": "大学生租房补助拨付明细表",
         "payment_notice": "住房补贴缴款通知书", "payment_receipt": "住房补贴缴款凭证"}
SIGNATURES = {"application": "申请人签字：________________　　单位经办人签字（盖章）：________________",
              "city_table": "市人社局经办人：________________　　市组织部确认：________________",
              "payment_detail": "县财政局经办人：________________　　复核：________________"}
FOOTER = "本表由大学生租房补助平台生成，扫描右上角二维码可核验真伪与当前状态（核验页不显示个人信息）。"
HOUSING = "住房补贴汇缴平台"
HOUSING_FOOTER = f"本文书由{HOUSING}生成，扫描右上角二维码可核验真伪与当前状态（核验页不显示单位与账户信息）。"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def verification_token(kind: str, record_id: str, *, number: str, status_label: str, printed_at: datetime,
                       amount_fen: int | None = None, count: int | None = None) -> str:
    note: dict[str, str | int] = {"k": kind, "i": record_id, "n": number, "s": status_label,
                                  "t": printed_at.isoformat(timespec="seconds")}
    if amount_fen is not None:
        note["a"] = amount_fen
    if count is not None:
        note["c"] = count
    return _serializer().dumps(note)


def read_token(token: str) -> dict:
    """The note of a printed form; 404 ``verification.not_found`` for a token this platform did not sign."""
    try:
        note = _serializer().loads(token)
    except BadSignature:
        raise NotFound("未找到该文书，请核对二维码是否完整或文书是否为本平台出具",
                       code="verification.not_found") from None
    if not isinstance(note, dict) or note.get("k") not in KINDS:
        raise NotFound("未找到该文书", code="verification.not_found")
    return note


def verify_url(token: str) -> str:
    """The public page of the token (absolute, so a phone can open it)."""
    return request.host_url.rstrip("/") + "/verify/" + token


def yuan(fen: int | None) -> str:
    return f"{format_yuan(fen)} 元" if isinstance(fen, int) else ""


def application_form(app: dict, url: str, printed_at: datetime) -> Document:
    """申请表: every field of the application (the reviewer's copy: full ID number), work history."""
    bank = app.get("bank_account") or {}
    id_type = app.get("id_type") or ""
    try:
        id_label = DocumentType(id_type).label
    except ValueError:
        id_label = id_type
    rows = [("申请编号", app.get("application_no") or ""), ("姓名", app.get("applicant_name") or ""),
            ("证件类型", id_label), ("证件号码", app.get("id_number") or ""), ("手机号码", app.get("mobile") or ""),
            ("单位名称", app.get("unit_name") or ""), ("所在县区", app.get("county_name") or ""),
            ("学历", app.get("degree_label") or ""), ("补助申领起始日期", cn_date(app.get("start_date"))),
            ("补贴月数", str(app.get("months") or "")), ("补贴标准", yuan(app.get("standard_fen")) + "/月"),
            ("合计金额", yuan(app.get("amount_fen"))), ("提交时间", cn_datetime(app.get("submitted_at"))),
            ("上报时间", cn_datetime(app.get("reported_at"))), ("开户行", bank.get("bank") or ""),
            ("银行卡号", bank.get("number") or ""), ("当前状态", app.get("status_label") or ""),
            ("审核意见", app.get("opinion") or "")]
    history = [[w.get("employer") or "", w.get("position") or "", w.get("from") or "", w.get("to") or ""]
               for w in app.get("work_history") or []]
    return Document(KINDS["application"], url, subtitle=f"打印时间：{cn_datetime(printed_at.isoformat())}",
                    rows=rows, table_header=("工作单位", "职务", "起", "止") if history else (),
                    table_rows=history, notes=[SIGNATURES["application"], FOOTER])


def publicity_notice(batch: dict, url: str, printed_at: datetime) -> Document:
    """公示名单: names masked as on the public page; anyone may object until the end of the last day."""
    cases = batch.get("cases") or []
    rows = [[str(n), c.get("application_no") or "", mask_name(c.get("applicant_name") or ""), c.get("unit_name") or "",
             c.get("degree_label") or "", str(c.get("months") or ""), format_yuan(c.get("amount_fen") or 0)]
            for n, c in enumerate(cases, 1)]
    return Document(KINDS["publicity_notice"], url, wide=True,
                    subtitle=f"{batch.get('county_name') or ''} 公示批次 {batch.get('batch_no') or ''}　公示期："
                             f"{cn_date(batch.get('starts_on'))}至{cn_date(batch.get('ends_on'))}（含）",
                    table_header=("序号", "申请编号", "姓名", "单位", "学历", "月数", "金额（元）"),
                    table_rows=rows,
                    column_widths=(40, 150, 70, 230, 90, 50, 100),
                    notes=[f"共 {len(cases)} 人。公示期内对公示对象有异议的，"
                           "可在公示期最后一日24时前通过平台公示页面提出，请写明联系方式与理由。", FOOTER])


def city_table(batch: dict, url: str, printed_at: datetime) -> Document:
    """市级汇总表: the totals per county, then every application of the batch."""
    counties = [[c.get("county_name") or c.get("county") or "", str(c.get("count") or 0),
                 format_yuan(c.get("amount_fen") or 0)] for c in batch.get("counties") or []]
    cases = [[c.get("application_no") or "", c.get("applicant_name") or "", c.get("county_name") or "",
              c.get("unit_name") or "", c.get("degree_label") or "", str(c.get("months") or ""),
              format_yuan(c.get("amount_fen") or 0)] for c in batch.get("cases") or []]
    notes = ["各县区合计：" + "；".join(f"{n} {k} 人 {a} 元" for n, k, a in counties),
             f"合计：{batch.get('count') or 0} 人，{yuan(batch.get('amount_fen'))}。"
             f"状态：{batch.get('status_label') or ''}",
             SIGNATURES["city_table"], FOOTER]
    return Document(KINDS["city_table"], url, wide=True,
                    subtitle=f"{batch.get('city_name') or ''} 汇总批次 {batch.get('batch_no') or ''}",
                    table_header=("申请编号", "姓名", "县区", "单位", "学历", "月数", "金额（元）"), table_rows=cases,
                    column_widths=(150, 70, 80, 220, 90, 50, 80), notes=notes)


def payment_detail(transfer: dict, url: str, printed_at: datetime) -> Document:
    """拨付明细表 of a county transfer: each graduate, the amount and the account paid to (card number
    as the JSON route shows it)."""
    items = [[i.get("application_no") or "", i.get("applicant_name") or "", i.get("unit_name") or "",
              i.get("bank_name") or "", i.get("bank_number") or "", format_yuan(i.get("amount_fen") or 0),
              i.get("status_label") or ""] for i in transfer.get("items") or []]
    return Document(KINDS["payment_detail"], url, wide=True,
                    subtitle=f"{transfer.get('county_name') or ''} 拨付单 {transfer.get('transfer_no') or ''}"
                             f"　批次 {transfer.get('batch_no') or ''}",
                    rows=[("人数", str(transfer.get("count") or 0)), ("金额", yuan(transfer.get("amount_fen"))),
                          ("市财政拨付时间", cn_datetime(transfer.get("released_at"))),
                          ("支付时间", cn_datetime(transfer.get("paid_at"))),
                          ("状态", transfer.get("status_label") or "")],
                    table_header=("申请编号", "姓名", "单位", "开户行", "银行卡号", "金额（元）", "状态"),
                    table_rows=items,
                    column_widths=(140, 60, 170, 130, 100, 80, 60),
                    notes=[SIGNATURES["payment_detail"], FOOTER])


def _remittance_rows(n: dict, amount_label: str) -> list[tuple[str, str]]:
    return [("缴款单位", n.get("employer_name") or ""), ("汇缴方式", n.get("mode_label") or ""),
            ("汇缴月份", n.get("months") or ""), ("缴款人数", f"{n.get('employee_count') or 0} 人"),
            (amount_label, yuan(n.get("total_fen")))]


def payment_notice(n: dict, url: str, printed_at: datetime) -> Document:
    """缴款通知书 (line B): what the employer pays, into which account, with which transfer memo (the
    service's notes say how the memo must be written)."""
    account = n.get("receiving_account") or {}
    rows = _remittance_rows(n, "应缴金额") + [
        ("单位交易代码", n.get("trade_code") or ""), ("支付代码", n.get("payment_code") or ""),
        ("转账摘要", n.get("memo") or ""), ("收款户名", account.get("account_name") or ""),
        ("收款账号", account.get("account_no") or ""), ("开户银行", account.get("bank_name") or ""),
        ("状态", n.get("status_label") or "")]
    notes = [*(n.get("notes") or []), f"例如：{n.get('memo') or ''}，{n.get('months') or ''}月份汇缴款。",
             HOUSING_FOOTER]
    return Document(KINDS["payment_notice"], url, subtitle=f"打印时间：{cn_datetime(printed_at.isoformat())}",
                    rows=rows, notes=notes, author=HOUSING)


def payment_receipt(n: dict, url: str, printed_at: datetime) -> Document:
    """缴款凭证 (line B) of a paid remittance: what arrived and when."""
    rows = _remittance_rows(n, "实缴金额") + [
        ("支付代码", n.get("payment_code") or ""), ("转账摘要", n.get("memo") or ""),
        ("到账时间", cn_datetime(n.get("paid_at")))]
    return Document(KINDS["payment_receipt"], url, subtitle=f"打印时间：{cn_datetime(printed_at.isoformat())}",
                    rows=rows, notes=[*(n.get("notes") or []), HOUSING_FOOTER], author=HOUSING)


__all__ = ["KINDS", "application_form", "city_table", "payment_detail", "payment_notice", "payment_receipt",
           "publicity_notice", "read_token", "verification_token", "verify_url"]
