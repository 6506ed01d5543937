"""用户须知: the terms in force for unit and individual registration, and the check that the accepted one is it."""
from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path

import yaml

from shared.errors import InvalidInput, NotFound
from shared.service import Tx

TERMS_KINDS = ("unit", "individual")
TERMS_FILE = Path(__file__).parents[1] / "data" / "terms.yaml"


# -- 用户须知 ------------------------------------------------------------------------------------------
def current_terms(tx: Tx, kind: str) -> dict:
    """The 用户须知 in force for ``kind`` (unit or individual registration)."""
    if kind not in TERMS_KINDS:
        raise InvalidInput.field("kind", "terms.kind_unknown", "用户须知类型应为 unit 或 individual")
    in_force = [t for t in _terms()[kind] if datetime.fromisoformat(t["effective_from"]) <= tx.now]
    if not in_force:
        raise NotFound("用户须知尚未发布", code="terms.not_found")
    row = max(in_force, key=lambda t: datetime.fromisoformat(t["effective_from"]))
    return {"kind": kind, "version": row["version"], "title": row["title"], "body": row["body"].strip(),
            "effective_from": row["effective_from"]}


@lru_cache(maxsize=1)
def _terms() -> dict:
    return yaml.safe_load(TERMS_FILE.read_text(encoding="utf-8"))


def check_terms_accepted(tx: Tx, kind: str, version: object) -> str:
    """The version the registrant accepted must be the one in force (400 otherwise)."""
    if not version:
        raise InvalidInput.field("terms_version", "terms.not_accepted", "请先阅读并同意用户须知")
    current = current_terms(tx, kind)["version"]
    if version != current:
        raise InvalidInput.field("terms_version", "terms.outdated", "用户须知已更新，请重新阅读并同意")
    return current
