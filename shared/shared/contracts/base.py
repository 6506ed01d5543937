"""Building blocks of the event catalogue: a contract per event type, and small JSON-schema helpers."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import jsonschema

from shared.errors import InvalidInput

# --- JSON-schema vocabulary shared by the contracts -------------------------------------------------
STR = {"type": "string", "minLength": 1}
OPT_STR = {"type": ["string", "null"]}
UUID = {"type": "string", "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"}
OPT_UUID = {"type": ["string", "null"]}
REGION = {"type": "string", "pattern": "^[0-9]{6}$"}
FEN = {"type": "integer", "minimum": 0}
INT = {"type": "integer"}
POS_INT = {"type": "integer", "minimum": 1}
DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
DATETIME = {"type": "string", "minLength": 10}
BOOL = {"type": "boolean"}
OPINION = {"type": ["string", "null"], "maxLength": 500}


def obj(required: dict[str, Any], optional: dict[str, Any] | None = None, *, extra: bool = True) -> dict[str, Any]:
    """A JSON object schema. Extra properties are allowed by default so producers can add fields
    without a new version (consumers must ignore what they do not know)."""
    props = dict(required)
    props.update(optional or {})
    return {"type": "object", "required": sorted(required), "properties": props,
            "additionalProperties": extra}


def array_of(item: dict[str, Any], *, min_items: int = 0) -> dict[str, Any]:
    return {"type": "array", "items": item, "minItems": min_items}


_TYPES: dict[str, Callable[[Any], bool]] = {"string": lambda v: isinstance(v, str), "null": lambda v: v is None,
          "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
          "boolean": lambda v: isinstance(v, bool),
          # a property that says only its type (a person's bank_account: object or null), no keywords inside
          "object": lambda v: isinstance(v, dict), "array": lambda v: isinstance(v, list)}
_FAST_KEYWORDS = {"type", "minLength", "maxLength", "pattern", "minimum"}


def _fast_check(schema: dict[str, Any]) -> Callable[[Any], bool] | None:
    """A plain-Python predicate equivalent to ``schema`` when it is a flat object whose properties use
    only type / minLength / maxLength / pattern / minimum (most contracts); ``None`` otherwise. True
    means valid; False sends the data to jsonschema, which says why."""
    import re

    if schema.get("type") != "object" or set(schema) - {"type", "required", "properties", "additionalProperties"}:
        return None
    if schema.get("additionalProperties", True) is not True:
        return None
    checks = []
    for key, prop in schema.get("properties", {}).items():
        if not isinstance(prop, dict) or set(prop) - _FAST_KEYWORDS:
            return None
        types = prop.get("type")
        types = [types] if isinstance(types, str) else list(types or [])
        if not types or any(t not in _TYPES for t in types):
            return None
        checks.append((key, tuple(_TYPES[t] for t in types), prop.get("minLength"), prop.get("maxLength"),
                       re.compile(prop["pattern"]) if "pattern" in prop else None, prop.get("minimum")))
    required = tuple(schema.get("required", ()))

    def check(data: Any) -> bool:
        if not isinstance(data, dict) or any(k not in data for k in required):
            return False
        for key, types, min_len, max_len, pattern, minimum in checks:
            if key not in data:
                continue
            value = data[key]
            if not any(t(value) for t in types):
                return False
            if isinstance(value, str):
                if (min_len is not None and len(value) < min_len) or (max_len is not None and len(value) > max_len):
                    return False
                if pattern is not None and not pattern.search(value):
                    return False
            elif minimum is not None and isinstance(value, int) and value < minimum:
                return False
        return True
    return check


@dataclass(frozen=True)
class EventContract:
    """One row of the catalogue: the event type, who produces it and what ``data`` looks like."""

    type: str
    producer: str
    schema: dict[str, Any]
    version: int = 1
    line: str = "subsidy"          # subsidy | housing | platform: the first word of the integration key
    stage: int | None = None       # the stage of the 13 it records, for timelines and docs
    description: str = ""
    integration: bool = True       # forwarded (masked) to the platform.events exchange
    _validator: Any = field(default=None, compare=False, repr=False)

    @property
    def exchange(self) -> str:
        return f"{self.producer}.events"

    def validate(self, data: dict[str, Any]) -> None:
        """Raise :class:`InvalidInput` (code ``event.schema``) when ``data`` breaks the contract."""
        validator = self._validator
        if validator is None:
            validator = (jsonschema.Draft202012Validator(self.schema), _fast_check(self.schema))
            object.__setattr__(self, "_validator", validator)
        validator, fast = validator
        if fast is not None and fast(data):
            return  # a flat schema checked in plain Python (a batch emits thousands): valid, nothing to say
        errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
        if errors:
            first = errors[0]
            where = "/".join(str(p) for p in first.path) or "(root)"
            raise InvalidInput(f"事件 {self.type} 数据不符合约定: {where}: {first.message}",
                               code="event.schema", details={"path": where})
