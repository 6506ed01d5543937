"""The end-to-end tier: the whole platform started once per test session exactly as `make run` does
(deploy.stack, through tests.support.stack), with its own broker vhost, database prefix, keys and port.
Every process reaches the broker and its database through its own TCP proxy, so the short forms of the
fault cases (tests/e2e/test_faults.py, issue 14) can cut them, and a failing event handler is retried on
the tests' short schedule (SHORT_RETRY_DELAYS_MS), so the poison event's short form sees its dead letter."""
import pytest
import requests

from tests.support.stack import SHORT_RETRY_DELAYS_MS, platform_stack, unexpected_restarts


@pytest.fixture(scope="session")
def platform(tmp_path_factory):
    with platform_stack(tmp_path_factory.mktemp("var"), "e2e", proxied=True,
                        extra_env={"RETRY_DELAYS_MS": SHORT_RETRY_DELAYS_MS}) as stack:
        yield stack
        unexpected = unexpected_restarts(stack)
        assert not unexpected, f"processes exited and were restarted by the launcher: {unexpected} (see var/log)"


class Api:
    """A tiny HTTP client for the gateway, as a portal or an integrator script would use it."""

    def __init__(self, base: str, token: str | None = None) -> None:
        self.base, self.token = base, token

    def request(self, method: str, path: str, **kwargs):
        headers = kwargs.pop("headers", {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return requests.request(method, self.base + path, headers=headers, timeout=30, **kwargs)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def login(self, username: str, password: str = "Demo2026") -> "Api":
        response = self.post("/api/v1/auth/login", json={"username": username, "password": password})
        assert response.status_code == 200, response.text
        return Api(self.base, response.json()["access_token"])


@pytest.fixture(scope="session")
def api(platform):
    return Api(platform.config.gateway_url)


def pytest_collection_modifyitems(session, config, items):
    """The fault short form (test_faults.py) last: it kills every process of the session's stack, and a
    restarted process starts its metrics again (test_metrics reads counters the earlier tests' events set)."""
    items.sort(key=lambda item: item.nodeid.startswith("tests/e2e/test_faults.py"))
