"""Money as integer fen (分). Yuan appear only at the edge: parsing input and formatting output.

Floats are refused everywhere: ``0.1 + 0.2`` is no amount a finance bureau can sign off.
"""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from shared.errors import InvalidInput

_CENT = Decimal("0.01")
# Plain "1200.5" or with thousands separators as spreadsheets export them: "1,200.50"
_YUAN_TEXT = re.compile(r"[+-]?(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.[0-9]+)?|[+-]?\.[0-9]+")


def _reject_float(value: object) -> None:
    if isinstance(value, float | bool):
        raise TypeError(f"money must not be {type(value).__name__}: use str, int or Decimal")


def yuan_to_fen(value: str | int | Decimal, *, round_half_up: bool = False, field: str = "amount") -> int:
    """Convert an amount in yuan to integer fen: ``"1200.5"`` → ``120050``.

    More than 2 significant decimals (``"1.005"``) is refused with ``money.precision`` unless the
    caller explicitly asks for ``round_half_up=True``; trailing zeros (``"1.500"``) are fine.
    Floats and bools raise ``TypeError``: they are programming errors, not user input.
    """
    _reject_float(value)
    if isinstance(value, int):
        return value * 100
    if isinstance(value, str):
        text = value.strip()
        if not _YUAN_TEXT.fullmatch(text):
            raise InvalidInput.field(field, "money.format", "金额格式不正确")
        amount = Decimal(text.replace(",", ""))
    elif isinstance(value, Decimal):
        amount = value
    else:
        raise TypeError(f"money must be str, int or Decimal, not {type(value).__name__}")
    if not amount.is_finite():
        raise InvalidInput.field(field, "money.format", "金额格式不正确")
    try:
        cents = amount.quantize(_CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:  # beyond the context's precision: no real amount is that large
        raise InvalidInput.field(field, "money.format", "金额格式不正确") from None
    if cents != amount and not round_half_up:
        raise InvalidInput.field(field, "money.precision", "金额最多保留两位小数")
    return int(cents * 100)


def fen_to_yuan(fen: int) -> Decimal:
    """Integer fen as a Decimal yuan with exactly 2 places: ``120050`` → ``Decimal("1200.50")``."""
    _check_int(fen)
    return (Decimal(fen) / 100).quantize(_CENT)


def format_yuan(fen: int) -> str:
    """Fen as yuan with thousands separators and 2 decimals: ``120000`` → ``"1,200.00"``."""
    return f"{fen_to_yuan(fen):,.2f}"


def format_cny(fen: int) -> str:
    """Fen as a display amount with the yuan sign: ``"¥1,200.00"``, negative ``"-¥5.00"``."""
    text = format_yuan(abs(fen))
    return f"-¥{text}" if fen < 0 else f"¥{text}"


def multiply_fen(fen: int, count: int) -> int:
    """``fen × count`` for totals such as standard × months, refusing non-integers."""
    _check_int(fen)
    _check_int(count)
    return fen * count


def round_yuan_half_up(amount: Decimal) -> Decimal:
    """Round a yuan amount to 2 places, half up (the rule for each line of a remittance)."""
    _reject_float(amount)
    return Decimal(amount).quantize(_CENT, rounding=ROUND_HALF_UP)


def parse_fen_field(value: object, field: str) -> int:
    """Read a fen amount from input (an int, or a string of digits) as a non-negative integer.

    Raises ``InvalidInput`` with ``money.not_integer`` for anything that is not a whole number
    (floats and bools included: JSON ``1.0`` is no fen amount) and ``money.negative`` below zero.
    """
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InvalidInput.field(field, "money.not_integer", "金额应为以分为单位的整数")
    if isinstance(value, str):
        text = value.strip()
        if not re.fullmatch(r"[+-]?[0-9]+", text):
            raise InvalidInput.field(field, "money.not_integer", "金额应为以分为单位的整数")
        value = int(text)
    if value < 0:
        raise InvalidInput.field(field, "money.negative", "金额不能为负数")
    return value


def _check_int(value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected an integer, not {type(value).__name__}")
