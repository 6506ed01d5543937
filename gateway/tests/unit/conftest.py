"""The gateway without services: a fake RPC pool in place of nameko's cluster proxies."""
import pytest

from gateway.app import create_app
from gateway.config import Settings
from gateway.testing import FakePool

TEST_SECRET = "f3c1a9d27be04e6f8a5b1c3d7e9f0a2b4c6d8e1f3a5b7c9d"  # a test key, not a placeholder


@pytest.fixture(scope="module")
def gateway_app(jwks_file, tmp_path_factory):
    """The whole gateway (every blueprint as app.py registers it), built once per module (building the
    OpenAPI document takes seconds); files go to a temporary directory."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PLATFORM_VAR_DIR", str(tmp_path_factory.mktemp("var")))
        yield create_app(Settings(jwks_file=str(jwks_file), secure_cookies=False, secret_key=TEST_SECRET))


@pytest.fixture
def app(gateway_app):
    """The gateway over a fresh FakePool (and an empty holiday-schedule cache) for each test; every view it
    ran declared its first call."""
    pool = gateway_app.extensions["rpc_pool"] = FakePool()
    gateway_app.extensions["calendar_cache"].clear()
    yield gateway_app
    pool.assert_declared()


@pytest.fixture
def pool(app) -> FakePool:
    return app.extensions["rpc_pool"]
