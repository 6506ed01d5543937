"""identity's policy numbers as data: the defaults below hold until the platform admin (or the demo
seed) stores other values in ``identity_policy``. Read once per use case (one small query)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from identity.adapters.orm import identity_policy
from shared.errors import InvalidInput

#: key -> (default, minimum, maximum, 中文说明)
SETTINGS: dict[str, tuple[Any, int, int, str]] = {
    "sms_code_ttl_seconds": (300, 60, 1800, "短信验证码有效期（秒）"),
    "sms_resend_seconds": (60, 10, 600, "同一手机号两次获取验证码的最短间隔（秒）"),
    "sms_daily_limit": (10, 1, 100, "同一手机号24小时内最多获取验证码次数"),
    "sms_max_attempts": (5, 1, 20, "一个验证码最多可输错的次数"),
    "initial_password_days": (7, 1, 90, "初始密码有效期（天）"),
    "login_max_failures": (5, 3, 20, "同一用户名在同一地址连续登录失败多少次后暂停登录"),
    "login_lock_minutes": (15, 1, 60, "暂停登录的时长（分钟）"),
    "login_ip_max_failures": (20, 5, 500, "同一地址在统计时段内最多登录失败次数"),
    "login_ip_window_minutes": (15, 1, 120, "按地址统计登录失败的时段（分钟）"),
    "notify_sms_stuck_seconds": (300, 30, 86400, "消息短信停留在“发送中”超过多少秒视为发送中断，重新发送"),
    "notify_sms_max_attempts": (3, 1, 10, "一条消息短信最多发送几次（含重新发送）"),
    "opinion_templates_max": (50, 1, 200, "每个账号最多保存的常用审核意见条数"),
}
#: list-valued settings: the stage notifications that are also sent by SMS
LIST_SETTINGS: dict[str, tuple[list[str], str]] = {
    "notify_sms_kinds": (["returned", "paid", "receipt_requested"], "同时以短信通知的消息类型"),
}


def load(session) -> dict[str, Any]:
    values = {k: v[0] for k, v in SETTINGS.items()}
    values.update({k: list(v[0]) for k, v in LIST_SETTINGS.items()})
    for key, value in session.execute(select(identity_policy.c.key, identity_policy.c.value)):
        if key in values:
            values[key] = value
    return values


def describe(session) -> list[dict]:
    current = load(session)
    out = [{"key": k, "value": current[k], "default": d, "min": lo, "max": hi, "label": label}
           for k, (d, lo, hi, label) in SETTINGS.items()]
    out += [{"key": k, "value": current[k], "default": d, "label": label} for k, (d, label) in LIST_SETTINGS.items()]
    return out


def store(session, changes: dict[str, Any], now) -> dict[str, Any]:
    """Validate and store policy values; unknown keys and out-of-range numbers are refused (400)."""
    checked: dict[str, Any] = {}
    for key, value in (changes or {}).items():
        if key in SETTINGS:
            _, lo, hi, label = SETTINGS[key]
            if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
                raise InvalidInput.field(key, "policy.out_of_range", f"{label}应为{lo}到{hi}之间的整数")
            checked[key] = value
        elif key in LIST_SETTINGS:
            if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                raise InvalidInput.field(key, "policy.invalid_list", f"{LIST_SETTINGS[key][1]}应为文本列表")
            checked[key] = value
        else:
            raise InvalidInput.field(key, "policy.unknown_key", "不存在的策略项")
    for key, value in checked.items():
        stmt = pg_insert(identity_policy).values(key=key, value=value, updated_at=now)
        session.execute(stmt.on_conflict_do_update(index_elements=["key"],
                                                   set_={"value": stmt.excluded.value, "updated_at": now}))
    return checked
