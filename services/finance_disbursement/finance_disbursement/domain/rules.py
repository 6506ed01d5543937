"""Input checks and small rules of disbursement: transfer numbers, bank number masking, rounds."""
from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from shared.errors import InvalidInput
from shared.opinions import check_opinion as check_opinion_text
from shared.validators import account_supersedes

_COUNTY = re.compile(r"^\d{6}$")
NO_BANK_ACCOUNT = "未登记银行账户，无法支付到个人"


def has_bank_account(item: dict) -> bool:
    """Whether the money can go to the individual: holder, bank and number all recorded."""
    return bool(item["bank_number"] and item["bank_name"] and item["bank_holder"])


def takes_correction(item: dict, correction: dict | None) -> bool:
    """Whether a failed payment takes the graduate's corrected account (个人已更正账户) for its retry:
    ``correction`` (the latest one kept for the person: bank_holder/bank_name/bank_number, corrected_at)
    must be another account than the one that failed, stated later than it (``bank_account_at``: the time
    unit_registry stated the account the county approval froze, or the time of the retry's account; when
    unknown, another account is taken), and later than a correction the payment already holds. The
    frozen account itself never changes: the retry moves the corrected one into it."""
    if correction is None:
        return False
    if (correction["bank_holder"], correction["bank_name"], correction["bank_number"]) == (
            item["bank_holder"], item["bank_name"], item["bank_number"]):
        return False
    at = correction["corrected_at"]
    held_at = item.get("bank_account_at")
    if held_at is not None and not account_supersedes(at, held_at):
        return False
    return account_supersedes(at, item.get("corrected_at"))


def transfer_no(county: str, day: date, seq: int) -> str:
    """拨付单号: ``BF<county>-<yyyymmdd>-<nn>``, numbered per county and local day from 01."""
    return f"BF{county}-{day:%Y%m%d}-{seq:02d}"


def check_id(value: Any, field: str) -> str:
    """A record id from the caller; a non-text id is a bad request, an unknown one is 404 later."""
    if not isinstance(value, str) or not value.strip() or len(value) > 64:
        raise InvalidInput.field(field, "invalid_id", "记录编号格式不正确")
    return value.strip()


def check_opinion(opinion: Any) -> str:
    """The individual's explanation when the money has not arrived: required, at most 500 characters."""
    return check_opinion_text(opinion, required=True, what="情况说明", missing="请填写未收到补助的情况说明",
                              code="payment.opinion_", not_text="required") or ""


def check_reason(reason: Any, what: str, code: str) -> str:
    """A required reason (退回原因, 追回原因): text of at most 500 characters; ``code`` prefixes the errors."""
    return check_opinion_text(reason, required=True, what=what, missing=f"请填写{what}", code=code,
                              not_text="required") or ""


def bank_line_key(item: dict) -> str:
    """支付流水号 of an application's attempt at the bank: ``<application no>-<round>-<attempt>``. The
    bank's result line names it; a line of an earlier attempt (before a retry) no longer matches."""
    return f"{item['application_no']}-{item['round']}-{item['attempt']}"


def check_county_choice(county: Any, batch_counties: Iterable[str]) -> str | None:
    """The county city finance chose to release (None: every county not yet released)."""
    if county is None or county == "":
        return None
    if not isinstance(county, str) or not _COUNTY.match(county):
        raise InvalidInput.field("county", "region.format", "行政区划代码应为6位数字")
    if county not in set(batch_counties):
        raise InvalidInput.field("county", "disbursement_batch.county_not_in_batch", "该汇总批次不包含此县区")
    return county


def check_filters(filters: Any, allowed: dict[str, Iterable[str] | None]) -> dict[str, str]:
    """List filters as a dict of text; ``allowed`` maps a filter to its permitted values (None: any)."""
    if filters is None:
        return {}
    if not isinstance(filters, dict):
        raise InvalidInput("筛选条件格式不正确", code="filters.invalid")
    clean: dict[str, str] = {}
    for key, value in filters.items():
        if value in (None, ""):
            continue
        if key not in allowed:
            raise InvalidInput.field(key, "filters.unknown", "不支持的筛选条件")
        if not isinstance(value, str):
            raise InvalidInput.field(key, "filters.invalid", "筛选条件应为文本")
        choices = allowed[key]
        if choices is not None and value not in set(choices):
            raise InvalidInput.field(key, "filters.invalid", "筛选条件取值不正确")
        clean[key] = value.strip()
    return clean


def is_new_round(incoming: int, recorded: int | None) -> bool:
    """Whether an application event starts something new here: a round already recorded (or an older
    one, delivered late) repeats a stage and changes nothing."""
    return recorded is None or incoming > recorded
