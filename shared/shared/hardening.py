"""Input hardening shared by the gateway and every service entrypoint (written once, used twice).

Whatever a client sends, a bad value must come back as a 400 with the stable error body, never as
a 500 from deep inside (a NUL byte reaching PostgreSQL, a lone surrogate reaching the UTF-8 encoder,
a 1,000-level JSON document reaching the recursive parser, a page number that overflows ``OFFSET``).

- :func:`clean_text` normalises a string (NFC) and refuses NUL and the other control characters
  (tab, line feed and carriage return excepted: opinions have lines) and lone surrogates;
- :func:`clean` walks a decoded JSON value and applies it to every string and key, and bounds depth,
  the number of nodes and every integer;
- :func:`json_depth` measures the nesting of a raw JSON document *without* parsing it (the parser
  itself is what overflows), so hostile bodies are refused before ``json.loads``;
- :func:`strict_int` accepts a true integer only (not ``12.9``, not ``True``, not ``"１２"``).
"""
from __future__ import annotations

import unicodedata
from typing import Any

from shared.errors import InvalidInput

MAX_DEPTH = 32             # nesting of a JSON body or RPC argument (the deepest real body has 4)
MAX_NODES = 20_000         # values in one body (500 ticked ids with their keys fit easily)
MAX_JSON_BYTES = 1 << 20   # 1 MiB of JSON (files go through the multipart attachment route)
MAX_TEXT_LENGTH = 10_000   # one string value
MAX_INT = (1 << 53) - 1    # what every JSON parser represents exactly; PostgreSQL bigint is wider
ALLOWED_CONTROLS = {"\t", "\n", "\r"}


def _bad(field: str, code: str, message: str) -> InvalidInput:
    return InvalidInput(message, code=code, details={"fields": {field: message}} if field else {})


def clean_text(value: str, field: str = "") -> str:
    """``value`` in Unicode NFC, or 400 for control characters and lone surrogates."""
    if len(value) > MAX_TEXT_LENGTH:
        raise _bad(field, "input.text_too_long", f"文字内容不能超过{MAX_TEXT_LENGTH}个字符")
    for ch in value:
        o = ord(ch)
        if 0xD800 <= o <= 0xDFFF:
            raise _bad(field, "input.invalid_text", "输入内容包含无效的字符编码")
        if (o < 0x20 or 0x7F <= o <= 0x9F) and ch not in ALLOWED_CONTROLS:
            raise _bad(field, "input.control_character", "输入内容不能包含控制字符")
    return unicodedata.normalize("NFC", value)


def clean(value: Any, field: str = "", *, max_depth: int = MAX_DEPTH, max_nodes: int = MAX_NODES) -> Any:
    """A copy of the JSON-like ``value`` with every string (and key) cleaned; 400 when it nests deeper
    than ``max_depth``, holds more than ``max_nodes`` values, or an integer beyond ±``MAX_INT``."""
    budget = [max_nodes]

    def walk(v: Any, path: str, depth: int) -> Any:
        budget[0] -= 1
        if budget[0] < 0:
            raise _bad("", "input.too_large", "提交的内容过多")
        if depth > max_depth:
            raise _bad("", "input.too_deep", "提交的内容层级过深")
        if isinstance(v, str):
            return clean_text(v, path)
        if isinstance(v, bool) or v is None or isinstance(v, float):
            return v
        if isinstance(v, int):
            if abs(v) > MAX_INT:
                raise _bad(path, "input.number_out_of_range", "数值超出允许范围")
            return v
        if isinstance(v, dict):
            return {clean_text(str(k), path): walk(item, f"{path}.{k}" if path else str(k), depth + 1)
                    for k, item in v.items()}
        if isinstance(v, list | tuple):
            return [walk(item, f"{path}.{i}" if path else str(i), depth + 1) for i, item in enumerate(v)]
        return v

    return walk(value, field, 0)


def json_depth(raw: bytes | str) -> int:
    """The bracket nesting of a JSON text, counted outside strings, without parsing it."""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def check_json_text(raw: bytes, *, max_bytes: int = MAX_JSON_BYTES, max_depth: int = MAX_DEPTH) -> None:
    """400 (413 semantics, stable body) for a JSON body too large or too deep to be parsed safely."""
    if len(raw) > max_bytes:
        raise InvalidInput(f"提交的内容不能超过{max_bytes // 1024}KB", code="input.too_large")
    if json_depth(raw) > max_depth:
        raise InvalidInput("提交的内容层级过深", code="input.too_deep")


def strict_int(value: Any, field: str, *, minimum: int | None = None, maximum: int | None = None,
               what: str = "数值") -> int:
    """A true integer: JSON ints (not booleans, not 12.9 or 12.0) or ASCII digit strings as a query
    string carries them; full-width digits such as ``"１２"`` are refused rather than silently read."""
    if isinstance(value, bool):
        raise InvalidInput.field(field, "input.integer_required", f"{what}应为整数")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.isascii() and value.strip().lstrip("+-").isdigit() \
            and len(value.strip()) <= 20:
        number = int(value.strip())
    else:
        raise InvalidInput.field(field, "input.integer_required", f"{what}应为整数")
    if abs(number) > MAX_INT:
        raise InvalidInput.field(field, "input.number_out_of_range", f"{what}超出允许范围")
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        bounds = f"{minimum if minimum is not None else ''}-{maximum if maximum is not None else ''}"
        raise InvalidInput.field(field, "input.number_out_of_range", f"{what}应在{bounds}之间")
    return number


def visible(text: str) -> str:
    """``text`` without invisible characters (format and zero-width characters, spaces): what a
    reader sees. A name that is empty by this measure is no name."""
    return "".join(ch for ch in text if not (unicodedata.category(ch) in ("Cf", "Zs", "Zl", "Zp", "Cc")
                                             or ch in "\u200b\u2060\ufeff\u3164\u115f\u1160\u2800"))
