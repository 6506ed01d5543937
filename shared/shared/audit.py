"""The append-only, tamper-evident audit trail: who did what, when, with the record before and after.

Rows are only ever inserted (a database trigger refuses UPDATE and DELETE). Every decision (approve,
return, confirm, pay) and every read of personal data (detail views, exports) is recorded in the
service that made it.

Hash chain: each row carries ``prev_hash`` (the previous row's ``hash``) and ``hash`` = SHA-256 of
``prev_hash`` and the row's canonical JSON. Someone who gets past the trigger (a superuser disabling
it, a restored dump) and changes, inserts or removes a row breaks the chain at that row, which
``platform-audit verify`` reports. Appends are serialised by a transaction-scoped advisory lock so
two transactions never chain onto the same predecessor; the lock is taken at the audit write, late
in the transaction, and held until its commit.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from shared.db.tables import audit_log

if TYPE_CHECKING:  # shared.service imports this module
    from shared.service import Tx

GENESIS = "0" * 64
_LOCK_KEY = 0x41554449  # "AUDI": one advisory lock per service database
_CHAINED = ("at", "actor_account", "actor_role", "actor_name", "action", "subject_type", "subject_id",
            "region", "before", "after", "correlation_id")


def _iso(at: Any) -> str:
    if isinstance(at, datetime):
        return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(UTC).isoformat()
    return str(at)


def row_hash(prev_hash: str, row: dict[str, Any]) -> str:
    """SHA-256 over the previous hash and the canonical JSON of the chained columns of ``row``."""
    content = {k: (_iso(row[k]) if k == "at" else row.get(k)) for k in _CHAINED}
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256((prev_hash + canonical).encode("utf-8")).hexdigest()


_PLAIN = (str, int, bool, type(None))


def _json_safe(value: Any) -> Any:
    """What the JSONB column will give back when read (so the hash verifies after a round trip). A flat
    dict of strings, integers, booleans and nulls comes back as it is: copied, not encoded and decoded
    (a batch records thousands of ``{"status": ...}``)."""
    if value is None:
        return None
    if type(value) is dict and all(type(k) is str and type(v) in _PLAIN for k, v in value.items()):
        return dict(value)
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def record(session: Session, *, action: str, subject_type: str, subject_id: str, actor: Any = None,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None, region: str | None = None,
           correlation_id: str | None = None, at: datetime | None = None) -> None:
    """Append one audit row in the caller's transaction. ``actor`` is a Principal (or None: system)."""
    values = {
        "action": action, "subject_type": subject_type, "subject_id": str(subject_id)[:64],
        "actor_account": getattr(actor, "account_id", None), "actor_role": getattr(actor, "role", None),
        "actor_name": getattr(actor, "name", None), "before": _json_safe(before), "after": _json_safe(after),
        "region": region, "correlation_id": correlation_id,
        "at": at if at is not None else datetime.now(UTC),
    }
    _append(session, [values])


def record_many(session: Session, entries: list[dict[str, Any]], *, actor: Any = None,
                correlation_id: str | None = None, at: datetime | None = None) -> None:
    """:func:`record` for many rows (each ``{action, subject_type, subject_id, before?, after?, region?}``)
    under one lock, chained in list order and inserted in one executemany: a batch that decides hundreds
    of records at once (a bank statement paying its notices)."""
    when = at if at is not None else datetime.now(UTC)
    _append(session, [{
        "action": e["action"], "subject_type": e["subject_type"], "subject_id": str(e["subject_id"])[:64],
        "actor_account": getattr(actor, "account_id", None), "actor_role": getattr(actor, "role", None),
        "actor_name": getattr(actor, "name", None), "before": _json_safe(e.get("before")),
        "after": _json_safe(e.get("after")), "region": e.get("region"), "correlation_id": correlation_id,
        "at": when} for e in entries])


def _append(session: Session, rows: list[dict[str, Any]]) -> None:
    """Chain ``rows`` onto the trail's head (serialised by the advisory lock) and insert them."""
    if not rows:
        return
    session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
    prev = session.execute(select(audit_log.c.hash).where(audit_log.c.hash.is_not(None))
                           .order_by(audit_log.c.id.desc()).limit(1)).scalar() or GENESIS
    for values in rows:
        values["prev_hash"] = prev
        values["hash"] = prev = row_hash(prev, values)
    if len(rows) == 1:
        session.execute(insert(audit_log).values(**rows[0]))
    else:  # one multi-row VALUES: PostgreSQL numbers the rows in list order, so ids follow the chain
        session.execute(insert(audit_log), rows)


#: keys of a record that are personal data: what a read audit row says was shown
PERSONAL_FIELDS = ("name", "id_number", "mobile", "bank_account", "email", "leader", "leader_phone",
                   "applicant_name", "contact_name", "contact_phone", "address")


def record_read(tx: Tx, subject_type: str, operation: str, args: list[Any], kwargs: dict[str, Any], result: Any,
                *, purpose: str | None = None) -> None:
    """Audit a read of personal data: who (the principal) read what.

    A detail view is one row per record (``<subject>.viewed``, the personal fields it showed); a list
    page read for an export (the gateway says ``purpose="export"``) is one row per page
    (``<subject>.exported``, with the filters and the ids it held). Plain list pages on screen show
    masked numbers and are not audited row by row."""
    if isinstance(result, dict) and isinstance(result.get("items"), list):
        if purpose != "export":
            return
        ids = [str(i.get("id") or i.get("application_id") or "") for i in result["items"] if isinstance(i, dict)]
        record(tx.session, action=f"{subject_type}.exported", subject_type=subject_type, subject_id="list",
               actor=tx.principal, after={"operation": operation, "arguments": args + [kwargs] if kwargs else args,
                                          "page": result.get("page"), "count": len(ids), "ids": ids},
               correlation_id=tx.correlation_id, at=tx.now)
        return
    if not isinstance(result, dict):
        return
    subject_id = result.get("id") or result.get("application_id") or (args[0] if args else "-")
    shown = sorted(k for k in PERSONAL_FIELDS if result.get(k))
    region = result.get("county") or result.get("region")
    record(tx.session, action=f"{subject_type}.viewed", subject_type=subject_type, subject_id=str(subject_id),
           actor=tx.principal, after={"operation": operation, "fields": shown, "purpose": purpose or "view"},
           region=region if isinstance(region, str) and len(region) == 6 else None,
           correlation_id=tx.correlation_id, at=tx.now)


def trail(session: Session, subject_type: str, subject_id: str) -> list[dict[str, Any]]:
    """The audit rows of one record, oldest first."""
    rows = session.execute(select(audit_log).where(
        audit_log.c.subject_type == subject_type, audit_log.c.subject_id == str(subject_id))
        .order_by(audit_log.c.id)).mappings()
    return [dict(r) for r in rows]


def verify(session: Session) -> dict[str, Any]:
    """Walk the whole trail in id order and check every link of the chain.

    Returns ``{"ok", "rows", "chained", "unchained_before_chain", "head", "broken": [...]}``; rows
    written before the chain existed (no hash, all before the first chained row) are counted, not
    failed; a row without a hash after the chain started is a break."""
    prev, rows, chained, legacy, broken, started = GENESIS, 0, 0, 0, [], False
    result = session.execute(select(audit_log).order_by(audit_log.c.id)).mappings()
    for row in result:
        rows += 1
        if row["hash"] is None:
            if started:
                broken.append({"id": row["id"], "reason": "unchained row inside the chain"})
            else:
                legacy += 1
            continue
        started = True
        chained += 1
        if row["prev_hash"] != prev:
            broken.append({"id": row["id"], "reason": "prev_hash does not match the previous row"})
        if row_hash(row["prev_hash"], dict(row)) != row["hash"]:
            broken.append({"id": row["id"], "reason": "content does not match its hash"})
        prev = row["hash"]
    return {"ok": not broken, "rows": rows, "chained": chained, "unchained_before_chain": legacy,
            "head": prev, "broken": broken[:100]}


def main(argv: list[str] | None = None) -> int:
    """``platform-audit verify [--service NAME | --database-url URL]``: exit 1 on a broken chain."""
    from shared.db.engine import database_url, make_engine

    parser = argparse.ArgumentParser(prog="platform-audit", description="审计日志哈希链校验")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("verify", help="verify the hash chain of a service's audit trail")
    check.add_argument("--service", action="append", default=[],
                       help="service name (database from <SERVICE>_DATABASE_URL / DATABASE_URL); repeatable")
    check.add_argument("--database-url", action="append", default=[])
    args = parser.parse_args(argv)
    targets = [(s, database_url(s)) for s in args.service] + [(u, u) for u in args.database_url]
    if not targets:
        parser.error("name at least one --service or --database-url")
    failed = False
    for label, url in targets:
        engine = make_engine(url, pool_size=1, application_name="platform-audit")
        try:
            with Session(engine) as session:
                report = verify(session)
        finally:
            engine.dispose()
        failed |= not report["ok"]
        print(json.dumps({"target": label.rsplit("@", 1)[-1], **report}, ensure_ascii=False))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
