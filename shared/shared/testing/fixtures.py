"""Fixtures shared by every tier: a pytest plugin, loaded by the root conftest (``pytest_plugins``) or,
for one package's tests outside the repository, by ``pytest -p shared.testing.fixtures``."""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest

from shared.auth import keys
from shared.auth.tokens import TokenSigner
from shared.clock import FixedClock, SystemClock
from shared.testing import rabbit


@pytest.fixture(scope="session")
def keys_dir(tmp_path_factory) -> Path:
    """A signing key and its JWKS, as identity's key step makes them."""
    directory = tmp_path_factory.mktemp("keys")
    keys.generate(directory)
    return directory


@pytest.fixture(scope="session")
def jwks_file(keys_dir) -> Path:
    return keys_dir / "jwks.json"


@pytest.fixture(scope="session")
def signer(keys_dir) -> TokenSigner:
    kid, key = keys.private_keys(keys_dir)[-1]
    return TokenSigner(key, kid, clock=SystemClock())


@pytest.fixture
def issue(signer):
    """issue(role=..., region=..., unit_id=..., account_id=..., token_version=..., expired=False) -> 'Bearer ...'"""
    def _issue(role="county_hrss", region="440703", unit_id=None, account_id=None, token_version=1,
               name="测试用户", expired=False):
        import uuid
        active = signer
        if expired:
            clock = FixedClock(SystemClock().now() - timedelta(hours=2))
            active = TokenSigner(signer.private_key, signer.kid, clock=clock)
        token, claims = active.issue(account_id=account_id or str(uuid.uuid4()), role=role, region=region,
                                     unit_id=unit_id, name=name, token_version=token_version)
        return "Bearer " + token, claims
    return _issue


@pytest.fixture
def vhost():
    """A fresh broker vhost for one test (deleted afterwards)."""
    name = rabbit.create_vhost()
    yield name
    rabbit.delete_vhost(name)


@pytest.fixture(scope="module")
def module_vhost():
    name = rabbit.create_vhost("m")
    yield name
    rabbit.delete_vhost(name)


def pytest_report_header(config):
    return [f"broker {rabbit.BROKER}, database {os.environ.get('DATABASE_URL', 'postgresql://postgres@127.0.0.1:5432')}"]
