"""The gateway's Flask app for tests without services (a fake RPC pool in ``app.extensions``).

``create_app`` costs about 0.4 s of CPU (the OpenAPI document of every operation and the URL rules are
built each time) and the unit tier's route tests used to call it once per test: ``gateway_app`` builds
one app per distinct set of settings for the whole session. What a test changes lives outside the app:
each test installs its own fake pool (``app.extensions["rpc_pool"] = FakePool()``) and makes its own
``test_client()`` (cookies, session); environment variables (``PLATFORM_VAR_DIR``) are read per request.
A test that needs a pristine app (e.g. one that checks what ``create_app`` itself refuses) still calls
``create_app`` directly.
"""
from __future__ import annotations

from flask import Flask

from gateway.app import create_app
from gateway.config import Settings

_APPS: dict[tuple, Flask] = {}


def gateway_app(jwks_file, **settings) -> Flask:
    """The app of ``Settings(jwks_file=..., **settings)``, built once per session."""
    key = (str(jwks_file), tuple(sorted(settings.items())))
    if key not in _APPS:
        _APPS[key] = create_app(Settings(jwks_file=str(jwks_file), **settings))
    return _APPS[key]
