"""The webhook sender: one HTTP POST, never a redirect, every failure as text (never raised)."""
from __future__ import annotations

import requests


def post(url: str, body: bytes, headers: dict, timeout: float) -> tuple[int | None, str | None]:
    try:
        response = requests.post(url, data=body, headers=headers, timeout=timeout, allow_redirects=False)
    except Exception as exc:  # noqa: BLE001 - any failure (network, a URL requests cannot encode) is an attempt's error
        return None, f"{type(exc).__name__}: {exc}"[:1000]
    response.close()
    return response.status_code, None if 200 <= response.status_code < 300 else f"HTTP {response.status_code}"
