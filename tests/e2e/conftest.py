"""The end-to-end tier: the whole platform started once per test session exactly as `make run` does
(deploy.stack), with its own broker vhost, database prefix, keys and port."""
import uuid

import pytest
import requests
from sqlalchemy import create_engine, text

from deploy.stack import Stack, StackConfig, free_port, services
from shared.db import admin
from shared.db.engine import DEFAULT_SERVER_URL
from shared.testing import rabbit
from shared.testing.db import templates
from tests.support.calendar import confirm_coming_years


@pytest.fixture(scope="session")
def platform(tmp_path_factory):
    vhost = rabbit.create_vhost("e2e")
    prefix = f"e2e_{uuid.uuid4().hex[:6]}_"
    config = StackConfig(amqp_uri=rabbit.uri(vhost), db_prefix=prefix, var_dir=tmp_path_factory.mktemp("var"),
                         gateway_port=free_port(), echo=False,
                         # fuzzing registers webhooks as the admin: deliveries stay on this machine
                         extra_env={"WEBHOOK_ALLOWED_HOSTS": "127.0.0.1,localhost"})
    stack = Stack(config)
    stack.vhost = vhost
    stack.expected_restarts = {}          # restarts a test caused on purpose (kill -9 under supervision)
    try:
        with templates():
            stack.prepare()
        stack.start(timeout=90)
        stack.supervise()                 # as `make run` does: a process that exits is started again
        confirm_coming_years(config.gateway_url)  # the clock runs ahead into years not shipped
        yield stack
        unexpected = {name: state.restarts for name, state in stack.supervised.items()
                      if state.restarts > stack.expected_restarts.get(name, 0)}
        assert not unexpected, f"processes exited and were restarted by the launcher: {unexpected} (see var/log)"
    finally:
        stack.stop()
        stack.remove_broker_users()
        rabbit.delete_vhost(vhost)
        engine = create_engine(DEFAULT_SERVER_URL.replace("postgresql://", "postgresql+psycopg2://") + "/postgres")
        with engine.connect() as conn:
            names = [r[0] for r in conn.execute(text("SELECT datname FROM pg_database WHERE datname LIKE :p"),
                                                {"p": prefix + "%"})]
        engine.dispose()
        for name in names:
            admin.drop_database("", f"postgresql+psycopg2://postgres@127.0.0.1:5432/{name}")
        _ = services


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
