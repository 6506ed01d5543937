"""Line B over HTTP, every process as `make run` starts it: 注册新单位 with an SMS code, the bureau's
return and approval, the employer's login opened by identity from the event, first login with the
initial password, 职工信息初始化, 职工批量导入 (a bad row refuses the file), the bureau's 迁移导入 twice,
a transfer between the two employers, and 404 for another county's bureau."""
import io
import itertools
import time
from datetime import UTC, datetime

import pytest
from openpyxl import Workbook
from sqlalchemy import create_engine, text

from deploy.stack import environ
from shared import validators
from shared.db.engine import database_url
from tests.e2e.walk import new_mobile

pytestmark = pytest.mark.e2e
_SERIAL = itertools.count(int(time.time()) % 100000)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def uscc(region="440703"):
    body = f"MB{next(_SERIAL) % 1000000:06d}"
    head = "91" + region + body + validators.org_code_check_char(body)
    return head + validators.uscc_check_char(head)


def id_number(i):
    body = f"440703{1980 + i // 1000}0101{i % 1000:03d}"
    return body + validators.id_check_char(body)


def xlsx(sheets):
    book = Workbook()  # shared strings, as Excel writes them
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


EMPLOYEE_HEADER = ["姓名*", "证件类型", "证件号码*", "手机号码*", "级别*", "每月缴费金额（元）", "汇缴开始月份*",
                   "累计缴纳期数", "累计缴纳金额（元）"]


def employee(i, **kw):
    row = {"name": f"职工{i}", "type": "居民身份证", "id": id_number(i), "mobile": f"136{i:08d}", "level": "01",
           "monthly": "800", "start": "202401", "periods": "3", "amount": "2400.00"}
    row.update(kw)
    return list(row.values())


def eventually(fn, timeout=20):
    deadline = time.time() + timeout
    while True:
        result = fn()
        if result or time.time() > deadline:
            return result
        time.sleep(0.3)


def sms_code(api, mobile, purpose):
    sent = api.post("/api/v1/auth/sms-codes", json={"mobile": mobile, "purpose": purpose})
    assert sent.status_code == 200, sent.text
    inbox = api.get("/api/v1/dev/sms-inbox", params={"mobile": mobile}).json()
    return inbox["items"][0]["code"]


def login_opened(platform, username, timeout=20):
    """Until identity has opened ``username``'s login, read from identity's database: polling the login
    itself counts a failed attempt each time, and the fifth locks the username for 15 minutes (seen when the
    event took longer than five polls)."""
    with environ(platform.config.env()):
        engine = create_engine(database_url("identity"))
    try:
        with engine.connect() as conn:
            return eventually(lambda: conn.execute(text(
                "SELECT 1 FROM accounts WHERE lower(username) = lower(:u)"), {"u": username}).first(), timeout)
    finally:
        engine.dispose()


def first_login(api, org_code, mobile, platform):
    """The employer's login appears once identity consumed the event; first login: the initial password,
    an SMS code to the contact mobile, a new password (everything else is refused until then)."""
    assert login_opened(platform, org_code), f"identity opened no login {org_code}"
    answer = (r := api.post("/api/v1/auth/login", json={
        "username": org_code, "password": org_code[-6:]})).status_code == 200 and r.json()
    assert answer and answer["account"]["must_change_password"] and answer["account"]["role"] == "employer"
    clerk = type(api)(api.base, answer["access_token"])
    refused = clerk.get("/api/v1/employers/mine")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "account.password_change_required"
    sent = clerk.post("/api/v1/me/first-login/sms-code")
    if sent.status_code == 429:  # one code a minute per mobile: the registration's code came just before
        time.sleep(int(sent.headers["Retry-After"]) + 1)
        sent = clerk.post("/api/v1/me/first-login/sms-code")
    assert sent.status_code == 200, sent.text
    code = api.get("/api/v1/dev/sms-inbox", params={"mobile": mobile}).json()["items"][0]["code"]
    done = clerk.post("/api/v1/me/first-login", json={"sms_code": code, "new_password": "Employer2026x"})
    assert done.status_code == 200, done.text
    return api.login(org_code, "Employer2026x")


def test_line_b_from_registration_to_transfer(api, platform):
    mobile = new_mobile("137")
    ticket = api.post("/api/v1/employer-registrations/verify",
                      json={"mobile": mobile, "sms_code": sms_code(api, mobile, "employer_register")})
    assert ticket.status_code == 200, ticket.text
    assert ticket.json()["items"] == []
    headers = {"X-Registration-Ticket": ticket.json()["ticket"]}
    code = uscc()
    data = {"name": "江门市线B测试单位", "uscc": code, "region": "440703", "address": "江门市蓬江区测试路1号",
            "legal_person": "王建国", "contact_name": "李经办", "bank_name": "工商银行江门分行",
            "bank_account_name": "江门市线B测试单位", "bank_account_no": "6222020000001234",
            "attachments": []}
    licence = api.post("/api/v1/attachments", data={"kind": "employer_license"},
                       files={"file": ("营业执照.pdf", PDF, "application/pdf")})
    assert licence.status_code == 201, licence.text
    data["attachments"] = [licence.json()["id"]]
    assert api.post("/api/v1/employer-registrations", json=data).status_code == 401  # no ticket
    mine = api.post("/api/v1/employer-registrations", json=data, headers=headers)
    assert mine.status_code == 201, mine.text
    employer_id = mine.json()["id"]

    bureau = api.login("zjj440700")
    pending = bureau.get("/api/v1/employers", params={"review_status": "pending", "q": code[8:17]}).json()
    assert [e["id"] for e in pending["items"]] == [employer_id]
    assert api.login("zjj440704").post(f"/api/v1/employers/{employer_id}/return",
                                        json={"opinion": "x"}).status_code == 404  # another county's bureau
    returned = bureau.post(f"/api/v1/employers/{employer_id}/return", json={"opinion": "请补充开户许可证"})
    assert returned.status_code == 200
    seen = api.get("/api/v1/employer-registrations", headers=headers).json()["items"]
    assert seen[0]["opinion"] == "请补充开户许可证"
    again = api.post(f"/api/v1/employer-registrations/{employer_id}/resubmit", json=data, headers=headers)
    assert again.status_code == 200 and again.json()["round"] == 2
    approved = bureau.post(f"/api/v1/employers/{employer_id}/approve", json={"opinion": "同意"}).json()
    trade_code = approved["trade_code"]
    assert len(trade_code) == 5 and approved["status"] == "01"

    clerk = first_login(api, code[8:17], mobile, platform)
    info = clerk.get("/api/v1/employers/mine").json()
    assert bureau.get(f"/api/v1/attachments/{data['attachments'][0]}").content == PDF  # readable like the employer
    assert api.login("zjj440704").get(f"/api/v1/attachments/{data['attachments'][0]}").status_code == 404
    assert info["trade_code"] == trade_code and [r["decision"] for r in info["rounds"]] == ["returned", "approved"]
    template = clerk.get("/api/v1/employees/import-template.xlsx")
    assert template.status_code == 200 and template.content[:2] == b"PK"

    rows = [EMPLOYEE_HEADER] + [employee(i) for i in range(1, 6)]
    wrong = id_number(3)[:-1] + ("0" if id_number(3)[-1] != "0" else "1")  # check digit off
    bad = xlsx({"职工信息": rows[:3] + [employee(3, id=wrong)] + rows[4:]})
    refused = clerk.post("/api/v1/employees/import", files={"file": ("职工.xlsx", bad)})
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "import.rows_invalid"
    assert [e["row"] for e in refused.json()["error"]["details"]["errors"]] == [4]
    good = xlsx({"职工信息": rows})
    done = clerk.post("/api/v1/employees/import", files={"file": ("职工.xlsx", good)})
    assert done.status_code == 202 and done.json()["rows"] == 5, done.text     # checked: a job imports them
    job = eventually(lambda: (j := clerk.get(f"/api/v1/jobs/{done.json()['job_id']}").json())["status"] == "done"
                     and j)
    assert job and (job["succeeded"], job["failed"]) == (1, 0)
    assert clerk.post("/api/v1/employees/import", files={"file": ("职工.xlsx", good)}).json()["repeated"]
    assert api.login("zjj440703").get(f"/api/v1/jobs/{done.json()['job_id']}").status_code == 404
    # identity opened each imported employee's login (initial password: the ID's last 6 characters)
    login = eventually(lambda: (r := api.post("/api/v1/auth/login", json={
        "username": id_number(2), "password": id_number(2)[-6:]})).status_code == 200 and r.json())
    assert login and login["account"]["must_change_password"] and login["account"]["role"] == "employee"
    assert eventually(lambda: all(e["has_account"] for e in clerk.get("/api/v1/employees").json()["items"]))
    roster = clerk.get("/api/v1/employees", params={"q": "职工3"}).json()
    assert [e["name"] for e in roster["items"]] == ["职工3"]
    export = clerk.get("/api/v1/employees/export.xlsx")
    assert export.status_code == 200 and export.content[:2] == b"PK"
    assert clerk.post("/api/v1/employer-initialisation/submit").json()["employees"] == 5

    # the bureau migrates an employer that remitted before; the same file twice changes nothing
    other = uscc()
    migration = xlsx({"单位": [["统一社会信用代码*", "单位名称*", "所属县区代码*", "单位地址*", "法定代表人*",
                               "联系人*", "联系人手机*", "开户银行*", "银行户名*", "银行账号*"],
                              [other, "江门市迁移测试单位", "440703", "江门市蓬江区迁移路2号", "赵六", "钱七",
                               "13500000001", "建设银行江门分行", "江门市迁移测试单位", "6217000000000001"]],
                      "职工": [["单位统一社会信用代码*", *EMPLOYEE_HEADER], [other, *employee(100)]]})
    first = bureau.post("/api/v1/employer-migrations", files={"file": ("迁移.xlsx", migration)})
    assert first.status_code == 201 and first.json()["employers_created"] == 1, first.text
    assert bureau.post("/api/v1/employer-migrations", files={"file": ("迁移.xlsx", migration)}).json()["repeated"]
    receiver = first_login(api, other[8:17], "13500000001", platform)
    target_id = receiver.get("/api/v1/employers/mine").json()["id"]

    person = roster["items"][0]
    sent = clerk.post("/api/v1/transfers", json={"employee_ids": [person["id"]], "to_employer_id": target_id})
    assert sent.status_code == 201, sent.text
    [incoming] = receiver.get("/api/v1/transfers", params={"direction": "in", "status": "pending"}).json()["items"]
    accepted = receiver.post(f"/api/v1/transfers/{incoming['id']}/accept").json()
    assert accepted["status"] == "accepted" and accepted["balance_fen"] == 240000
    assert receiver.get(f"/api/v1/employees/{person['id']}").json()["balance_fen"] == 240000
    assert clerk.get(f"/api/v1/employees/{person['id']}").status_code == 404

    assert api.login("zjj440703").get(f"/api/v1/employers/{employer_id}").status_code == 200
    assert api.login("zjj440704").get(f"/api/v1/employers/{employer_id}").status_code == 404
    assert api.login("zjj440704").get(f"/api/v1/employees/{person['id']}").status_code == 404

    # 单位信息变更 of the contact mobile, approved: the employer's login follows (SMS login on the new mobile)
    changed = new_mobile("135")
    proof = clerk.post("/api/v1/attachments", data={"kind": "employer_change"},
                       files={"file": ("变更证明.pdf", PDF, "application/pdf")}).json()["id"]
    change = clerk.post("/api/v1/employer-changes", json={"data": {"contact_mobile": changed},
                                                          "attachments": [proof], "reason": "联系人换号"})
    assert change.status_code == 201, change.text
    assert bureau.post(f"/api/v1/employer-changes/{change.json()['id']}/approve", json={}).status_code == 200
    assert eventually(lambda: clerk.get("/api/v1/me").json()["mobile"] == changed)
    sms = api.post("/api/v1/auth/sms-login", json={"mobile": changed, "code": sms_code(api, changed, "login")})
    assert sms.status_code == 200 and sms.json()["account"]["username"] == code[8:17], sms.text

    # the bureau seals the employer: no remittance, no transfer in; then back to 正常
    sealed = bureau.post(f"/api/v1/employers/{employer_id}/status", json={"action": "seal", "reason": "停业整顿"})
    assert sealed.status_code == 200 and sealed.json()["status"] == "05", sealed.text
    refused = receiver.post("/api/v1/transfers", json={"employee_ids": [person["id"]], "to_employer_id": employer_id})
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "employer.not_active"
    month = datetime.now(UTC).strftime("%Y%m")
    sealed_remit = clerk.post("/api/v1/remittances", json={"mode": "remit", "month": month,
                                                           "lines": [{"employee_id": person["id"]}]})
    assert sealed_remit.status_code == 409 and sealed_remit.json()["error"]["code"] == "employer.not_active", \
        sealed_remit.text
    assert bureau.post(f"/api/v1/employers/{employer_id}/status",
                       json={"action": "resume", "reason": "恢复"}).json()["status"] == "01"


def test_demo_employers_and_the_employee_view(api):
    demo = api.login("MA5H0001X")
    mine = demo.get("/api/v1/employers/mine").json()
    assert mine["trade_code"] == "75256" and mine["housing"]["employee_total"] >= 2
    me = api.login("zg_demo").get("/api/v1/employees/me").json()
    assert me["name"] == "陈职工" and me["balance_fen"] == 2160000 and me["ledger"][0]["business_label"] == "汇缴"
    assert api.login("MA5H00036").get(f"/api/v1/employees/{me['id']}").status_code == 404
    assert api.login("rsj440703").get(f"/api/v1/employers/{mine['id']}").status_code == 403
