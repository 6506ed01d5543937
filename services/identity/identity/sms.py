"""SMS verification codes (短信验证码) and the sender port.

Rules (numbers from ``identity.policy``): 6 digits, valid 5 minutes, single use, at most one request
per 60 s and 10 per 24 h per mobile, at most 5 wrong tries per code. Only a keyed hash of the code is
stored (HMAC-SHA256 with a secret derived from identity's signing key); the code itself leaves
identity only through the sender, never in an RPC answer.

Senders (the port is :class:`SmsSender`; ``SMS_SENDER`` picks the adapter):
- ``dev``: :class:`DevSender` writes the message to identity's ``sms_dev_inbox`` table, readable through
  ``dev_sms_inbox`` (``GET /api/v1/dev/sms-inbox?mobile=``) — which exists only with this sender;
- ``http``: :class:`HttpSender` posts ``{"mobile", "text", "sign"}`` as JSON to ``SMS_HTTP_URL`` with
  ``Authorization: Bearer $SMS_HTTP_TOKEN``; a 2xx answer is a delivery;
- ``disabled`` (the default): every send fails with 503 ``sms.unavailable``.
Delivery happens after the code's transaction committed (never a network call inside a transaction);
a failed delivery marks the code ``failed`` so it neither works nor counts against the limits.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import secrets
import urllib.error
import urllib.request
import uuid
from datetime import timedelta
from typing import Any, Protocol

from sqlalchemy import insert

from identity.adapters.orm import sms_dev_inbox
from identity.adapters.repository import PolicyRepository, SmsCodeRepository
from shared import throttle, validators
from shared.errors import InvalidInput, PlatformError, Unauthenticated
from shared.service import Tx

log = logging.getLogger(__name__)

PURPOSES = {"login": "登录", "register": "注册", "first_login": "首次登录", "change_mobile": "更换手机号",
            "employer_register": "汇缴单位注册"}
CODE = re.compile(r"^\d{6}$")


class SmsDeliveryError(Exception):
    """The provider did not accept the message."""


class SmsSender(Protocol):
    """The port: deliver ``text`` to ``mobile`` or raise :class:`SmsDeliveryError`."""

    name: str

    def send(self, mobile: str, text: str) -> None: ...


class DisabledSender:
    name = "disabled"

    def send(self, mobile: str, text: str) -> None:
        raise SmsDeliveryError("no SMS sender configured (SMS_SENDER)")


class DevSender:
    """Development adapter: the message lands in ``sms_dev_inbox`` (and the log), nowhere else."""

    name = "dev"

    def __init__(self, engine, clock) -> None:
        self.engine, self.clock = engine, clock

    def send(self, mobile: str, text: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(sms_dev_inbox).values(id=str(uuid.uuid4()), mobile=mobile, text=text,
                                                      sent_at=self.clock.now()))
        log.info("dev SMS to %s: %s", mobile, text)


class HttpSender:
    """Provider adapter: one JSON POST per message."""

    name = "http"

    def __init__(self, url: str, token: str = "", sign: str = "", timeout: float = 5.0) -> None:
        if not url:
            raise ValueError("SMS_HTTP_URL is required for SMS_SENDER=http")
        self.url, self.token, self.sign, self.timeout = url, token, sign, timeout

    def send(self, mobile: str, text: str) -> None:
        body = json.dumps({"mobile": mobile, "text": text, "sign": self.sign}, ensure_ascii=False).encode()
        request = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Content-Type": "application/json; charset=utf-8",
            **({"Authorization": f"Bearer {self.token}"} if self.token else {})})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - configured URL
                if not 200 <= response.status < 300:
                    raise SmsDeliveryError(f"provider answered {response.status}")
        except urllib.error.HTTPError as exc:
            raise SmsDeliveryError(f"provider answered {exc.code}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise SmsDeliveryError(f"provider unreachable: {exc}") from None


def make_sender(config: dict, engine, clock) -> SmsSender:
    kind = (config.get("SMS_SENDER") or "disabled").strip().lower()
    if kind == "dev":
        return DevSender(engine, clock)
    if kind == "http":
        return HttpSender(config.get("SMS_HTTP_URL") or "", config.get("SMS_HTTP_TOKEN") or "",
                          config.get("SMS_SIGN") or "", float(config.get("SMS_HTTP_TIMEOUT") or 5))
    return DisabledSender()


# --- codes -----------------------------------------------------------------------------------------
def code_hash(secret: bytes, mobile: str, purpose: str, code: str) -> str:
    return hmac.new(secret, f"{mobile}|{purpose}|{code}".encode(), hashlib.sha256).hexdigest()


def check_purpose(purpose: str) -> str:
    if purpose not in PURPOSES:
        raise InvalidInput.field("purpose", "sms.purpose_unknown", "验证码用途不正确")
    return purpose


def error(code: str, message: str, status: int = 400, field: str = "sms_code") -> PlatformError:
    """A refusal about one field (the code, or the mobile); raised by commands that commit before it
    reaches the caller (``command(commit_on_error=True)``)."""
    cls = Unauthenticated if status == 401 else InvalidInput
    return cls(message, code=code, details={"fields": {field: message}})


def issue(tx: Tx, secret: bytes, mobile: str, purpose: str, sign: str = "") -> dict:
    """Store a new code for ``mobile`` (limits checked under a per-mobile lock); returns the public answer
    and, under ``deliver``, what the entrypoint sends after the commit."""
    mobile = validators.mobile(mobile)
    check_purpose(purpose)
    pol = tx.repository(PolicyRepository).load()
    codes = tx.repository(SmsCodeRepository)
    codes.lock_mobile(mobile)
    # one query for both limits: the resend interval (at most 600 s, policy) lies within the day
    day = timedelta(hours=24)
    recent = codes.requested_since(mobile, tx.now - day)
    resend = timedelta(seconds=pol["sms_resend_seconds"])
    throttle.check(recent, 1, resend, tx.now, code="sms.too_many_requests",
                   message="获取验证码过于频繁，请{seconds}秒后再试")
    throttle.check(recent, pol["sms_daily_limit"], day, tx.now, code="sms.too_many_requests",
                   message=f"该手机号今日获取验证码次数已达上限（{pol['sms_daily_limit']}次），请明天再试",
                   details={"daily_limit": True})
    # an earlier code of the same purpose stops working when a new one is requested (one still open was
    # requested within its ttl, at most 1800 s, so within the day: none then, nothing to expire; a failed
    # delivery's code, not counted there, never works anyway)
    if recent:
        codes.expire_open(mobile, purpose, tx.now)
    code = f"{secrets.randbelow(1_000_000):06d}"
    ttl = pol["sms_code_ttl_seconds"]
    code_id = str(uuid.uuid4())
    codes.add(dict(
        id=code_id, mobile=mobile, purpose=purpose, code_hash=code_hash(secret, mobile, purpose, code),
        created_at=tx.now, expires_at=tx.now + timedelta(seconds=ttl)))
    minutes = max(1, ttl // 60)
    message = (f"{'【' + sign + '】' if sign else ''}您的{PURPOSES[purpose]}验证码为{code}，{minutes}分钟内有效。"
               "工作人员不会向您索取验证码，请勿泄露。")
    return {"sent": True, "expires_in": ttl, "retry_after": pol["sms_resend_seconds"],
            "deliver": {"code_id": code_id, "mobile": mobile, "text": message}}


def mark_delivery(tx: Tx, code_id: str, ok: bool) -> None:
    tx.repository(SmsCodeRepository).update(code_id, {"delivery": "sent" if ok else "failed"})


def consume(tx: Tx, secret: bytes, mobile: str, purpose: str, code: Any) -> dict:
    """Use the newest code of (mobile, purpose) once. A failure raises; the command commits first
    (``commit_on_error``), so the wrong-try counter stands."""
    mobile = validators.mobile(mobile)
    check_purpose(purpose)
    code = str(code or "").strip()
    if not CODE.match(code):
        raise error("sms.invalid_code", "请输入6位数字验证码")
    codes = tx.repository(SmsCodeRepository)
    row = codes.newest(mobile, purpose)
    if row is None or row["consumed_at"] is not None:
        raise error("sms.invalid_code", "验证码不正确或已使用，请重新获取")
    if row["expires_at"] <= tx.now:
        raise error("sms.expired_code", "验证码已过期，请重新获取")
    if row["failed_attempts"] >= tx.repository(PolicyRepository).load()["sms_max_attempts"]:
        raise error("sms.invalid_code", "验证码输错次数过多，请重新获取")
    if not hmac.compare_digest(row["code_hash"], code_hash(secret, mobile, purpose, code)):
        codes.count_wrong_try(row["id"])
        raise error("sms.invalid_code", "验证码不正确")
    codes.update(row["id"], {"consumed_at": tx.now})
    return {"mobile": mobile, "purpose": purpose}


def dev_inbox(tx: Tx, mobile: str) -> dict:
    mobile = validators.mobile(mobile)
    rows = tx.repository(SmsCodeRepository).dev_inbox(mobile, 20)
    items = []
    for r in rows:
        found = re.search(r"验证码为(\d{6})", r["text"])
        items.append({"mobile": r["mobile"], "text": r["text"], "sent_at": r["sent_at"].isoformat(),
                      "code": found.group(1) if found else None})
    return {"items": items, "total": len(items)}
