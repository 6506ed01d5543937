"""The gateway without services: a fake RPC pool in place of nameko's cluster proxies."""
import pytest

from gateway.testing import FakePool, fresh_pool, gateway_over_fake_pool


@pytest.fixture(scope="module")
def gateway_app(jwks_file, tmp_path_factory):
    """The whole gateway (every blueprint as app.py registers it), built once per module (building the
    OpenAPI document takes seconds); files go to a temporary directory."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PLATFORM_VAR_DIR", str(tmp_path_factory.mktemp("var")))
        yield gateway_over_fake_pool(jwks_file)


@pytest.fixture
def app(gateway_app):
    """The gateway over a fresh FakePool (and an empty holiday-schedule cache) for each test; every view it
    ran declared its first call."""
    pool = fresh_pool(gateway_app)
    yield gateway_app
    pool.assert_declared()


@pytest.fixture
def pool(app) -> FakePool:
    return app.extensions["rpc_pool"]
