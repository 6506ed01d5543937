"""Line B clicked through the portal: 注册新单位 (SMS code, basic data, the licence uploaded), returned
and resubmitted, approved by the bureau's 单位注册审核; the employer's first login opens 职工信息初始化;
职工批量导入 with a refused file then a good one; 职工管理 search; 职工开户; 新增职工转出 and the
receiver's 审阅; the employee's own account; the bureau's 迁移导入."""
from __future__ import annotations

import time
import uuid

import pytest
import requests
from openpyxl import Workbook
from selenium.webdriver.common.by import By

from shared import validators

pytestmark = pytest.mark.browser

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")
HEADER = ["姓名*", "证件类型", "证件号码*", "手机号码*", "级别*", "每月缴费金额（元）", "汇缴开始月份*", "累计缴纳期数",
          "累计缴纳金额（元）"]


def new_uscc(region: str = "440703") -> str:
    n = uuid.uuid4().int
    body = "MC" + "".join("0123456789ABCDEFGHJKLMNPQRTUWXY"[(n >> (5 * i)) % 31] for i in range(6))
    head = "91" + region + body + validators.org_code_check_char(body)
    return head + validators.uscc_check_char(head)


def new_id(i: int) -> str:
    body = f"440703{1960 + uuid.uuid4().int % 40}0{1 + i % 9}1{i % 10}{uuid.uuid4().int % 1000:03d}"
    return body + validators.id_check_char(body)


def xlsx(path, sheets: dict) -> str:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
    book.save(path)
    return str(path)


def api_token(base: str, username: str, password: str = "Demo2026") -> dict:
    answer = requests.post(f"{base}/api/v1/auth/login", json={"username": username, "password": password}, timeout=20)
    assert answer.status_code == 200, answer.text
    return {"Authorization": "Bearer " + answer.json()["access_token"]}


def inbox_code(base: str, mobile: str) -> str:
    inbox = requests.get(f"{base}/api/v1/dev/sms-inbox", params={"mobile": mobile}, timeout=10).json()
    return inbox["items"][0]["code"]


def upload(portal, path, kind: str | None = None) -> None:
    box = portal.find("[data-upload][data-name='attachments']")
    if kind:
        portal.choose("attachments-kind", value=kind)
    done = len(box.find_elements(By.CSS_SELECTOR, ".upload-item.done"))
    box.find_element(By.CSS_SELECTOR, "input[type='file']").send_keys(str(path))
    portal.click("上传", box, navigates=False)
    portal.wait(lambda d: len(box.find_elements(By.CSS_SELECTOR, ".upload-item.done")) > done,
                message="upload not finished")


def test_register_return_resubmit_approve_then_first_login(portal, tmp_path):
    base = portal.base
    mobile = f"135{uuid.uuid4().int % 10**8:08d}"
    uscc, name = new_uscc(), f"江门市浏览器测试单位{uuid.uuid4().hex[:4]}"
    portal.open("/")
    portal.click("注册新单位（住房补贴汇缴）")
    portal.fill("reg-mobile", mobile)
    portal.click("获取验证码", navigates=False)
    portal.wait(lambda d: "验证码已发送" in portal.find(".sms-note").text, message="code not sent")
    portal.fill("reg-code", inbox_code(base, mobile))
    portal.click("登录")
    for field, value in (("f-name", name), ("f-uscc", uscc), ("f-address", "江门市蓬江区浏览器路1号"),
                         ("f-legal_person", "王建国"), ("f-contact_name", "李经办"),
                         ("f-bank_name", "工商银行江门分行"),
                         ("f-bank_account_name", name), ("f-bank_account_no", "6222020000001234")):
        portal.fill(field, value)
    portal.choose("f-region", value="440703")
    licence = tmp_path / "营业执照.pdf"
    licence.write_bytes(PDF)
    upload(portal, licence, "employer_license")
    portal.click("立即提交")
    portal.wait_text("待审核")

    bureau = api_token(base, "zjj440700")
    pending = requests.get(f"{base}/api/v1/employers", params={"review_status": "pending", "q": uscc[8:17]},
                           headers=bureau, timeout=20).json()["items"]
    returned = requests.post(f"{base}/api/v1/employers/{pending[0]['id']}/return", json={"opinion": "请补充开户许可证"},
                             headers=bureau, timeout=20)
    assert returned.status_code == 200
    portal.open("/portal/housing/register")
    portal.wait_text("请补充开户许可证")
    assert portal.value("f-name") == name  # the returned registration opens for correction
    portal.fill("f-address", "江门市蓬江区浏览器路2号")
    portal.click("立即提交")
    portal.wait_text("第2次提交")

    portal.driver.delete_all_cookies()
    portal.login("zjj440700")
    portal.menu("单位注册审核")
    row = portal.row(name)
    assert "待审核" in row.text
    portal.act("审核通过", row, opinion="同意")
    portal.open(f"/portal/housing/employers/{pending[0]['id']}")
    trade_code = portal.find("#employer-trade-code").text
    assert len(trade_code) == 5 and trade_code.isdigit()
    assert "请补充开户许可证" in portal.text()
    portal.screenshot("housing-bureau-employer")
    portal.logout()

    # first login: the initial password, an SMS code, a new password (identity's first-login flow)
    org = uscc[8:17]
    deadline = time.time() + 30
    while (answer := requests.post(f"{base}/api/v1/auth/login", json={"username": org, "password": org[-6:]},
                                   timeout=20)).status_code != 200 and time.time() < deadline:
        time.sleep(0.5)
    first = {"Authorization": "Bearer " + answer.json()["access_token"]}
    sent = requests.post(f"{base}/api/v1/me/first-login/sms-code", headers=first, timeout=20)
    if sent.status_code == 429:
        time.sleep(int(sent.headers["Retry-After"]) + 1)
        sent = requests.post(f"{base}/api/v1/me/first-login/sms-code", headers=first, timeout=20)
    assert sent.status_code == 200, sent.text
    done = requests.post(f"{base}/api/v1/me/first-login", headers=first, timeout=20,
                         json={"sms_code": inbox_code(base, mobile), "new_password": "Employer2026x"})
    assert done.status_code == 200, done.text
    portal.login(org, "Employer2026x", expect="/portal/housing/initialise")
    portal.wait_text("职工信息初始化")
    portal.act("立即提交")
    assert portal.path().startswith("/portal/housing/employer")
    assert portal.find("#employer-trade-code").text == trade_code


def test_initialise_import_search_open_and_transfer(portal, tmp_path):
    # 职工信息初始化 of a migrated employer at its first login
    portal.login("MA5H00028", expect="/portal/housing/initialise")
    row = portal.row("黄职工")
    mobile = row.find_element(By.CSS_SELECTOR, "[data-field='mobile']")
    mobile.clear()
    mobile.send_keys("13900001111")
    row.find_element(By.CSS_SELECTOR, "[data-row-save]").click()
    assert "已保存" in portal.toast()
    assert portal.find("#init-export").get_attribute("href").endswith("/api/v1/employees/export.xlsx")
    portal.act("立即提交")
    assert portal.find("#employer-trade-code").text == "75257"
    portal.logout()

    # 职工批量导入: one bad ID refuses the whole file, naming its row; then the corrected file
    portal.login("MA5H0001X")
    portal.menu("职工批量导入")
    stamp = uuid.uuid4().hex[:4]
    rows = [[f"导入{stamp}职工{i}", "居民身份证", new_id(i), f"139{uuid.uuid4().int % 10**8:08d}", "01", "800",
             "202401", "6", "4800"] for i in range(1, 4)]
    bad_rows = [list(r) for r in rows]
    bad_rows[1][2] = bad_rows[1][2][:-1] + ("0" if bad_rows[1][2][-1] != "0" else "1")
    portal.find("#import-file").send_keys(xlsx(tmp_path / "bad.xlsx", {"职工信息": [HEADER] + bad_rows}))
    portal.click("上传并导入", navigates=False)
    portal.wait(lambda d: not portal.find("#import-errors").get_attribute("hidden"), message="no row errors")
    assert "第3行" in portal.find("#import-errors").text
    portal.find("#import-file").send_keys(xlsx(tmp_path / "good.xlsx", {"职工信息": [HEADER] + rows}))
    portal.click("上传并导入", navigates=False)
    # every row checked: the rows are imported by a job whose progress bar the dialog shows
    portal.wait(lambda d: "已完成" in d.find_element(By.ID, "job-text").text, 30, "import job not finished")
    assert "成功 1" in portal.find("#job-text").text and "第2–4行：已导入3人" in portal.find("#job-items").text
    portal._navigate(portal.find("#job-close").click)

    # 职工管理: search by name with the match highlighted, 详细资料
    portal.menu("职工管理")
    portal.search(f"导入{stamp}职工2")
    assert portal.find("table.grid tbody mark").text == f"导入{stamp}职工2"
    portal.click(f"导入{stamp}职工2")
    portal.wait_text("缴存明细")
    assert "¥4,800.00" in portal.find("#employee-balance").text

    # 职工开户 singly
    portal.menu("职工开户")
    portal.fill("f-name", f"开户{stamp}")
    portal.fill("f-id_number", new_id(7))
    portal.fill("f-mobile", "13900002222")
    portal.choose("f-level", value="02")
    portal.fill("f-start_month", "202601")
    portal.click("立即提交")
    portal.wait_text("职工详细资料")
    assert "¥900.00" in portal.text()

    # 新增职工转出 to the 江海区 demo employer, which 审阅s and accepts
    portal.menu("员工转入/转出")
    portal.click("新增职工转出")
    portal.tick(f"导入{stamp}职工1")
    portal.choose("to-employer", text="江门市江海区示范电子厂")
    portal.click("立即提交")
    portal.wait_text(f"导入{stamp}职工1")
    portal.logout()
    portal.login("MA5H00036")
    portal.open("/portal/transfers?direction=in&status=pending")
    assert "导入" in portal.row(f"导入{stamp}职工1").text
    portal.act("审阅通过，立即提交", portal.row(f"导入{stamp}职工1"))
    portal.open("/portal/employees")
    portal.search(f"导入{stamp}职工1")
    assert portal.has_row(f"导入{stamp}职工1")
    portal.screenshot("housing-employer-employees")


def test_employee_account_and_migration(portal, tmp_path):
    portal.login("zg_demo")
    portal.menu("我的住房补贴账户")
    assert "¥21,600.00" in portal.find("#employee-balance").text
    assert "汇缴" in portal.find("#employee-ledger").text
    portal.logout()

    portal.login("zjj440703")
    portal.menu("单位迁移导入")
    uscc = new_uscc()
    path = xlsx(tmp_path / "migration.xlsx", {
        "单位": [["统一社会信用代码*", "单位名称*", "所属县区代码*", "单位地址*", "法定代表人*", "联系人*",
                 "联系人手机*", "开户银行*", "银行户名*", "银行账号*"],
                [uscc, "江门市浏览器迁移单位", "440703", "江门市蓬江区迁移路1号", "赵六", "钱七", "13500000002",
                 "建设银行江门分行", "江门市浏览器迁移单位", "6217000000000002"]],
        "职工": [["单位统一社会信用代码*", *HEADER], [uscc, "迁移职工甲", "居民身份证", new_id(3), "13500000003", "01",
                                                "800", "202001", "60", "48000"]]})
    portal.find("#import-file").send_keys(path)
    portal.click("上传并导入", navigates=False)
    portal.wait(lambda d: "新建单位1个" in portal.find("#import-result").text, message="not migrated")
    portal.find("#import-file").send_keys(path)
    portal.click("上传并导入", navigates=False)
    portal.wait(lambda d: "未做任何修改" in portal.find("#import-result").text, message="not repeated")
    portal.menu("汇缴单位")
    portal.search(uscc[8:17])
    assert portal.has_row("江门市浏览器迁移单位")


def test_seal_employees_picked_on_two_pages(portal):
    """批量封存: the 待变更列表 keeps the employees ticked on page 1 while page 2 is ticked; one submit seals both."""
    base = portal.base
    headers = api_token(base, "MA5H0001X")
    stamp = uuid.uuid4().hex[:4]
    for i in range(1, 4):
        answer = requests.post(f"{base}/api/v1/employees", headers=headers, timeout=20, json={
            "name": f"封存{stamp}职工{i}", "id_number": new_id(i), "mobile": "13900003333", "level": "01",
            "start_month": "202601"})
        assert answer.status_code == 201, answer.text
    portal.login("MA5H0001X")
    portal.open(f"/portal/employees?status=01&q=封存{stamp}&page_size=2")
    portal.tick(f"封存{stamp}职工1")
    assert portal.find("[data-pending-count]").text == "1"
    portal._navigate(portal.find("nav.pagination a[href*='page=2']").click)
    portal.tick(f"封存{stamp}职工3")
    assert portal.find("[data-pending-count]").text == "2"
    assert f"封存{stamp}职工1" in portal.find("#pending-list").text
    portal._navigate(portal.find("nav.pagination a[href*='page=1']").click)   # back: the tick is still there
    assert portal.row(f"封存{stamp}职工1").find_element(By.CSS_SELECTOR, "input[name='ids']").is_selected()
    portal.act("批量封存")
    assert portal.find("[data-pending-count]").text == "0"
    portal.open(f"/portal/employees?status=02&q=封存{stamp}")
    assert portal.has_row(f"封存{stamp}职工1") and portal.has_row(f"封存{stamp}职工3")
    assert not portal.has_row(f"封存{stamp}职工2")


def test_bureau_keeps_the_levels_and_sets_an_employers_status(portal):
    """级别维护 from a future month (this month's table stays as it is) and 封存 / 恢复正常 of a demo employer."""
    portal.login("zjj440704")
    portal.menu("级别标准")
    month = portal.value("f-effective_month")
    later = f"{int(month[:4]) + 1}{month[4:]}"
    portal.fill("f-effective_month", later)
    portal.fill("f-reason", "明年调整标准")
    last = portal.all("#levels-form .repeat-row")[-1]
    amount = last.find_element(By.CSS_SELECTOR, "[data-name='monthly_fen']")
    amount.clear()
    amount.send_keys("1700.00")
    portal.click("保存级别表")
    assert "级别表已保存" in portal.toast()
    assert later in portal.find("#level-editions").text and "¥1,700.00" in portal.find("#level-editions").text
    assert "¥1,700.00" not in portal.find("#levels").text     # this month's table is unchanged

    portal.open("/portal/housing/employers/6f1c2a10-0000-4000-8000-000000000404")
    portal.act("封存", opinion="单位停业整顿")
    assert "05 封存" in portal.find("#employer-status").text
    assert "单位状态" in portal.find("#changes").text
    portal.act("恢复正常", opinion="恢复经营")
    assert "01 正常" in portal.find("#employer-status").text
