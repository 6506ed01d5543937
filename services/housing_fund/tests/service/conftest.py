"""housing_fund in-process against real RabbitMQ and PostgreSQL, with the city bureau's level table."""
import itertools

import pytest

from housing_fund.seed import seed
from housing_fund.service import HousingFundService
from shared import validators
from shared.testing.service import refusals, service_fixtures

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
            "attachments": []}
    data.update(overrides)
    return data


@pytest.fixture
def rpc(housing_fund, housing_fund_config):
    """One RPC as the gateway makes it; imports of thousands of rows get a longer timeout (the machine
    is shared: a timing is never what a test asserts)."""
    from shared.testing.helpers import rpc_client

    def _rpc(method, *args, token=None, key=None):
        timeout = 120 if method in ("import_employees", "migrate") else 15
        with rpc_client(housing_fund_config["AMQP_URI"], "housing_fund", token, key, timeout) as proxy:
            return getattr(proxy, method)(*args)
    return _rpc


@pytest.fixture
def error_of(rpc):
    return refusals(rpc)


@pytest.fixture
def bureau(issue):
    """Tokens of housing bureaus: ``bureau()`` the city's, ``bureau("440704")`` a county's."""
    return lambda region="440700": issue(role="housing_bureau", region=region, name="住建局经办人")[0]


@pytest.fixture
def upload(rpc):
    """``upload(token=None, kind="employer_license")``: the record of an upload as the gateway's attachments
    API makes it (no token: a registration form's upload); returns its id."""
    from shared.attachments import new_attachment_id

    def _upload(token=None, kind="employer_license", filename="附件.pdf"):
        meta = {"id": new_attachment_id("housing_fund"), "sha256": SHA, "content_type": "application/pdf",
                "size": 1024, "filename": filename, "kind": kind}
        method = "record_attachment" if token else "record_public_attachment"
        return rpc(method, meta, token=token)["id"]
    return _upload


@pytest.fixture
def new_registration(upload):
    """``new_registration(region="440703", **overrides)``: valid registration data with an uploaded 营业执照,
    a fresh USCC each time."""
    def _new(region="440703", **overrides):
        return registration(region, **{"attachments": [upload(filename="营业执照.pdf")], **overrides})
    return _new


def make_id(i: int, region: str = "440703") -> str:
    """A valid 18-digit ID number, distinct for every ``i`` below 3,650,000."""
    from datetime import date, timedelta

    born = date(1970, 1, 1) + timedelta(days=i // 1000)
    body = f"{region}{born:%Y%m%d}{i % 1000:03d}"
    return body + validators.id_check_char(body)


def employee_row(i: int, **overrides) -> list:
    """A template row: 姓名, 证件类型, 证件号码, 手机号码, 级别, 每月缴费金额（元）, 汇缴开始月份, 累计缴纳期数,
    累计缴纳金额（元）, 职务."""
    row = {"name": f"职工{i}", "id_type": "居民身份证", "id_number": make_id(i), "mobile": f"139{i:08d}",
           "level": "01", "monthly": "800.00", "start": "202401", "periods": "12", "amount": "9600.00", "post": None}
    row.update(overrides)
    return list(row.values())


def xlsx(sheets: dict[str, tuple[list, list]]) -> bytes:
    """A workbook of ``{title: (header, rows)}`` written as a clerk's Excel would (strings as text)."""
    import io

    from openpyxl import Workbook

    book = Workbook()  # shared strings, as Excel writes them
    book.remove(book.active)
    for title, (header, rows) in sheets.items():
        ws = book.create_sheet(title)
        ws.append(header)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


EMPLOYEE_HEADER = ["姓名*", "证件类型", "证件号码*", "手机号码*", "级别*", "每月缴费金额（元）", "汇缴开始月份*",
                   "累计缴纳期数", "累计缴纳金额（元）", "职务"]
EMPLOYER_HEADER = ["统一社会信用代码*", "单位名称*", "所属县区代码*", "单位地址*", "法定代表人*", "联系人*",
                   "联系人手机*", "开户银行*", "银行户名*", "银行账号*", "单位交易代码", "单位状态"]


@pytest.fixture
def sheets(tmp_path, monkeypatch):
    """Builders of import files: ``sheets.employees(rows)`` (stored in the attachment store as the
    gateway does; the answer is the file's id) and ``sheets.migration(employers, employees)``, both stored."""
    from types import SimpleNamespace

    from shared.attachments import AttachmentStore
    monkeypatch.setenv("PLATFORM_VAR_DIR", str(tmp_path))
    store = AttachmentStore(tmp_path / "attachments", max_bytes=20 * 1024 * 1024)

    def stored(content: bytes) -> str:
        return store.put(content, "职工.xlsx").sha256

    def employer_row(uscc, name, region="440703", trade_code=None, status="01", mobile="13900000001"):
        return [uscc, name, region, "江门市蓬江区建设路1号", "王建国", "李经办", mobile, "工商银行江门分行", name,
                "6222020000001234", trade_code, status]

    return SimpleNamespace(
        employees=lambda rows: stored(xlsx({"职工信息": (EMPLOYEE_HEADER, rows)})), stored=stored,
        migration=lambda employers, employees: stored(xlsx({"单位": (EMPLOYER_HEADER, employers),
                                                         "职工": (["单位统一社会信用代码*", *EMPLOYEE_HEADER],
                                                                  employees)})),
        employee_row=employee_row, employer_row=employer_row, make_id=make_id, make_uscc=make_uscc)


@pytest.fixture
def employer(rpc, bureau, issue, new_registration):
    """An approved employer of 440703 and its clerk's token: ``(employer, token)``."""
    def make(region="440703"):
        mine = rpc("register_employer", "13900000001", new_registration(region))
        approved = rpc("approve_employer", mine["id"], token=bureau())
        return approved, issue(role="employer", region=region, unit_id=approved["id"], name="经办人")[0]
    return make


@pytest.fixture
def hire(rpc, sheets):
    def make(token, i, **extra):
        data = {"name": f"职工{i}", "id_number": sheets.make_id(i), "mobile": f"138{i:08d}", "level": "01",
                "start_month": "202401", "accumulated_periods": 10, "accumulated_fen": 800000 + i, **extra}
        return rpc("open_employee", data, token=token)
    return make
