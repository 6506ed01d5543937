"""The payment code (支付代码) and the transfer memo (摘要) of a payment notice, and reading a memo
back from a bank statement line. No framework here.

Memo: ``<trade code>x<payment code>o`` at the very start (11 characters), free text may follow:
trade code 75256 and payment code A7W5 give ``75256xA7W5o``. The code's alphabet leaves out X and O
(the delimiters) and the look-alikes I, 0 and 1, so the memo reads one way only."""
from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWYZ23456789"
CODE_LENGTH = 4
_CODE = f"[{ALPHABET}]{{{CODE_LENGTH}}}"
_MEMO_AT_START = re.compile(rf"^([0-9]{{5}})X({_CODE})O")
_MEMO_ANYWHERE = re.compile(rf"([0-9]{{5}})X({_CODE})O")

# reasons a line goes to the return list (原路退回)
RETURN_REASONS = {
    "malformed_memo": "摘要格式不正确，未找到“单位交易代码x支付代码o”",
    "code_not_at_start": "支付代码不在摘要开头",
    "unknown_code": "支付代码不存在或没有待缴款的缴费通知",
    "trade_code_mismatch": "单位交易代码与缴费通知不符",
    "amount_mismatch": "到账金额与缴费通知金额不符",
    "already_paid": "该缴费通知已到账，重复缴款",
    "multiple_notices": "一笔转账对应多张缴费通知，请按通知分别转账",
}


def new_code(randbelow=secrets.randbelow) -> str:
    return "".join(ALPHABET[randbelow(len(ALPHABET))] for _ in range(CODE_LENGTH))


def memo_of(trade_code: str, payment_code: str) -> str:
    return f"{trade_code}x{payment_code}o"


def normalise(memo: str | None) -> str:
    """Full-width characters to half-width (NFKC), surrounding blanks trimmed, upper case."""
    return unicodedata.normalize("NFKC", memo or "").strip().upper()


@dataclass(frozen=True)
class MemoReading:
    trade_code: str | None
    payment_code: str | None
    reason: str | None        # None when the memo starts with a well-formed code
    codes_in_memo: int = 0


def read_memo(memo: str | None) -> MemoReading:
    """What a bank line's memo says: the trade and payment code at its start, or why not."""
    text = normalise(memo)
    found = _MEMO_ANYWHERE.findall(text)
    match = _MEMO_AT_START.match(text)
    if match:
        return MemoReading(match.group(1), match.group(2), None, len(found))
    return MemoReading(None, None, "code_not_at_start" if found else "malformed_memo", len(found))
