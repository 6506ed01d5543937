"""Records of attachments, kept by the service whose business records refer to them.

The gateway stores the bytes (``shared.attachments.AttachmentStore``) and hands the service the
metadata (``record``). A record belongs to its uploader until a command links it to a business record
(``link``); from then on it is readable by whoever may read that record (the service decides, with
``readable`` and its own jurisdiction rule). Bytes never travel over RabbitMQ: RPCs and events carry
ids and metadata only.

The table is each owning service's own (``attachments`` in its database, see unit_registry's orm);
these functions take it as an argument so every owner applies the same rules.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import BigInteger, Column, DateTime, Index, MetaData, RowMapping, String, Table, insert, select, update

from shared.attachments import KINDS, OWNER_CODES, kind_of, owner_of
from shared.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from shared.service import Tx

_SHA256 = re.compile(r"[0-9a-f]{64}")
MAX_PER_RECORD = 20


def table(metadata: MetaData) -> Table:
    """The ``attachments`` table of an owning service (its migration creates it with explicit operations)."""
    attachments = Table(
        "attachments", metadata,
        Column("id", String(40), primary_key=True),
        Column("sha256", String(64), nullable=False),
        Column("content_type", String(100), nullable=False),
        Column("size", BigInteger, nullable=False),
        Column("filename", String(200), nullable=False),
        Column("kind", String(30), nullable=False),
        Column("uploader_account_id", String(36), nullable=True),  # null: uploaded on a registration form
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("subject_type", String(20), nullable=True),         # the business record it is linked to
        Column("subject_id", String(36), nullable=True),
        Column("linked_at", DateTime(timezone=True), nullable=True),
    )
    Index("ix_attachments_subject", attachments.c.subject_type, attachments.c.subject_id)
    return attachments


def not_found() -> NotFound:
    return NotFound("附件不存在或无权查看", code="attachment.not_found")


def record(tx: Tx, table: Table, meta: dict[str, Any], *, service: str) -> dict[str, Any]:
    """Keep the record of an upload the gateway has stored. The uploader is the caller (``None`` for a
    registration form's upload before the account exists)."""
    if not isinstance(meta, dict):
        raise InvalidInput("附件信息不完整", code="attachment.meta_invalid")
    kind = kind_of(meta.get("kind"))
    attachment_id = meta.get("id")
    if kind.owner != service or owner_of(attachment_id) != service:
        raise InvalidInput.field("kind", "attachment.kind_unknown", "附件类型不正确")
    if not isinstance(meta.get("sha256"), str) or not _SHA256.fullmatch(meta["sha256"]):
        raise InvalidInput("附件信息不完整", code="attachment.meta_invalid")
    if meta.get("content_type") not in kind.types:
        raise InvalidInput.field("file", "attachment.type_not_allowed", "附件格式不支持，请上传PDF、JPG或PNG文件")
    size = meta.get("size")
    if not isinstance(size, int) or not 0 < size <= kind.max_bytes:
        raise InvalidInput.field("file", "attachment.too_large", "附件大小超过限制")
    uploader = None if tx.principal.role == "anonymous" else tx.principal.account_id
    values = {"id": attachment_id, "sha256": meta["sha256"], "content_type": meta["content_type"], "size": size,
              "filename": str(meta.get("filename") or "附件")[:200], "kind": kind.key,
              "uploader_account_id": uploader, "created_at": tx.now}
    tx.session.execute(insert(table).values(**values))
    return view(values)


def record_public(tx: Tx, table: Table, meta: dict[str, Any], *, service: str) -> dict[str, Any]:
    """Keep the record of a registration form's upload (no account yet): only the kinds that may be
    uploaded before login; any other kind is 404, as if there were no such upload."""
    if not kind_of((meta or {}).get("kind")).public:
        raise NotFound("附件不存在", code="attachment.not_found")
    return record(tx, table, meta, service=service)


def view(row: Any) -> dict[str, Any]:
    """What a record says about an attachment (no storage path, no uploader)."""
    kind = KINDS.get(row["kind"])
    return {"id": row["id"], "sha256": row["sha256"], "content_type": row["content_type"], "size": row["size"],
            "kind": row["kind"], "kind_label": kind.label if kind else row["kind"], "filename": row["filename"]}


def _bad(field: str, code: str, message: str, attachment_id: str) -> InvalidInput:
    return InvalidInput(message, code=code, details={"fields": {field: message}, "attachment_id": attachment_id})


def check_ids(value: object, field: str = "attachment_ids") -> list[str]:
    """A list of attachment ids as a command gives it (400 for anything else)."""
    if value is None:
        return []
    if (not isinstance(value, list) or len(value) > MAX_PER_RECORD
            or not all(isinstance(i, str) and len(i) <= 40 for i in value)):
        raise InvalidInput.field(field, "attachment.ids_invalid", f"附件应为不超过{MAX_PER_RECORD}个附件标识的列表")
    return list(dict.fromkeys(value))


def link(tx: Tx, table: Table, ids: Iterable[str], *, kinds: Iterable[str], subject_type: str, subject_id: str,
         field: str = "attachment_ids", lock: bool = True) -> list[dict[str, Any]]:
    """Link uploads to a business record. Each must exist, be of one of ``kinds``, and be the caller's
    own upload or a registration form's (no uploader); one already linked to this record stays linked.
    Anything else is 400 ``attachment.unknown`` (the same answer whether it exists or not)."""
    ids = list(ids)
    if not ids:
        return []
    stmt = select(table).where(table.c.id.in_(ids))
    rows = {r["id"]: r for r in tx.session.execute(stmt.with_for_update() if lock else stmt).mappings()}
    allowed = set(kinds)
    caller = tx.principal.account_id
    for attachment_id in ids:
        row = rows.get(attachment_id)
        usable = row is not None and (
            (row["subject_type"], row["subject_id"]) == (subject_type, subject_id)
            or (row["subject_id"] is None and row["uploader_account_id"] in (None, caller)))
        if row is None or not usable:
            raise _bad(field, "attachment.unknown", "附件不存在或已被使用，请重新上传", attachment_id)
        if row["kind"] not in allowed:
            labels = "、".join(KINDS[k].label for k in allowed if k in KINDS)
            raise _bad(field, "attachment.kind_not_allowed", f"此处只能上传：{labels}", attachment_id)
    tx.session.execute(update(table).where(table.c.id.in_(ids), table.c.subject_id.is_(None)).values(
        subject_type=subject_type, subject_id=subject_id, linked_at=tx.now))
    return [view(rows[i]) for i in ids]


def check_usable(tx: Tx, table: Table, ids: Iterable[str], *, kinds: Iterable[str],
                 subject: tuple[str, str] | None = None, field: str = "attachment_ids") -> None:
    """The checks of :func:`link` without linking (a dry run); none to check: no savepoint either."""
    ids = list(ids)
    if not ids:
        return
    with tx.session.begin_nested() as nested:
        link(tx, table, ids, kinds=kinds, subject_type=(subject or ("-", "-"))[0],
             subject_id=(subject or ("-", "-"))[1], field=field, lock=False)
        nested.rollback()


def views_of(tx: Tx, table: Table, ids: Iterable[str]) -> list[dict[str, Any]]:
    """The attachments ``ids`` in their order (ids without a record are left out)."""
    ids = list(ids or [])
    if not ids:
        return []
    rows = {r["id"]: r for r in tx.session.execute(select(table).where(table.c.id.in_(ids))).mappings()}
    return [view(rows[i]) for i in ids if i in rows]


def get(tx: Tx, table: Table, attachment_id: str) -> RowMapping:
    """The record of ``attachment_id``; 404 when there is none."""
    owner_of(attachment_id)
    row = tx.session.execute(select(table).where(table.c.id == attachment_id)).mappings().first()
    if row is None:
        raise not_found()
    return row


def for_download(tx: Tx, table: Table, attachment_id: str, may_read_subject: Callable[[str, str], Any]
                 ) -> dict[str, Any]:
    """The record of an attachment the caller may download: their own upload until it is linked, then
    whatever ``may_read_subject(subject_type, subject_id)`` allows. Anyone else: 404."""
    row = get(tx, table, attachment_id)
    if row["subject_id"] is None:
        allowed = row["uploader_account_id"] is not None and row["uploader_account_id"] == tx.principal.account_id
    else:
        allowed = bool(may_read_subject(row["subject_type"], row["subject_id"]))
    if not allowed:
        raise not_found()
    return view(row)


def unlinked_public(tx: Tx, table: Table, attachment_id: str) -> dict[str, Any]:
    """A registration form's upload not linked yet (the gateway checks the uploader's key)."""
    row = get(tx, table, attachment_id)
    if row["subject_id"] is not None or row["uploader_account_id"] is not None:
        raise not_found()
    return view(row)


__all__ = ["record", "view", "check_ids", "link", "check_usable", "views_of", "get", "for_download",
           "unlinked_public", "OWNER_CODES"]
