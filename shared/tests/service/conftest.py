"""Fixtures of the shared package's service tier: the sample service, its database, RPC clients."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from shared.testing import db, rabbit

SAMPLE_DIR = Path(__file__).parent / "sample"
sys.path.insert(0, str(SAMPLE_DIR))

import sample_service  # noqa: E402


@pytest.fixture(scope="session")
def sample_db():
    url = db.fresh_database("test_sample")
    db.create_tables(url, sample_service.metadata)
    yield url
    db.drop(url)


@pytest.fixture
def sample_url(sample_db):
    db.truncate_all(sample_db)
    return sample_db


@pytest.fixture
def sample_config(vhost, sample_url, jwks_file):
    return {"AMQP_URI": rabbit.uri(vhost), "DATABASE_URL": sample_url, "JWT_JWKS_FILE": str(jwks_file),
            "RETRY_DELAYS_MS": "100,200,300", "OUTBOX_MAX_RETRY_SECONDS": 0.5, "OUTBOX_SWEEP_SECONDS": 0.5,
            "JOB_POLL_SECONDS": 0.2, "max_workers": 10}


@pytest.fixture
def sample(container_factory, sample_config):
    container = container_factory(sample_service.SampleService, sample_config)
    container.start()
    return container
