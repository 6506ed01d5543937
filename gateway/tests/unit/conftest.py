"""The gateway without services: a fake RPC pool in place of nameko's cluster proxies."""
import pytest
from nameko.exceptions import RemoteError

from gateway.app import create_app
from gateway.config import Settings

TEST_SECRET = "f3c1a9d27be04e6f8a5b1c3d7e9f0a2b4c6d8e1f3a5b7c9d"  # a test key, not a placeholder


class FakePool:
    """Records each operation call as ``(service, method, args)`` (its nameko context in ``contexts``) and
    answers ``results[method]``, else ``result``; raises ``error`` instead when set. The check-order
    pre-check (``authorise``, gateway.hardening) is kept apart in ``prechecks`` as ``(service, rpc,
    context)`` and answers ``authorise`` (an error to raise, or None): it asks whether the caller may call
    a route, it is not the route."""

    def __init__(self):
        self.calls, self.contexts, self.prechecks = [], [], []
        self.result, self.results, self.error, self.authorise = None, {}, None, None

    def call(self, service, method, *args, context, **kwargs):
        if method == "authorise":
            self.prechecks.append((service, args[0], context))
            if self.authorise is not None:
                raise RemoteError(type(self.authorise).__name__, str(self.authorise))
            return None
        self.calls.append((service, method, args))
        self.contexts.append(context)
        if self.error is not None:
            raise self.error
        return self.results.get(method, self.result)

    def call_each(self, calls, *, context):
        """The real pool's several-at-once calls: each answer is the result or the exception raised."""
        answers = []
        for service, method in calls:
            try:
                answers.append(self.call(service, method, context=context))
            except Exception as exc:  # noqa: BLE001 - handed back, as the real pool does
                answers.append(exc)
        return answers


@pytest.fixture(scope="module")
def gateway_app(jwks_file, tmp_path_factory):
    """The whole gateway (every blueprint as app.py registers it), built once per module (building the
    OpenAPI document takes seconds); files go to a temporary directory."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PLATFORM_VAR_DIR", str(tmp_path_factory.mktemp("var")))
        yield create_app(Settings(jwks_file=str(jwks_file), secure_cookies=False, secret_key=TEST_SECRET))


@pytest.fixture
def app(gateway_app):
    """The gateway over a fresh FakePool for each test."""
    gateway_app.extensions["rpc_pool"] = FakePool()
    return gateway_app


@pytest.fixture
def pool(app) -> FakePool:
    return app.extensions["rpc_pool"]
