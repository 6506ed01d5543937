"""unit_registry in-process against real RabbitMQ and PostgreSQL, seeded with the demo city."""
import uuid

import pytest
import yaml

from shared.seeding import DEFAULT_DEMO
from shared.testing.helpers import rows, scalar
from shared.testing.service import service_fixtures
from shared.validators import id_check_char
from unit_registry.seed import seed
from unit_registry.service import UnitRegistryService

DEMO = yaml.safe_load(DEFAULT_DEMO.read_text(encoding="utf-8"))
UNIT_PENGJIANG, UNIT_JIANGHAI = (u["id"] for u in DEMO["units"])
CLERK_PENGJIANG, CLERK_JIANGHAI = (u["admin_account_id"] for u in DEMO["units"])

globals().update(service_fixtures("unit_registry", UnitRegistryService, seed=lambda url: seed(url, DEMO)))


@pytest.fixture
def demo():
    """The demo city's units and people, as seeded."""
    return DEMO


@pytest.fixture
def clerk(issue):
    """A unit clerk's token: by default the demo clerk of 蓬江区示范科技 (440703)."""
    def _clerk(unit_id=UNIT_PENGJIANG, account_id=CLERK_PENGJIANG):
        return issue(role="unit_admin", region=None, unit_id=unit_id, account_id=account_id)[0]
    return _clerk


@pytest.fixture
def graduate(issue):
    """A new graduate's account under a unit: (token, account_id)."""
    def _graduate(unit_id=UNIT_PENGJIANG):
        account_id = str(uuid.uuid4())
        return issue(role="individual", region=None, unit_id=unit_id, account_id=account_id)[0], account_id
    return _graduate


@pytest.fixture
def registration():
    """Valid registration data of graduate number ``n`` (each n has its own ID number, mobile, card)."""
    def _registration(n=1, name="王五", **patch):
        body = f"44070319990101{n:03d}"
        data = {"name": name, "id_type": "resident_id", "id_number": body + id_check_char(body),
                "mobile": f"1390000{n:04d}", "degree": "master", "graduated_on": "2025-06-30",
                "bank_account": {"holder": name, "bank": "中国银行江门分行", "number": f"6216610000000000{n:03d}"},
                "terms_version": "2026.1"}  # the 个人注册用户须知 in force (unit_registry/data/terms.yaml)
        data.update(patch)
        return data
    return _registration


@pytest.fixture
def snapshot(unit_registry_db):
    """The service's state (people, units, outbox, audit): shows that a refused call changed nothing."""
    def _snapshot():
        return (rows(unit_registry_db, "SELECT id, status, opinion, name, mobile, updated_at FROM individuals "
                                       "ORDER BY id"),
                rows(unit_registry_db, "SELECT id, status FROM units ORDER BY id"),
                scalar(unit_registry_db, "SELECT count(*) FROM platform_outbox"),
                scalar(unit_registry_db, "SELECT count(*) FROM platform_audit_log"))
    return _snapshot
