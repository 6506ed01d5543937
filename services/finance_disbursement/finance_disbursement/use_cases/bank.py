"""Stage 12 through the bank: the payment file (代发文件) of a received transfer, the bank's result file
(回盘) per application, and what county finance does with a failed payment (retry with the corrected
account, or return the money with a reason)."""
from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any

from finance_disbursement import views
from finance_disbursement.adapters.repository import (
    BankFileRepository,
    CorrectionRepository,
    ItemRepository,
    TransferRepository,
)
from finance_disbursement.domain.rules import (
    NO_BANK_ACCOUNT,
    bank_line_key,
    check_id,
    check_reason,
    has_bank_account,
)
from finance_disbursement.domain.workflows import ITEM, ITEM_APPLICATION_STATUS, TRANSFER
from finance_disbursement.use_cases.common import emit_for_item, move_item
from finance_disbursement.use_cases.payment import (
    check_received,
    fail_item,
    load_transfer,
    offer_correction,
    pay_item,
)
from shared import validators
from shared.clock import to_local
from shared.errors import Conflict, InvalidInput, NotFound
from shared.events import Envelope
from shared.money import yuan_to_fen
from shared.service import Tx

#: the bank's words for the result of a line (回盘 结果列)
PAID_WORDS = frozenset({"成功", "已成功", "支付成功", "success", "paid"})
FAILED_WORDS = frozenset({"失败", "支付失败", "退票", "failed", "fail"})
DEFAULT_FAILURE = "银行回盘：支付失败"
MAX_LINES = 10_000
_SHA256 = re.compile(r"[0-9a-f]{64}")


def bank_file(tx: Tx, transfer_id: Any) -> dict:
    """The lines of a received transfer's payment file: every application still to be paid, with its
    frozen account and amount and the 支付流水号 the bank's result names. Full card numbers: audited."""
    transfer = load_transfer(tx, transfer_id)
    check_received(transfer)
    waiting = [i for i in tx.repository(ItemRepository).of_transfer(transfer["id"]) if i["status"] == "released"]
    pending = [i for i in waiting if has_bank_account(i)]
    if not pending:
        raise Conflict("本拨付单没有待支付的申请", code="county_transfer.nothing_to_pay",
                       details={"transfer_no": transfer["transfer_no"]})
    lines = [{"line_key": bank_line_key(i), "application_no": i["application_no"],
              "applicant_name": i["applicant_name"], "bank_holder": i["bank_holder"], "bank_name": i["bank_name"],
              "bank_number": i["bank_number"],
              "amount_fen": i["amount_fen"]} for i in pending]
    tx.audit("payment.bank_file", "county_transfer", transfer["id"], region=transfer["county"],
             after={"application_ids": [i["application_id"] for i in pending], "count": len(pending),
                    "amount_fen": sum(i["amount_fen"] for i in pending)})
    return {"transfer_no": transfer["transfer_no"], "count": len(lines),
            "amount_fen": sum(line["amount_fen"] for line in lines), "lines": lines,
            "without_account": [i["application_no"] for i in waiting if not has_bank_account(i)]}


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _amount_fen(value: Any) -> int | None:
    """The line's amount in yuan (text as the payment file wrote it) in fen; None when it is no amount."""
    try:
        return yuan_to_fen(_text(value))
    except (InvalidInput, TypeError):
        return None


def _refuse(line: dict, code: str, message: str) -> dict:
    return {"row": line.get("row"), "line_key": _text(line.get("line_key")), "outcome": "rejected",
            "code": code, "message": message}


def _check_lines(lines: Any) -> list[dict]:
    if not isinstance(lines, list) or not lines:
        raise InvalidInput("回盘文件没有数据行", code="bank_result.empty")
    if len(lines) > MAX_LINES:
        raise InvalidInput(f"回盘文件不能超过{MAX_LINES}行", code="bank_result.too_many_lines")
    if not all(isinstance(line, dict) for line in lines):
        raise InvalidInput("回盘数据格式不正确", code="bank_result.format")
    return lines


def _settle_line(tx: Tx, transfer: dict, line: dict, item: dict | None, seen: set[str]) -> dict:
    """One line of the result: the application paid or failed, or the line refused (nothing changed)."""
    key = _text(line.get("line_key"))
    if item is None:
        return _refuse(line, "bank_result.unknown_line", "支付流水号不属于本拨付单的待支付申请（或已重新支付）")
    if _amount_fen(line.get("amount")) != item["amount_fen"]:
        return _refuse(line, "bank_result.amount_mismatch", "金额与支付文件不符")
    if re.sub(r"[\s-]", "", _text(line.get("bank_number"))) != item["bank_number"]:
        return _refuse(line, "bank_result.account_mismatch", "账号与支付文件不符")
    result = _text(line.get("result")).lower()
    if result not in PAID_WORDS | FAILED_WORDS:
        return _refuse(line, "bank_result.result_invalid", "支付结果应为“成功”或“失败”")
    if key in seen:
        return _refuse(line, "bank_result.duplicate_line", "同一支付流水号在文件中出现多次")
    seen.add(key)
    if item["status"] != "released":  # settled by an earlier file: the same answer again changes nothing
        return {"row": line.get("row"), "line_key": key, "outcome": "unchanged", "code": None,
                "message": "该申请已处理，未作变更"}
    if result in PAID_WORDS:
        pay_item(tx, transfer, item, to_local(tx.now).date())
        return {"row": line.get("row"), "line_key": key, "outcome": "paid", "code": None, "message": "支付成功"}
    reason = (_text(line.get("reason")) or DEFAULT_FAILURE)[:200]
    fail_item(tx, item, reason)
    return {"row": line.get("row"), "line_key": key, "outcome": "failed", "code": None, "message": reason}


def import_bank_result(tx: Tx, transfer_id: Any, sha256: Any, filename: Any, lines: Any) -> dict:
    """回盘: each line pays or fails its application. The same file (SHA-256) twice answers the first
    import and changes nothing; a line with an unknown 支付流水号, another amount or account, or no
    result is reported and changes nothing; the other lines are settled (a file with no line to settle
    is refused whole, 400 ``bank_result.rejected`` with the lines, and not recorded). Once no application
    of the transfer waits, the transfer is 已支付到个人."""
    transfer = load_transfer(tx, transfer_id, lock=True)
    check_received(transfer)
    if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
        raise InvalidInput.field("sha256", "bank_result.sha256", "文件摘要格式不正确")
    files = tx.repository(BankFileRepository)
    previous = files.of_sha(transfer["id"], sha256)
    if previous is not None:
        return {**previous["summary"], "id": previous["id"], "repeated": True}
    lines = _check_lines(lines)
    items = tx.repository(ItemRepository).of_transfer(transfer["id"], lock=True)
    by_key = {bank_line_key(i): i for i in items}
    seen: set[str] = set()
    outcomes = [_settle_line(tx, transfer, line, by_key.get(_text(line.get("line_key"))), seen) for line in lines]
    if all(o["outcome"] == "rejected" for o in outcomes):  # nothing to settle: a bad file, nothing recorded
        reasons = "；".join(f"第{o['row']}行{o['message']}" for o in outcomes[:3])
        raise InvalidInput(f"回盘文件没有可处理的行：{reasons}", code="bank_result.rejected",
                           details={"lines": outcomes})
    for item in items:  # the bank cannot pay one without an account: it fails with the file
        if item["status"] == "released" and not has_bank_account(item):
            fail_item(tx, item, NO_BANK_ACCOUNT)
            outcomes.append({"row": None, "line_key": bank_line_key(item), "outcome": "failed", "code": None,
                             "message": NO_BANK_ACCOUNT})
    counts = {k: sum(1 for o in outcomes if o["outcome"] == k) for k in ("paid", "failed", "unchanged", "rejected")}
    waiting = [i for i in tx.repository(ItemRepository).of_transfer(transfer["id"]) if i["status"] == "released"]
    if not waiting and TRANSFER.allows(transfer["status"], "pay"):
        tx.repository(TransferRepository).update(transfer["id"], {
            "status": TRANSFER.next(transfer["status"], "pay"), "paid_by": tx.principal.account_id,
            "paid_at": tx.now})
    file_id = str(uuid.uuid4())
    summary = {**counts, "lines": outcomes, "filename": _text(filename)[:200] or None, "waiting": len(waiting)}
    files.add({"id": file_id, "transfer_id": transfer["id"], "sha256": sha256, "filename": summary["filename"],
               "summary": summary, "imported_by": tx.principal.account_id, "imported_at": tx.now})
    tx.audit("county_transfer.bank_result", "county_transfer", transfer["id"], region=transfer["county"],
             before={"status": transfer["status"]}, after={"sha256": sha256, **counts})
    return {**summary, "id": file_id, "repeated": False}


def _load_item(tx: Tx, application_id: Any) -> dict:
    item = tx.repository(ItemRepository).latest(check_id(application_id, "application_id"), lock=True)
    if item is None or item["transfer_id"] is None:
        raise NotFound("拨付记录不存在", code="disbursement_item.not_found")
    tx.principal.check_region(item["county"])
    return item


def retry_payment(tx: Tx, application_id: Any, bank_account: Any = None) -> dict:
    """A failed payment goes to the bank again with the account the graduate corrected: the one they
    corrected themselves in unit_registry (``individual.bank_account_changed``, kept on the item) when
    county finance types none, or the one typed (户名 must stay the applicant's). The attempt number moves
    on, so a result line of the failed attempt no longer matches; the next payment file carries it."""
    item = _load_item(tx, application_id)
    status = move_item_checked(item, "retry")
    source, stated_at = "typed", tx.now
    if bank_account is None and item["corrected_bank_number"]:
        bank_account = {"holder": item["corrected_bank_holder"], "bank": item["corrected_bank_name"],
                        "number": item["corrected_bank_number"]}
        source, stated_at = "corrected_by_individual", item["corrected_at"]
    elif bank_account is None:
        raise InvalidInput.field("bank_account", "payment.bank_account_required",
                                 "个人尚未更正银行账户，请填写更正后的账户")
    account = validators.bank_account(bank_account, item["applicant_name"])
    before = {"bank_name": item["bank_name"], "bank_number": item["bank_number"], "attempt": item["attempt"]}
    attempt = item["attempt"] + 1
    move_item(tx, item, "retry", bank_holder=account["holder"], bank_name=account["bank"],
              bank_number=account["number"], bank_account_at=stated_at, attempt=attempt, failure_reason=None,
              payment_id=None,
              corrected_bank_holder=None, corrected_bank_name=None, corrected_bank_number=None, corrected_at=None)
    emit_for_item(tx, "application.payment_retried", item, ITEM_APPLICATION_STATUS[status], attempt=attempt)
    tx.audit("payment.retry", "application", item["application_id"], region=item["county"],
             before=before, after={"bank_name": account["bank"], "bank_number": account["number"],
                                   "attempt": attempt, "account_source": source})
    return _item_view(tx, item)


def receive_corrected_account(tx: Tx, event: Envelope) -> None:
    """``individual.bank_account_changed``: the graduate corrected their account in unit_registry.

    The latest correction of each person is kept with its time (an older one arriving late, or the same
    event again, changes nothing), so a payment that fails later takes it (:func:`fail_item`); each of
    their payments that already failed and waits for county finance keeps it now (个人已更正账户) when
    it is later than the account that failed (``takes_correction``). Nothing is paid until county
    finance retries; a payment not failed keeps its frozen account (it may be in a bank file)."""
    data = event.data
    account, account_id = data.get("bank_account") or {}, data.get("account_id")
    if not account_id or not account.get("number"):
        return
    correction = {"bank_holder": account["holder"], "bank_name": account["bank"], "bank_number": account["number"],
                  "corrected_at": datetime.fromisoformat(event.time)}
    kept = tx.repository(CorrectionRepository)
    latest = kept.latest(str(account_id), lock=True)
    if latest is None or validators.account_supersedes(correction["corrected_at"], latest["corrected_at"]):
        kept.put(str(account_id), {**correction, "updated_at": tx.now})
    for item in tx.repository(ItemRepository).failed_of_account(str(account_id), lock=True):
        offer_correction(tx, item, correction)


def return_payment(tx: Tx, application_id: Any, reason: Any) -> dict:
    """A failed payment is given up: the money goes back (退回) with the reason."""
    item = _load_item(tx, application_id)
    status = move_item_checked(item, "return")
    text = check_reason(reason, "退回原因", "payment.return_reason_")
    move_item(tx, item, "return", return_reason=text)
    emit_for_item(tx, "application.payment_returned", item, ITEM_APPLICATION_STATUS[status], reason=text)
    tx.audit("payment.return", "application", item["application_id"], region=item["county"],
             before={"status": item["status"]}, after={"status": status, "reason": text})
    return _item_view(tx, item)


def move_item_checked(item: dict, action: str) -> str:
    """The item's status after ``action`` (409 before anything is checked or changed otherwise)."""
    return ITEM.next(item["status"], action, message=f"申请{item['application_no']}当前状态不能办理此操作",
                     details={"application_no": item["application_no"]})


def _item_view(tx: Tx, item: dict) -> dict:
    [fresh] = tx.repository(ItemRepository).of_round(item["application_id"], item["round"])
    return views.item(fresh)
