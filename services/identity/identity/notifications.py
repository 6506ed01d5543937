"""站内消息: identity turns the stage events that concern a person into messages to their account.

Whose application it is comes from the application's own events: ``application.submitted`` and
``application.resubmitted`` carry the snapshot with the applicant's ``account_id`` (kept in
``application_owners``); registration events of unit_registry carry ``account_id`` themselves. An
event whose owner is not known yet (its submission still queued) is retried by the subscriber."""
from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from identity import policy
from identity.adapters.orm import messages
from identity.adapters.repository import MessageRepository, PolicyRepository
from shared.events import Envelope
from shared.service import Tx

log = logging.getLogger(__name__)

#: event type -> (kind, title, body template); {no} the application number, {opinion} the opinion
APPLICATION_MESSAGES: dict[str, tuple[str, str, str]] = {
    "application.unit_returned": ("returned", "补助申请被单位退回", "您的补助申请{no}被单位退回修改：{opinion}"),
    "application.county_returned": ("returned", "补助申请被县区人社局退回",
                                    "您的补助申请{no}被县区人社局退回：{opinion}"),
    "application.county_approved": ("approved", "补助申请审核通过",
                                    "您的补助申请{no}已通过县区人社局审核，即将进入公示。"),
    "application.paid": ("paid", "补助已拨付，请确认收款",
                         "您的补助申请{no}的补助{amount}已拨付至您的银行账户，请在“补助拨付确认”中确认是否收到。"),
}
REGISTRATION_MESSAGES: dict[str, tuple[str, str, str]] = {
    "individual.returned": ("returned", "个人注册被退回", "您的个人注册被单位退回修改：{opinion}"),
    "individual.approved": ("approved", "个人注册审核通过", "您的个人注册已通过单位审核，可以申请补助。"),
}
OWNER_EVENTS = ("application.submitted", "application.resubmitted")
SUBSCRIBED = list(OWNER_EVENTS) + list(APPLICATION_MESSAGES) + list(REGISTRATION_MESSAGES) + [
    "remittance.reminder_due"]


class OwnerUnknown(Exception):
    """The application's submission has not reached identity yet: retried later."""


def _yuan(fen: Any) -> str:
    return f"{int(fen) / 100:,.2f}元" if isinstance(fen, int) else ""


def remember_owner(tx: Tx, event: Envelope) -> None:
    account = (event.data.get("snapshot") or {}).get("account_id")
    if not account:
        return
    tx.repository(MessageRepository).keep_owner(event.data["application_id"], account)


def _store(tx: Tx, event: Envelope, account_id: str, kind: str, title: str, body: str, link: str | None) -> None:
    found = tx.repository(MessageRepository)
    mobile = None
    if kind in tx.repository(PolicyRepository).load()["notify_sms_kinds"]:
        mobile = found.active_mobile(account_id)
    found.add({"id": str(uuid.uuid4()), "account_id": account_id, "kind": kind, "title": title, "body": body,
               "link": link, "event_id": event.id, "created_at": tx.now, "sms_mobile": mobile,
               "sms_state": "pending" if mobile else None})


def pending_sms(session, limit: int = 50) -> list[dict]:
    """Messages waiting for their SMS, locked for this sender (SKIP LOCKED: several processes)."""
    rows = session.execute(select(messages.c.id, messages.c.sms_mobile, messages.c.body)
                           .where(messages.c.sms_state == "pending").order_by(messages.c.created_at)
                           .limit(limit).with_for_update(skip_locked=True)).mappings().all()
    return [dict(r) for r in rows]


def deliver_pending(engine, sender, clock, sign: str = "") -> int:
    """Send the pending message SMS, each outside any transaction, then record the outcome. A message is
    claimed first ("sending", with the time and one more attempt); a process that dies before recording
    the outcome leaves it claimed, for :func:`sweep_stuck_sms`."""
    from identity.sms import SmsDeliveryError

    with Session(engine) as session, session.begin():
        batch = pending_sms(session)
        if batch:  # claimed: another sender will not pick them while this one sends
            session.execute(update(messages).where(messages.c.id.in_([m["id"] for m in batch])).values(
                sms_state="sending", sms_claimed_at=clock.now(), sms_attempts=messages.c.sms_attempts + 1))
    done = 0
    for item in batch:
        error = None
        try:
            sender.send(item["sms_mobile"], (f"【{sign}】" if sign else "") + item["body"])
            state = "sent"
            done += 1
        except SmsDeliveryError as exc:
            state, error = "failed", f"短信服务未接受：{exc}"[:200]
        with Session(engine) as session, session.begin():
            # a late outcome (the sweeper meanwhile put it back) still counts; a "sent" is never undone
            session.execute(update(messages).where(messages.c.id == item["id"], messages.c.sms_state != "sent")
                            .values(sms_state=state, sms_error=error))
    return done


def sweep_stuck_sms(engine, clock, limit: int = 100) -> dict:
    """Messages left in "sending" longer than the policy's ``notify_sms_stuck_seconds`` (their sender
    crashed between the claim and the outcome) go back to "pending", so the sender sends them again;
    after ``notify_sms_max_attempts`` claims they are "failed" with the reason. Idempotent: a swept
    message is no longer "sending", and rows another sweeper holds are skipped. A crash after the
    provider accepted the SMS but before "sent" was recorded means that SMS arrives twice: the sweeper
    cannot tell, and prefers a duplicate to a lost notification."""
    now = clock.now()
    with Session(engine) as session, session.begin():
        pol = policy.load(session)
        cutoff = now - timedelta(seconds=pol["notify_sms_stuck_seconds"])
        claimed = func.coalesce(messages.c.sms_claimed_at, messages.c.created_at)
        stuck = session.execute(select(messages.c.id, messages.c.sms_attempts).where(
            messages.c.sms_state == "sending", claimed < cutoff).order_by(claimed).limit(limit)
            .with_for_update(skip_locked=True)).mappings().all()
        retry = [r["id"] for r in stuck if r["sms_attempts"] < pol["notify_sms_max_attempts"]]
        given_up = [r["id"] for r in stuck if r["sms_attempts"] >= pol["notify_sms_max_attempts"]]
        if retry:
            session.execute(update(messages).where(messages.c.id.in_(retry)).values(
                sms_state="pending", sms_error="发送中断，重新发送"))
        if given_up:
            session.execute(update(messages).where(messages.c.id.in_(given_up)).values(
                sms_state="failed",
                sms_error=f"发送中断，已发送{pol['notify_sms_max_attempts']}次仍未确认成功，不再重新发送"))
    if stuck:
        log.warning("message SMS stuck in sending: %d sent again, %d given up", len(retry), len(given_up))
    return {"retried": len(retry), "failed": len(given_up)}


def on_application_event(tx: Tx, event: Envelope) -> None:
    kind, title, template = APPLICATION_MESSAGES[event.type]
    data = event.data
    account = tx.repository(MessageRepository).owner_of(data["application_id"])
    if account is None:
        raise OwnerUnknown(data["application_id"])
    body = template.format(no=data.get("application_no", ""), opinion=data.get("opinion") or "",
                           amount=_yuan(data.get("amount_fen")))
    link = "/portal/payments" if kind == "paid" else f"/portal/applications/{data['application_id']}"
    _store(tx, event, account, kind, title, body, link)


def on_registration_event(tx: Tx, event: Envelope) -> None:
    account = event.data.get("account_id")
    if not account:
        return
    kind, title, template = REGISTRATION_MESSAGES[event.type]
    _store(tx, event, account, kind, title, template.format(opinion=event.data.get("opinion") or ""),
           "/portal/register/individual")


def on_remittance_reminder(tx: Tx, event: Envelope) -> None:
    """housing_fund's monthly reminder (remittance.reminder_due, once per employer and month): a message to
    the employer's active account(s) with the link to 新增汇缴申请. One message per event (its id)."""
    data = event.data
    account = tx.repository(MessageRepository).employer_account(data["employer_id"])
    if account is None:
        return  # an employer without a login yet (migrated, not approved): nothing to tell
    month = str(data.get("month") or "")
    label = f"{month[:4]}年{int(month[4:])}月" if len(month) == 6 and month.isdigit() else month
    _store(tx, event, account, "reminder", f"{label}尚未汇缴",
           f"贵单位{label}的住房补贴尚未汇缴，请在“汇缴申请”中新增汇缴申请并按缴费通知按时缴款。",
           "/portal/housing/remit")


def _serialize(r: Any) -> dict:
    return {"id": r["id"], "kind": r["kind"], "title": r["title"], "body": r["body"], "link": r["link"],
            "created_at": r["created_at"].isoformat(), "read": r["read_at"] is not None,
            "read_at": r["read_at"].isoformat() if r["read_at"] else None}


def my_messages(tx: Tx, unread_only: bool, page: Any, page_size: Any) -> dict:
    me = tx.principal.account_id
    found = tx.repository(MessageRepository)
    result = found.page(me, unread_only, page, page_size, _serialize)
    result["unread"] = found.unread_count(me)
    return result


def mark_read(tx: Tx, message_id: str | None) -> dict:
    """Mark one message (or, with ``None``, every message) of the caller read; another's is 404."""
    from shared.errors import NotFound

    me = tx.principal.account_id
    found = tx.repository(MessageRepository)
    if message_id is not None and not found.owns(me, str(message_id)):
        raise NotFound("消息不存在", code="message.not_found")
    count = found.mark_read(me, str(message_id) if message_id is not None else None, tx.now)
    unread = found.unread_count(me)
    return {"marked": count, "unread": unread}

