from pathlib import Path

import pytest

from identity import passwords
from identity.entrypoints.service import IdentityService
from identity.seed import seed
from identity.use_cases import accounts  # create_account hashes the seeded passwords
from shared.testing import db, rabbit

SERVICE_DIR = Path(__file__).resolve().parents[2]
DEMO = {"password": "Demo2026", "accounts": [
    {"username": "admin", "role": "sys_admin", "name": "管理员"},
    {"username": "clerk", "role": "county_hrss", "region": "440703", "name": "经办人", "mobile": "13800000009"},
]}


@pytest.fixture(scope="session")
def identity_db():
    url = db.migrated_database("test_identity", SERVICE_DIR)  # the real migrations, not create_all
    yield url
    db.drop(url)


_SEED_HASHES: dict[str, str] = {}


def _seed_hash(password: str) -> str:
    """The demo password's argon2 hash, made once per session by the production hasher (its real
    parameters, a random salt): seeding the demo accounts before each test hashed it twice (~0.5 s of
    CPU). Only the seeding uses it; every hash a test causes (create, change, reset) is computed."""
    if password not in _SEED_HASHES:
        _SEED_HASHES[password] = passwords.hash_password(password)
    return _SEED_HASHES[password]


@pytest.fixture
def identity_url(identity_db, monkeypatch):
    db.truncate_all(identity_db)
    with monkeypatch.context() as patched:
        patched.setattr(accounts, "hash_password", _seed_hash)
        seed(identity_db, DEMO)
    return identity_db


@pytest.fixture
def clock_file(tmp_path, monkeypatch):
    """Every clock of the container reads this offset file (``set_offset`` moves time)."""
    path = tmp_path / "clock.json"
    monkeypatch.setenv("PLATFORM_CLOCK_FILE", str(path))
    return path


@pytest.fixture
def identity_config(vhost, identity_url, keys_dir, clock_file):
    return {"AMQP_URI": rabbit.uri(vhost), "DATABASE_URL": identity_url, "JWT_KEYS_DIR": str(keys_dir),
            "JWT_JWKS_FILE": str(keys_dir / "jwks.json"), "max_workers": 10, "SMS_SENDER": "dev"}


@pytest.fixture
def identity(container_factory, identity_config):
    container = container_factory(IdentityService, identity_config)
    container.start()
    return container
