"""The housing bureau sets an employer's status (单位状态, domain.md): 01 正常, 03 缓缴, 04 销户, 05 封存
(02 开户 is the registration under review, left to 单位注册审核).

- 缓缴 (deferred): the employer may still remit and receive employees; back to 正常 at any time.
- 封存 (sealed): no remittance, no employee opened, imported or transferred in; 启封 back to 正常.
- 销户 (closed): final; only with no employee still holding an account here (正常 or 封存: transfer them
  out first) and, as for 封存, no unfinished remittance.
Each change is one of the actions below, with a reason, and recorded in the employer's change history."""
from __future__ import annotations

from typing import Any

from housing_fund.domain.employers import CLOSED, DEFERRED, NORMAL, SEALED, status_label
from shared.errors import Conflict, IllegalTransition, InvalidInput
from shared.workflow import Workflow

#: action -> (label, status after)
ACTIONS: dict[str, tuple[str, str]] = {"defer": ("缓缴", DEFERRED), "resume": ("恢复正常", NORMAL),
                                       "seal": ("封存", SEALED), "close": ("销户", CLOSED)}
STATUS_FLOW = Workflow("employer_status", {
    (NORMAL, "defer"): DEFERRED, (NORMAL, "seal"): SEALED, (NORMAL, "close"): CLOSED,
    (DEFERRED, "resume"): NORMAL, (DEFERRED, "seal"): SEALED, (DEFERRED, "close"): CLOSED,
    (SEALED, "resume"): NORMAL, (SEALED, "close"): CLOSED,
})


def check_action(action: Any) -> str:
    if action not in ACTIONS:
        raise InvalidInput.field("action", "employer_status.action_unknown",
                                 "操作应为：" + "、".join(f"{k}（{v[0]}）" for k, v in ACTIONS.items()))
    return str(action)


def next_status(current: str, action: str, name: str) -> str:
    """The status after ``action`` (409 naming the current status when it is not allowed from it)."""
    try:
        return STATUS_FLOW.next(current, action)
    except IllegalTransition as exc:
        raise IllegalTransition(f"单位“{name}”当前状态为{status_label(current)}，不能{ACTIONS[action][0]}",
                                code=exc.code, details=exc.details) from None


def check_reason(value: Any) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not 1 <= len(text) <= 500:
        raise InvalidInput.field("reason", "employer_status.reason_required", "请填写变更原因（500字以内）")
    return text


def check_may_stop(after: str, holders: int, unfinished: int) -> None:
    """封存 and 销户 wait for unfinished remittances; 销户 for an empty roster as well."""
    if after in (SEALED, CLOSED) and unfinished:
        raise Conflict("单位有未完成的汇缴申请（待审核或待缴款），完成后才能" + status_label(after),
                       code="employer_status.unfinished_remittance")
    if after == CLOSED and holders:
        raise Conflict(f"单位尚有{holders}名正常或封存状态的职工，请先办理职工转出后再销户",
                       code="employer_status.employees_remain", details={"employees": holders})
