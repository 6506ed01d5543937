"""Events produced by the identity service (accounts, sessions)."""
from typing import Any

from shared.contracts.base import BOOL, DATETIME, INT, OPT_UUID, STR, UUID, EventContract, obj

PRODUCER = "identity"


def _c(type_: str, schema: dict[str, Any], description: str) -> EventContract:
    return EventContract(type_, PRODUCER, schema, line="platform", description=description)


ACCOUNT = {"account_id": UUID, "username": STR, "role": STR}
ACCOUNT_OPT = {"region": {"type": ["string", "null"]}, "unit_id": OPT_UUID, "name": {"type": ["string", "null"]}}

CONTRACTS = [
    _c("account.created", obj(ACCOUNT, ACCOUNT_OPT), "账号已创建"),
    _c("account.deactivated", obj({"account_id": UUID, "min_token_version": INT, "revoked_before": DATETIME}),
       "账号已注销：此前签发的令牌全部失效"),
    _c("account.reactivated", obj({"account_id": UUID}), "账号已撤销注销"),
    _c("account.password_changed",
       obj({"account_id": UUID, "min_token_version": INT, "revoked_before": DATETIME}, {"by_admin": BOOL}),
       "密码已修改：此前签发的令牌全部失效"),
    _c("account.sessions_revoked",
       obj({"account_id": UUID, "min_token_version": INT, "revoked_before": DATETIME}, {"reason": STR}),
       "账号的全部会话已结束（如刷新令牌被重复使用）：此前签发的令牌全部失效"),
    _c("account.updated", obj({"account_id": UUID, "fields": {"type": "array", "items": STR}},
                               {"unit_id": OPT_UUID}), "账号信息已修改（姓名、手机号码、电子邮箱）"),
    _c("account.locked", obj({"account_id": UUID, "until": DATETIME}), "连续登录失败，账号暂时锁定"),
    _c("session.revoked", obj({"account_id": UUID, "jti": STR, "expires_at": DATETIME}), "用户注销登录，令牌失效"),
]


#: the Chinese labels of an account's status (a locked active account shows "锁定")
ACCOUNT_LABELS: dict[str, str] = {"active": "正常", "deactivated": "已注销"}


#: the kinds of a saved opinion (常用审核意见) and the dialogs that offer it: an approval's, a return's, or both
OPINION_TEMPLATE_KINDS: dict[str, str] = {"any": "通用", "approve": "审核通过", "return": "退回"}
