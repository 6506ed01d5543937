"""常用审核意见: an officer's saved opinions, offered by every approve/return dialog of the portal, which
fills the opinion box with the one picked (the officer may still edit it before sending).

Each officer sees and changes only their own: another account's template is 404, as if it did not
exist. Every change is audited (``opinion_template.create`` / ``.update`` / ``.delete``) with before and
after, like identity's other account changes.

Decisions (bad input is a 400 and changes nothing):
- the text is normalised as every text the platform takes (``shared.hardening.clean_text``: NFC, no
  control characters) and trimmed; empty (nothing visible) ``opinion_template.text_required``; more
  than 200 characters ``opinion_template.text_too_long``; not text ``opinion_template.text_format``;
- ``kind``: ``approve`` (offered when approving), ``return`` (when returning) or ``any`` (both, the
  default); anything else ``opinion_template.kind_invalid``;
- ``sort_order``: an integer 0-9999 (default: after the last one); the list is ordered by it, then by
  creation;
- the same text twice for one officer (whatever the kind): 409 ``opinion_template.duplicate``;
- at most ``opinion_templates_max`` (identity policy, default 50) per officer: the next one is 409
  ``opinion_template.limit_reached`` (the account row is locked while counting, so two concurrent
  saves cannot both pass the limit);
- an update naming a field that is not text, kind or sort_order: 400 ``opinion_template.field_not_editable``.
"""
from __future__ import annotations

import uuid
from typing import Any

from identity import use_cases
from identity.adapters.repository import OpinionTemplateRepository, PolicyRepository
from shared.auth.roles import OFFICERS as OFFICER_ROLES
from shared.contracts.identity import OPINION_TEMPLATE_KINDS
from shared.errors import Conflict, InvalidInput, NotFound
from shared.hardening import clean_text, strict_int, visible
from shared.service import Tx

TEXT_MAX = 200
SORT_MAX = 9999
EDITABLE = ("text", "kind", "sort_order")
#: the roles that keep templates: those that approve or return something (shared.auth.roles.OFFICERS)
OFFICERS = sorted(r.value for r in OFFICER_ROLES)


def serialize(row: Any) -> dict:
    return {"id": row["id"], "text": row["text"], "kind": row["kind"],
            "kind_label": OPINION_TEMPLATE_KINDS[row["kind"]], "sort_order": row["sort_order"],
            "created_at": row["created_at"].isoformat(),
            "updated_at": row["updated_at"].isoformat()}


def _audit_view(row: Any) -> dict:
    return {"text": row["text"], "kind": row["kind"], "sort_order": row["sort_order"]}


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise InvalidInput.field("text", "opinion_template.text_format", "常用意见应为文字")
    text = clean_text(value, "text").strip()
    if not visible(text):
        raise InvalidInput.field("text", "opinion_template.text_required", "请填写常用意见内容")
    if len(text) > TEXT_MAX:
        raise InvalidInput.field("text", "opinion_template.text_too_long", f"常用意见不能超过{TEXT_MAX}字")
    return text


def _kind(value: object) -> str:
    if value is None or value == "":
        return "any"
    if not isinstance(value, str) or value not in OPINION_TEMPLATE_KINDS:
        raise InvalidInput.field("kind", "opinion_template.kind_invalid", "适用范围应为通用、审核通过或退回")
    return value


def _sort_order(value: object) -> int:
    return strict_int(value, "sort_order", minimum=0, maximum=SORT_MAX, what="排序号")


def _duplicate(tx: Tx, account_id: str, text: str, other_than: str | None = None) -> None:
    if tx.repository(OpinionTemplateRepository).text_used(account_id, text, other_than=other_than):
        raise Conflict("已有相同内容的常用意见", code="opinion_template.duplicate",
                       details={"fields": {"text": "已有相同内容的常用意见"}})


def _own(tx: Tx, template_id: object) -> Any:
    """The caller's own template (locked), or 404 for any other id, another officer's included."""
    row = None
    if isinstance(template_id, str) and len(template_id) <= 36:
        row = tx.repository(OpinionTemplateRepository).own(template_id, tx.principal.account_id)
    if row is None:
        raise NotFound("常用意见不存在", code="opinion_template.not_found")
    return row


def list_templates(tx: Tx, kind: object = None) -> dict:
    """The caller's templates in their order; ``kind`` (approve or return) keeps those of that kind and
    those for any dialog."""
    kinds = None
    if kind not in (None, ""):
        wanted = _kind(kind)
        if wanted != "any":
            kinds = [wanted, "any"]
    rows = tx.repository(OpinionTemplateRepository).of_account(tx.principal.account_id, kinds)
    return {"items": [serialize(r) for r in rows], "total": len(rows),
            "max": tx.repository(PolicyRepository).load()["opinion_templates_max"]}


def create_template(tx: Tx, data: object) -> dict:
    data = data if isinstance(data, dict) else {}
    text, kind = _text(data.get("text")), _kind(data.get("kind"))
    order = _sort_order(data["sort_order"]) if data.get("sort_order") is not None else None
    account = use_cases.load(tx, tx.principal.account_id, lock=True)   # serialises the count below
    limit = tx.repository(PolicyRepository).load()["opinion_templates_max"]
    count, last = tx.repository(OpinionTemplateRepository).count_and_last(account["id"])
    if count >= limit:
        raise Conflict(f"常用意见最多保存{limit}条，请先删除不再使用的", code="opinion_template.limit_reached",
                       details={"max": limit})
    _duplicate(tx, account["id"], text)
    if order is None:
        order = min((last if last is not None else 0) + (1 if count else 0), SORT_MAX)
    row = {"id": str(uuid.uuid4()), "account_id": account["id"], "text": text, "kind": kind, "sort_order": order,
           "created_at": tx.now, "updated_at": tx.now}
    tx.repository(OpinionTemplateRepository).add(row)
    tx.audit("opinion_template.create", "opinion_template", row["id"], after=_audit_view(row),
             region=tx.principal.region)
    return serialize(row)


def update_template(tx: Tx, template_id: object, data: object) -> dict:
    data = data if isinstance(data, dict) else {}
    row = _own(tx, template_id)
    unknown = set(data) - set(EDITABLE)
    if unknown:
        raise InvalidInput.field(sorted(unknown)[0], "opinion_template.field_not_editable", "该项不能修改")
    values: dict[str, Any] = {}
    if "text" in data:
        values["text"] = _text(data["text"])
    if "kind" in data:
        values["kind"] = _kind(data["kind"])
    if "sort_order" in data:
        values["sort_order"] = _sort_order(data["sort_order"])
    changed = {k: v for k, v in values.items() if v != row[k]}
    if not changed:
        return serialize(row)
    if "text" in changed:
        _duplicate(tx, row["account_id"], changed["text"], other_than=row["id"])
    tx.repository(OpinionTemplateRepository).update(row["id"], {**changed, "updated_at": tx.now})
    after = {**row, **changed, "updated_at": tx.now}
    tx.audit("opinion_template.update", "opinion_template", row["id"], before=_audit_view(row),
             after=_audit_view(after), region=tx.principal.region)
    return serialize(after)


def delete_template(tx: Tx, template_id: object) -> dict:
    row = _own(tx, template_id)
    tx.repository(OpinionTemplateRepository).remove(row["id"])
    tx.audit("opinion_template.delete", "opinion_template", row["id"], before=_audit_view(row),
             region=tx.principal.region)
    return {"id": row["id"], "deleted": True}
