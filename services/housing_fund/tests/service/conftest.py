"""housing_fund in-process against real RabbitMQ and PostgreSQL, with the city bureau's level table."""
import io
import itertools
from types import SimpleNamespace

import pytest
from nameko.exceptions import RemoteError
from openpyxl import Workbook

from housing_fund.domain.imports import HEADERS
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


@pytest.fixture
def employer(rpc, bureau, issue, new_registration):
    """``employer(region="440703", status=None)`` -> (employer_id, token): an approved employer and its clerk's
    token; ``status`` "05"/"04" then seals or closes it (set directly: those decisions are not built here)."""
    from tests.support.helpers import execute

    def _employer(region="440703", status=None, db=None):
        created = rpc("register_employer", "139" + f"{next(_SERIAL):08d}", new_registration(region))
        rpc("approve_employer", created["id"], None, token=bureau(region))
        if status:
            execute(db, "UPDATE employers SET status=:s WHERE id=:i", s=status, i=created["id"])
        token = issue(role="employer", region=region, unit_id=created["id"], name="单位经办人")[0]
        return created["id"], token
    return _employer


@pytest.fixture
def store_file(tmp_path, monkeypatch):
    """``store_file(bytes) -> attachment id``: the gateway's attachment store, shared with the service."""
    from shared.attachments import AttachmentStore
    monkeypatch.setenv("PLATFORM_VAR_DIR", str(tmp_path))
    store = AttachmentStore(tmp_path / "attachments", max_bytes=50 * 1024 * 1024)
    return lambda content, name="职工.xlsx": store.put(content, name).sha256


# -- line B employees ----------------------------------------------------------------------------------


def id_number(region: str = "440703", birth: str = "19900101") -> str:
    """A valid, fresh 居民身份证号码 (ISO 7064 check character)."""
    n = next(_SERIAL) + 100
    year = int(birth[:4]) - (n // 28000) % 30
    body = f"{region}{year:04d}{birth[4:6]}{(n // 1000) % 28 + 1:02d}{n % 1000:03d}"
    return body + validators.id_check_char(body)


def employee_data(**overrides) -> dict:
    data = {"name": "张三", "id_type": "resident_id", "id_number": id_number(), "mobile": "13800138000",
            "level": "01", "start_month": "202601", "accumulated_periods": 12, "accumulated_fen": 960000,
            "attachments": [{"id": SHA, "filename": "劳动合同.pdf"}]}
    data.update(overrides)
    return data


def xlsx(rows: list[list], headers: tuple = HEADERS) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("职工信息")
    ws.append(list(headers))
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def row(name: str = "李四", number: str | None = None, level: str = "01", amount="", month: str = "202601",
        periods="", accumulated="") -> list:
    return [name, "居民身份证", number or id_number(), "13900139000", level, amount, month, periods, accumulated, ""]


@pytest.fixture
def lb():
    """Helpers of the employee tests: ``id_number()``, ``employee_data(**)``, ``xlsx(rows)``, ``row(**)``."""
    return SimpleNamespace(id_number=id_number, employee_data=employee_data, xlsx=xlsx, row=row, SHA=SHA)
