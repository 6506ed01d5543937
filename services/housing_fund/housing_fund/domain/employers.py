"""Employers (缴存单位) of line B: their status codes as the provident-fund practice numbers them."""
from __future__ import annotations

from shared.errors import InvalidInput

# employer status (单位状态): 01 正常, 02 开户, 03 缓缴, 04 销户, 05 封存
NORMAL, OPENING, DEFERRED, CLOSED, SEALED = "01", "02", "03", "04", "05"
EMPLOYER_STATUSES: dict[str, str] = {NORMAL: "正常", OPENING: "开户", DEFERRED: "缓缴", CLOSED: "销户",
                                     SEALED: "封存"}


def status_label(status: str) -> str:
    """The Chinese label of an employer status code (the code itself if unknown)."""
    return EMPLOYER_STATUSES.get(status, status)


def check_status_filter(status: object) -> str | None:
    """A list's status filter: empty means all, otherwise a known status code (400)."""
    if status in (None, ""):
        return None
    if status not in EMPLOYER_STATUSES:
        raise InvalidInput.field("status", "filter.status_unknown",
                                 "单位状态应为：" + "、".join(f"{k} {v}" for k, v in EMPLOYER_STATUSES.items()))
    return str(status)
