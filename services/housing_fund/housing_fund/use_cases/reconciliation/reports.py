"""What reconciliation shows: statements, their lines (the return list), the report and its .xlsx."""
from __future__ import annotations

from typing import Any

from housing_fund.adapters import documents
from housing_fund.adapters.repository import BankRepository, JobRepository
from housing_fund.domain import payment_codes
from housing_fund.use_cases.records import check_id, iso
from shared.errors import NotFound
from shared.jurisdiction import area_of
from shared.pagination import known_filter
from shared.service import Tx

OUTCOMES = {"matched": "已匹配入账", "returned": "原路退回", "debit": "借方（非到账）"}


def _load_statement(tx: Tx, statement_id: Any) -> Any:
    row = tx.repository(BankRepository).statement_row(check_id(statement_id, "statement_id"))
    if row is None or not tx.principal.sees_region(row["region"]):
        raise NotFound("对账单不存在", code="bank_statement.not_found")
    return row


def _summary(tx: Tx, statement_id: str | None, region_area: list[str]) -> dict:
    counts = tx.repository(BankRepository).outcome_totals(statement_id, region_area)
    m, r = counts.get("matched", (0, 0)), counts.get("returned", (0, 0))
    return {"matched_count": m[0], "matched_fen": m[1], "returned_count": r[0], "returned_fen": r[1],
            "recorded_credit_count": m[0] + r[0], "recorded_credit_fen": m[1] + r[1]}


def statement_view(tx: Tx, row: Any) -> dict:
    summary = _summary(tx, row["id"], [])
    job = tx.repository(JobRepository).get(row["job_id"]) if row["job_id"] else None
    return {"id": row["id"], "region": row["region"], "filename": row["filename"], "sha256": row["sha256"],
            "status": row["status"], "status_label": "匹配完成" if row["status"] == "done" else "匹配中",
            "line_count": row["line_count"], "credit_count": row["credit_count"], "credit_fen": int(row["credit_fen"]),
            "uploaded_at": iso(row["uploaded_at"]), "finished_at": iso(row["finished_at"]), "job": job,
            # lines whose serial an earlier statement had recorded already (a repeated upload)
            "already_recorded_count": (row["credit_count"] - summary["recorded_credit_count"]
                                       if row["status"] == "done" else None),
            **summary}


def get_statement(tx: Tx, statement_id: Any) -> dict:
    return statement_view(tx, _load_statement(tx, statement_id))


def list_statements(tx: Tx, filters: dict, page: Any, page_size: Any) -> dict:
    return tx.repository(BankRepository).statements_page(area_of(tx.principal), page, page_size,
                                                         lambda r: statement_view(tx, r))


def line_view(r: Any) -> dict:
    return {"id": r["id"], "serial": r["serial"], "statement_id": r["statement_id"], "row": r["row"],
            "date": r["date"], "amount_fen": int(r["amount_fen"]), "payer_account": r["payer_account"],
            "payer_name": r["payer_name"], "memo": r["memo"], "status": r["outcome"],
            "status_label": OUTCOMES.get(r["outcome"], r["outcome"]), "reason": r["reason"],
            "reason_label": payment_codes.RETURN_REASONS.get(r["reason"] or ""), "remittance_id": r["remittance_id"],
            "employer_id": r["employer_id"], "employer_name": r.get("employer_name"), "at": iso(r["at"])}


def list_lines(tx: Tx, filters: dict, page: Any, page_size: Any) -> dict:
    """Bank lines of the bureau's area; ``status`` matched | returned (the return list), ``statement_id``,
    ``reason``, ``q`` (memo, payer name, serial)."""
    known_filter(filters, "status", OUTCOMES, "状态应为matched、returned或debit")
    if filters.get("statement_id"):
        filters = {**filters, "statement_id": check_id(filters["statement_id"], "statement_id")}
    return tx.repository(BankRepository).lines_page(area_of(tx.principal), filters, page, page_size, line_view)


def report(tx: Tx, statement_id: Any = None) -> dict:
    """对账报告: matched, returned (with reasons) and the notices still outstanding in the area."""
    area = area_of(tx.principal)
    if statement_id:
        row = _load_statement(tx, statement_id)
        summary = {**_summary(tx, row["id"], []), "credit_count": row["credit_count"],
                   "credit_fen": int(row["credit_fen"])}
    else:
        summary = _summary(tx, None, area)
    found = tx.repository(BankRepository)
    reasons = found.returned_by_reason(statement_id, area)
    outstanding = found.outstanding_totals(area)
    return {**summary, "statement_id": statement_id,
            "returned_by_reason": [{"reason": r, "label": payment_codes.RETURN_REASONS.get(r, r), "count": int(n),
                                    "amount_fen": s} for r, n, s in reasons],
            "outstanding_count": outstanding[0], "outstanding_fen": outstanding[1]}


def report_xlsx(tx: Tx, statement_id: Any = None) -> dict:
    """The report as .xlsx (base64): 汇总, 已匹配, 原路退回, 待缴款."""
    import base64

    data = report(tx, statement_id)
    area = area_of(tx.principal)
    lines = tx.repository(BankRepository).credit_lines(statement_id, area)
    outstanding = tx.repository(BankRepository).outstanding(area)
    yuan = lambda fen: float(fen) / 100  # noqa: E731 - display only, the figures are fen in the data

    def rows_of(outcome):
        return [[r["date"], r["serial"], yuan(r["amount_fen"]), r["payer_name"], r["payer_account"], r["memo"],
                 r["employer_name"] or "", payment_codes.RETURN_REASONS.get(r["reason"] or "", "")]
                for r in lines if r["outcome"] == outcome]
    header = ["交易日期", "银行流水号", "金额（元）", "付款户名", "付款账号", "摘要", "匹配单位", "退回原因"]
    content = documents.xlsx({
        "汇总": (["项目", "笔数", "金额（元）"], [
            ["已匹配入账", data["matched_count"], yuan(data["matched_fen"])],
            ["原路退回", data["returned_count"], yuan(data["returned_fen"])],
            ["到账合计", data["recorded_credit_count"], yuan(data["recorded_credit_fen"])],
            ["待缴款通知", data["outstanding_count"], yuan(data["outstanding_fen"])]]),
        "已匹配": (header, rows_of("matched")),
        "原路退回": (header, rows_of("returned")),
        "待缴款": (["单位", "支付代码", "摘要", "汇缴月份", "金额（元）"],
                 [[r["employer_name"], r["payment_code"], r["memo"], r["month_from"], yuan(r["total_fen"])]
                  for r in outstanding])})
    return {"filename": "对账报告.xlsx", "content_b64": base64.b64encode(content).decode(),
            "content_type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
