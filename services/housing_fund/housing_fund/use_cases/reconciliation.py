"""Bank reconciliation (到账匹配): the bureau uploads a bank statement; every credit line is matched
by the memo at its start and by amount against the outstanding payment notices.

- An exact match (code of an outstanding notice, its employer's trade code, its full amount) marks the
  remittance paid and credits each employee's ledger; anything else goes to the return list (原路退回)
  with its reason (domain.payment_codes.RETURN_REASONS).
- Two lines for one notice: each line must carry the notice's full amount; the first match pays it,
  the second is returned as ``already_paid`` (a duplicate payment). One line for two notices (two codes
  in the memo, the sum of both as amount) is returned as ``multiple_notices``.
- A bank serial is recorded once (unique): the same statement uploaded twice, or a line repeated in a
  later statement, is recognised and never booked twice.
- The file is parsed whole at upload (400 naming row and column, nothing recorded), then matched by the
  job runner in chunks, each chunk one transaction: a kill -9 half-way loses nothing and repeats
  nothing; the restarted service (or a re-upload, which finds the same statement) finishes it.
- The file itself travels through the attachment store (upload -> id -> read here), never over the
  broker."""
from __future__ import annotations

import os
import uuid
from typing import Any

from sqlalchemy import DateTime, case, delete, func, insert, literal, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from housing_fund.adapters import documents
from housing_fund.adapters.orm import (
    bank_lines,
    bank_statements,
    employers,
    ledger,
    remittance_holds,
    remittance_lines,
    remittances,
)
from housing_fund.domain import payment_codes, statements
from housing_fund.domain import remittances as rules
from housing_fund.use_cases.records import check_id, iso
from shared import faults, jobs
from shared.attachments import AttachmentStore
from shared.errors import InvalidInput, NotFound
from shared.jurisdiction import area_of
from shared.pagination import paginate
from shared.service import Tx

JOB_KIND = "housing.reconcile"
CHUNK = int(os.environ.get("RECONCILE_CHUNK_LINES", "1000"))  # lines per job item (one transaction)
OUTCOMES = {"matched": "已匹配入账", "returned": "原路退回", "debit": "借方（非到账）"}


def upload(tx: Tx, sha256: Any, filename: Any, store_root: str) -> dict:
    """Record a statement and queue its matching; the same file again returns the first upload."""
    if not isinstance(sha256, str):
        raise InvalidInput.field("file", "statement.file_required", "请上传对账单文件")
    store = AttachmentStore(store_root)
    with store.open(sha256) as handle:
        content = handle.read()
    region = tx.principal.region
    existing = tx.session.execute(select(bank_statements).where(
        bank_statements.c.region == region, bank_statements.c.sha256 == sha256)).mappings().first()
    if existing:
        return get_statement(tx, existing["id"])
    lines = statements.parse(content, str(filename or ""))
    credits = [line for line in lines if line.amount_fen > 0]
    statement_id = str(uuid.uuid4())
    items = [{"statement_id": statement_id, "chunk": i // CHUNK, "last": i + CHUNK >= len(lines),
              "lines": [line.to_dict() for line in lines[i:i + CHUNK]]} for i in range(0, len(lines), CHUNK)]
    job = jobs.submit(tx, JOB_KIND, items, region=region, key=f"statement:{statement_id}")
    tx.session.execute(insert(bank_statements).values(
        id=statement_id, region=region, sha256=sha256, filename=str(filename or "")[:200], status="processing",
        line_count=len(lines), credit_count=len(credits), credit_fen=sum(c.amount_fen for c in credits),
        job_id=job["id"], uploaded_by=tx.principal.account_id, uploaded_at=tx.now))
    tx.audit("bank_statement.upload", "bank_statement", statement_id,
             after={"sha256": sha256, "lines": len(lines), "credits": len(credits)}, region=region)
    return get_statement(tx, statement_id)


def _decide(line: dict, reading: payment_codes.MemoReading, outstanding: dict, paid: dict) -> tuple[str, str | None,
                                                                                                        Any]:
    if line["amount_fen"] <= 0:
        return "debit", None, None
    if reading.reason:
        return "returned", reading.reason, None
    notice = outstanding.get(reading.payment_code)
    if notice is None:
        done = paid.get(reading.payment_code)
        return "returned", ("already_paid" if done is not None else "unknown_code"), done
    if notice["trade_code"] != reading.trade_code:
        return "returned", "trade_code_mismatch", notice
    if int(notice["total_fen"]) != line["amount_fen"]:
        return "returned", ("multiple_notices" if reading.codes_in_memo > 1 else "amount_mismatch"), notice
    return "matched", None, notice


def process_chunk(tx: Tx, payload: dict) -> dict:
    """Match one chunk of a statement (one job item, one transaction), set-wise: one query for the
    serials already recorded, one for the notices its codes name (locked), one insert of its lines,
    one update, ledger insert and audit append for the notices it pays, one outbox insert."""
    statement = tx.session.execute(select(bank_statements.c.id, bank_statements.c.region).where(
        bank_statements.c.id == payload["statement_id"])).one()
    lines = payload["lines"]
    seen = set(tx.session.execute(select(bank_lines.c.serial).where(
        bank_lines.c.serial.in_([line["serial"] for line in lines]))).scalars())
    fresh = [line for line in lines if line["serial"] not in seen]
    readings = {line["serial"]: payment_codes.read_memo(line["memo"]) for line in fresh}
    outstanding, paid = _notices(tx, {r.payment_code for r in readings.values() if r.payment_code})
    rows, matched, now = [], [], tx.now
    for line in fresh:
        outcome, reason, notice = _decide(line, readings[line["serial"]], outstanding, paid)
        line_id = str(uuid.uuid4())
        if outcome == "matched":
            paid[notice["payment_code"]] = outstanding.pop(notice["payment_code"])
            matched.append((notice, line_id))
        rows.append({"id": line_id, "serial": line["serial"], "statement_id": statement.id,
                     "region": statement.region, "row": line["row"], "date": line["date"],
                     "amount_fen": line["amount_fen"], "payer_account": line["payer_account"],
                     "payer_name": line["payer_name"], "memo": line["memo"], "outcome": outcome, "reason": reason,
                     "remittance_id": notice["id"] if notice is not None else None,
                     "employer_id": notice["employer_id"] if notice is not None else None, "at": now})
    inserted = set()
    if rows:
        # executemany (psycopg2 batches it into multi-row VALUES): a serial recorded meanwhile by a
        # concurrent statement is skipped, and its line neither pays nor emits
        inserted = set(tx.session.execute(pg_insert(bank_lines).on_conflict_do_nothing(
            index_elements=["serial"]).returning(bank_lines.c.id), rows).scalars())
    _pay(tx, [(notice, line_id) for notice, line_id in matched if line_id in inserted])
    tx.emit_many([{"event_type": f"bank_line.{row['outcome']}", "subject": row["id"], "region": row["region"],
                   "data": {"bank_line_id": row["id"], "region": row["region"], "amount_fen": row["amount_fen"],
                            "status": row["outcome"], "serial": row["serial"], "statement_id": row["statement_id"],
                            "reason": row["reason"],
                            "reason_label": payment_codes.RETURN_REASONS.get(row["reason"] or ""),
                            "remittance_id": row["remittance_id"], "employer_id": row["employer_id"],
                            "payer_name": row["payer_name"], "payer_account": row["payer_account"],
                            "date": row["date"]}}
                  for row in rows if row["id"] in inserted and row["outcome"] != "debit"])
    faults.crash_point(f"reconcile.chunk{payload['chunk']}")
    if payload.get("last"):
        tx.session.execute(update(bank_statements).where(bank_statements.c.id == statement.id).values(
            status="done", finished_at=now))
    return {"lines": len(lines), "recorded": len(inserted), "already_recorded": len(lines) - len(inserted)}


_NOTICE_COLUMNS = (remittances.c.id, remittances.c.employer_id, remittances.c.region, remittances.c.mode,
                   remittances.c.status, remittances.c.payment_code, remittances.c.trade_code,
                   remittances.c.total_fen, remittances.c.month_from, remittances.c.month_to,
                   remittances.c.employee_count)


def _notices(tx: Tx, codes: set[str]) -> tuple[dict, dict]:
    """(outstanding, paid) notices by payment code among ``codes``: the outstanding ones locked (the
    chunk pays them), the paid ones (the latest per code) to tell a second payment from an unknown code."""
    outstanding: dict[str, Any] = {}
    paid: dict[str, Any] = {}
    if not codes:
        return outstanding, paid
    for r in tx.session.execute(select(*_NOTICE_COLUMNS).where(
            remittances.c.payment_code.in_(codes), remittances.c.status == rules.APPROVED)
            .order_by(remittances.c.id).with_for_update()).mappings():
        outstanding[r["payment_code"]] = r
    for r in tx.session.execute(select(*_NOTICE_COLUMNS).where(
            remittances.c.payment_code.in_(codes - set(outstanding)), remittances.c.status == rules.PAID)
            .order_by(remittances.c.paid_at)).mappings():
        paid[r["payment_code"]] = r
    return outstanding, paid


def _pay(tx: Tx, paid: list[tuple[Any, str]]) -> None:
    """The remittances are paid: each line of each credited to the employee's ledger (append-only),
    set-wise (a chunk of a large statement pays hundreds at once): one update, one ledger insert
    (INSERT ... SELECT from the remittance lines), one audit append, one outbox insert."""
    if not paid:
        return
    line_of = {notice["id"]: line_id for notice, line_id in paid}
    ids = list(line_of)
    tx.session.execute(update(remittances).where(remittances.c.id.in_(ids)).values(
        status=rules.PAID, paid_at=tx.now, paid_line_id=case(line_of, value=remittances.c.id)))
    tx.session.execute(delete(remittance_holds).where(remittance_holds.c.remittance_id.in_(ids)))
    r = remittances.alias("r")
    source = select(
        remittance_lines.c.employee_id, r.c.employer_id,
        case({mode: code for mode, code in rules.BUSINESS_CODE.items()}, value=r.c.mode),
        remittance_lines.c.month, literal(1), remittance_lines.c.amount_fen, literal("remittance"), r.c.id,
        literal("到账流水") + func.left(r.c.paid_line_id, 8), literal(tx.now, DateTime(timezone=True)),
    ).join(r, r.c.id == remittance_lines.c.remittance_id).where(r.c.id.in_(ids)).order_by(
        remittance_lines.c.remittance_id, remittance_lines.c.seq)
    tx.session.execute(insert(ledger).from_select(
        ["employee_id", "employer_id", "business_code", "month", "periods", "amount_fen", "ref_type", "ref_id",
         "note", "at"], source))
    tx.audit_many([{"action": "remittance.paid", "subject_type": "remittance", "subject_id": notice["id"],
                    "before": {"status": rules.APPROVED}, "after": {"status": rules.PAID, "bank_line_id": line_id},
                    "region": notice["region"]} for notice, line_id in paid])
    tx.emit_many([{"event_type": "remittance.paid", "subject": notice["id"], "region": notice["region"], "data": {
        "remittance_id": notice["id"], "employer_id": notice["employer_id"], "region": notice["region"],
        "amount_fen": int(notice["total_fen"]), "status": rules.PAID, "mode": notice["mode"],
        "month_from": notice["month_from"], "month_to": notice["month_to"],
        "employee_count": int(notice["employee_count"]), "payment_code": notice["payment_code"],
        "bank_line_id": line_id}} for notice, line_id in paid])


def _load_statement(tx: Tx, statement_id: Any) -> Any:
    row = tx.session.execute(select(bank_statements).where(
        bank_statements.c.id == check_id(statement_id, "statement_id"))).mappings().first()
    if row is None or not tx.principal.sees_region(row["region"]):
        raise NotFound("对账单不存在", code="bank_statement.not_found")
    return row


def _summary(tx: Tx, statement_ids: list[str] | None, region_area: list[str]) -> dict:
    stmt = select(bank_lines.c.outcome, func.count(), func.coalesce(func.sum(bank_lines.c.amount_fen), 0))
    stmt = (stmt.where(bank_lines.c.statement_id.in_(statement_ids)) if statement_ids is not None
            else stmt.where(bank_lines.c.region.in_(region_area)))
    counts = {o: (int(n), int(s)) for o, n, s in tx.session.execute(stmt.group_by(bank_lines.c.outcome))}
    m, r = counts.get("matched", (0, 0)), counts.get("returned", (0, 0))
    return {"matched_count": m[0], "matched_fen": m[1], "returned_count": r[0], "returned_fen": r[1],
            "recorded_credit_count": m[0] + r[0], "recorded_credit_fen": m[1] + r[1]}


def statement_view(tx: Tx, row: Any) -> dict:
    summary = _summary(tx, [row["id"]], [])
    job = jobs.get(tx.session, row["job_id"]) if row["job_id"] else None
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
    stmt = select(bank_statements).where(bank_statements.c.region.in_(area_of(tx.principal))).order_by(
        bank_statements.c.uploaded_at.desc(), bank_statements.c.id)
    return paginate(tx.session, stmt, page, page_size, lambda r: statement_view(tx, r._mapping))


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
    stmt = select(bank_lines, employers.c.name.label("employer_name")).outerjoin(
        employers, employers.c.id == bank_lines.c.employer_id).where(bank_lines.c.region.in_(area_of(tx.principal)))
    status = filters.get("status")
    if status:
        if status not in OUTCOMES:
            raise InvalidInput.field("status", "filter.status_unknown", "状态应为matched、returned或debit")
        stmt = stmt.where(bank_lines.c.outcome == status)
    if filters.get("statement_id"):
        stmt = stmt.where(bank_lines.c.statement_id == check_id(filters["statement_id"], "statement_id"))
    if filters.get("reason"):
        stmt = stmt.where(bank_lines.c.reason == str(filters["reason"]))
    if filters.get("q"):
        from shared.pagination import like_pattern

        pattern = like_pattern(str(filters["q"]))
        stmt = stmt.where(bank_lines.c.memo.ilike(pattern) | bank_lines.c.payer_name.ilike(pattern)
                          | bank_lines.c.serial.ilike(pattern))
    stmt = stmt.order_by(bank_lines.c.at.desc(), bank_lines.c.statement_id, bank_lines.c.row)
    return paginate(tx.session, stmt, page, page_size, lambda r: line_view(r._mapping))


def report(tx: Tx, statement_id: Any = None) -> dict:
    """对账报告: matched, returned (with reasons) and the notices still outstanding in the area."""
    area = area_of(tx.principal)
    if statement_id:
        row = _load_statement(tx, statement_id)
        summary = {**_summary(tx, [row["id"]], []), "credit_count": row["credit_count"],
                   "credit_fen": int(row["credit_fen"])}
    else:
        summary = _summary(tx, None, area)
    reasons = tx.session.execute(select(bank_lines.c.reason, func.count(), func.sum(bank_lines.c.amount_fen)).where(
        bank_lines.c.outcome == "returned",
        *( [bank_lines.c.statement_id == statement_id] if statement_id else [bank_lines.c.region.in_(area)]))
        .group_by(bank_lines.c.reason).order_by(bank_lines.c.reason)).all()
    outstanding = tx.session.execute(select(func.count(), func.coalesce(func.sum(remittances.c.total_fen), 0)).where(
        remittances.c.region.in_(area), remittances.c.status == rules.APPROVED)).one()
    return {**summary, "statement_id": statement_id,
            "returned_by_reason": [{"reason": r, "label": payment_codes.RETURN_REASONS.get(r, r), "count": int(n),
                                    "amount_fen": int(s)} for r, n, s in reasons],
            "outstanding_count": int(outstanding[0]), "outstanding_fen": int(outstanding[1])}


def report_xlsx(tx: Tx, statement_id: Any = None) -> dict:
    """The report as .xlsx (base64): 汇总, 已匹配, 原路退回, 待缴款."""
    import base64

    data = report(tx, statement_id)
    area = area_of(tx.principal)
    where = [bank_lines.c.statement_id == statement_id] if statement_id else [bank_lines.c.region.in_(area)]
    lines = tx.session.execute(select(bank_lines, employers.c.name.label("employer_name")).outerjoin(
        employers, employers.c.id == bank_lines.c.employer_id).where(*where, bank_lines.c.outcome != "debit")
        .order_by(bank_lines.c.statement_id, bank_lines.c.row)).mappings().all()
    outstanding = tx.session.execute(select(remittances, employers.c.name.label("employer_name")).join(
        employers, employers.c.id == remittances.c.employer_id).where(
        remittances.c.region.in_(area), remittances.c.status == rules.APPROVED)
        .order_by(remittances.c.decided_at)).mappings().all()
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


