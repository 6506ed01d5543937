"""The reviewer's opinion (审核意见) of a decision, checked one way in every service."""
from __future__ import annotations

from shared.errors import InvalidInput

OPINION_MAX = 500


def check_opinion(value: object, *, required: bool, what: str = "审核意见",
                  missing: str = "退回时请填写审核意见", code: str = "opinion.",
                  not_text: str = "format") -> str | None:
    """The trimmed opinion (None when empty and not required): text of at most 500 characters.

    ``required`` for a decision that sends a record back or ends it (the next person must know why);
    ``what`` names it in the messages, ``missing`` is the message when a required one is empty, and
    ``code`` prefixes the error codes (``<code>required``, ``<code>too_long``, ``<code><not_text>`` for
    anything but text)."""
    if value is not None and not isinstance(value, str):
        raise InvalidInput.field("opinion", f"{code}{not_text}", f"{what}应为文字")
    text = (value or "").strip()
    if not text:
        if required:
            raise InvalidInput.field("opinion", f"{code}required", missing)
        return None
    if len(text) > OPINION_MAX:
        raise InvalidInput.field("opinion", f"{code}too_long", f"{what}不能超过{OPINION_MAX}字")
    return text
