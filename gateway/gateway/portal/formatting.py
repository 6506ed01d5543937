"""Jinja filters: Chinese conventions for dates (2026年11月23日) and money (¥1,200.00), search
highlighting, and the values every page template needs (account, menu, CSRF token)."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlencode

from flask import Flask, request
from markupsafe import Markup, escape

from gateway import session as portal_session
from gateway.portal.menus import menu_for
from shared.clock import format_cn_date, format_cn_datetime
from shared.money import format_cny

THEMES = [("blue", "政务蓝"), ("red", "中国红"), ("green", "青山绿"), ("dark", "夜间")]


def _parse(value: Any) -> date | datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    text = str(value)
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)  # the services speak UTC


def cn_date(value: Any) -> str:
    """``2026-11-23`` or an instant -> ``2026年11月23日`` (the Shanghai date of an instant)."""
    parsed = _parse(value)
    return format_cn_date(parsed) if parsed else ""


def cn_datetime(value: Any) -> str:
    """An instant -> ``2026年11月23日 14:05`` in Shanghai time; a bare date stays a date."""
    parsed = _parse(value)
    if parsed is None:
        return ""
    return format_cn_datetime(parsed) if isinstance(parsed, datetime) else format_cn_date(parsed)


def cny(value: Any) -> str:
    """Integer fen -> ``¥1,200.00``; anything else (missing) -> empty."""
    if isinstance(value, bool) or not isinstance(value, int):
        return ""
    return format_cny(value)


def highlight(value: Any, query: str | None) -> Markup:
    """The text with every case-insensitive match of ``query`` wrapped in ``<mark>`` (escaped first)."""
    text = "" if value is None else str(value)
    if not query or not query.strip():
        return escape(text)
    pattern = re.compile(re.escape(query.strip()), re.IGNORECASE)
    out, last = [], 0
    for match in pattern.finditer(text):
        out += [escape(text[last:match.start()]), Markup("<mark>"), escape(match.group()), Markup("</mark>")]
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def dig(item: Any, key: str) -> Any:
    """``item["a"]["b"]`` for ``key`` ``"a.b"``; None when a part is missing."""
    for part in key.split("."):
        if not isinstance(item, dict):
            return None
        item = item.get(part)
    return item


def merge_args(args: dict, **overrides: Any) -> str:
    """The query string of ``args`` with ``overrides`` (pagination links keep the filters)."""
    merged = {**args, **{k: v for k, v in overrides.items()}}
    return urlencode({k: v for k, v in merged.items() if v not in (None, "")})


def unit_status() -> str | None:
    from gateway.portal.registration import unit_status as status  # late: registration imports the API

    return status()


def _mask_mobile(value: Any) -> str:
    from shared.validators import mask_mobile
    return mask_mobile(value) if value else "—"


def register(app: Flask) -> None:
    app.add_template_filter(merge_args)
    app.add_template_filter(cn_date)
    app.add_template_filter(cn_datetime)
    app.add_template_filter(cny)
    app.add_template_filter(highlight)
    app.add_template_filter(_mask_mobile, "mask_mobile")
    app.add_template_global(dig)

    @app.context_processor
    def portal_globals() -> dict[str, Any]:
        if not (request.path == "/" or request.path.startswith(("/portal", "/gongshi", "/verify/"))):
            return {}
        status = unit_status()  # first: it may complete the session's account
        account = portal_session.account()
        return {"account": account, "csrf_token": portal_session.csrf_token, "themes": THEMES,
                "menu": menu_for(account["role"], status) if account else []}
