"""housing_fund in-process against real RabbitMQ and PostgreSQL, with the city bureau's level table."""
import itertools

import pytest
from nameko.exceptions import RemoteError

from housing_fund.seed import seed
from housing_fund.service import HousingFundService
from shared import validators
from tests.support.helpers import remote_code
from tests.support.service import call, service_fixtures

globals().update(service_fixtures("housing_fund", HousingFundService,
                                  seed=lambda url: seed(url, {"city": "440700"})))

_SERIAL = itertools.count(1)
SHA = "ab" * 32


def make_uscc(region: str = "440703") -> str:
    """A valid, unused 统一社会信用代码 (GB 32100) whose 组织机构代码 is valid too (GB 11714)."""
    body = f"MA{next(_SERIAL):06d}"
    org = body + validators.org_code_check_char(body)
    head = "91" + region + org
    return head + validators.uscc_check_char(head)


def registration(region: str = "440703", **overrides) -> dict:
    data = {"name": f"江门市测试单位{next(_SERIAL)}", "uscc": make_uscc(region), "region": region,
            "address": "江门市蓬江区建设路1号", "legal_person": "王建国", "contact_name": "李经办",
            "bank_name": "中国工商银行江门分行", "bank_account_name": "江门市测试单位",
            "bank_account_no": "6222020000001234",
            "attachments": [{"id": SHA, "filename": "营业执照.pdf", "kind": "business_licence"}]}
    data.update(overrides)
    return data


@pytest.fixture
def rpc(housing_fund, housing_fund_config):
    def _rpc(method, *args, token=None, key=None):
        return call(housing_fund_config, "housing_fund", method, *args, token=token, key=key)
    return _rpc


@pytest.fixture
def error_of(rpc):
    def _error_of(method, *args, token=None):
        with pytest.raises(RemoteError) as info:
            rpc(method, *args, token=token)
        return remote_code(info.value)
    return _error_of


@pytest.fixture
def bureau(issue):
    """Tokens of housing bureaus: ``bureau()`` the city's, ``bureau("440704")`` a county's."""
    return lambda region="440700": issue(role="housing_bureau", region=region, name="住建局经办人")[0]


@pytest.fixture
def new_registration():
    """``new_registration(region="440703", **overrides)``: valid registration data, a fresh USCC each time."""
    return registration
