"""Line B employees at the portal (seed 004's menus): 职工管理 with search highlights, 详细资料 and
变更记录, 重置密码; 职工开户 with an upload; 职工批量导入 (a bad row reported by its number, then a
good file); 职工信息变更 (at once, and through the bureau); 批量封存/启封 across pages; 员工转出 and
the receiving employer's 审阅; the employee's own account."""
import io
import random

from openpyxl import Workbook
from selenium.webdriver.common.by import By

from shared import validators

EMPLOYER = "MA5H0001X"        # 江门市蓬江区示范建设集团 (440703), demo
RECEIVER = "MA5H00036"        # 江门市江海区示范电子厂 (440704), demo
BUREAU = "zjj440703"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
HEADER = ["姓名*", "证件类型", "证件号码*", "手机号码*", "级别*", "每月缴费金额（元）", "汇缴开始月份*", "累计缴纳期数",
          "累计缴纳金额（元）", "职务"]


RUN = random.randrange(0, 400)  # a fresh set of ID numbers each run (the platform may be a running one)


P = f"导入{RUN:03d}职工"


def person_id(n: int) -> str:
    n += RUN
    body = f"4407031988{(n % 12) + 1:02d}{(n % 27) + 1:02d}{n % 1000:03d}"
    return body + validators.id_check_char(body)


def workbook(path, rows):
    book = Workbook()
    ws = book.active
    ws.title = "职工信息"
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
        ws.cell(row=ws.max_row, column=3).number_format = "@"
    out = io.BytesIO()
    book.save(out)
    path.write_bytes(out.getvalue())
    return path


def row(name, n, level="01"):
    return [name, "居民身份证", person_id(n), "13900000000", level, None, "202601", 6, "4800", None]


def test_employer_manages_employees(portal, tmp_path):
    portal.login(EMPLOYER)
    # 职工管理: search highlights the match; 详细资料 with 变更记录 and the ledger; 重置密码
    portal.menu("职工管理")
    portal.search("陈职")
    assert portal.row("陈职工").find_element(By.TAG_NAME, "mark").text == "陈职"
    portal.click("详细资料", portal.row("陈职工"))
    assert portal.find("#employee-status").text == "01 正常" and "¥21,600.00" in portal.find("#ledger-table").text

    # 职工开户 with an upload (submit only after 上传成功)
    portal.menu("职工开户")
    portal.fill("name", "浏览器职工")
    portal.fill("id_number", person_id(901))
    portal.fill("mobile", "13900009001")
    portal.choose("level", value="02")
    portal.fill("start_month", "202601")
    proof = tmp_path / "劳动合同.png"
    proof.write_bytes(PNG)
    portal.find("#employee-file").send_keys(str(proof))
    assert not portal.find("#employee-new-submit").is_enabled()
    portal.click("开始上传", navigates=False)
    portal.wait(lambda d: "上传成功" in portal.find(".upload-list").text, message="upload not finished")
    portal._navigate(portal.find("#employee-new-submit").click)
    assert "浏览器职工" in portal.find("h1").text and portal.find("#employee-monthly").text == "¥900.00"
    assert "开户" in portal.find("#changes-table").text
    assert portal.act("重置密码").startswith("重置密码")

    # 职工批量导入: a bad ID on row 4 imports nothing and names the row; the fixed file imports 12
    portal.menu("职工批量导入")
    assert portal.find("#import-template").get_attribute("href").endswith("/api/v1/employees/import-template.xlsx")
    rows = [row(f"{P}{i:02d}", 910 + i) for i in range(12)]
    bad = [list(r) for r in rows]
    bad[2][2] = bad[2][2][:17] + ("0" if bad[2][2][17] != "0" else "1")
    portal.find("#import-file").send_keys(str(workbook(tmp_path / "bad.xlsx", bad)))
    portal.find("#import-submit").click()
    portal.wait(lambda d: portal.find("#import-errors").is_displayed(), message="no row errors")
    assert portal.find("#import-errors tbody tr td").text == "4"
    portal.find("#import-file").send_keys(str(workbook(tmp_path / "good.xlsx", rows)))
    portal.find("#import-submit").click()
    portal.wait(lambda d: "导入成功" in portal.find("#import-result").text, timeout=60, message="import not done")

    # 职工信息变更: the mobile at once; the level waits for the bureau
    portal.menu("职工信息变更")
    portal.click("新增变更信息")
    portal.fill("pick-q", P + "00")
    portal.click("搜索")
    portal.click("选择", portal.row(P + "00"))
    portal.fill("chg-mobile", "13700000001")
    portal._navigate(portal.find("#employee-change-submit").click)
    assert "已生效" in portal.row(P + "00").text
    portal.open("/portal/housing/employees/pick-change?q=" + P + "01")
    portal.click("选择", portal.row(P + "01"))
    portal.choose("chg-level", value="03")
    portal.fill("chg-reason", "晋升正科")
    evidence = tmp_path / "任命文件.png"
    evidence.write_bytes(PNG)
    portal.find("#change-file").send_keys(str(evidence))
    portal.click("开始上传", navigates=False)
    portal.wait(lambda d: "上传成功" in portal.find(".upload-list").text, message="upload not finished")
    portal._navigate(portal.find("#employee-change-submit").click)
    assert "待住建局审核" in portal.row(P + "01").text

    # 批量封存/启封: pick on page 1 and page 2 into the pending list, submit once
    portal.menu("批量封存/启封")
    portal.fill("picker-q", P)
    portal.click("搜索")
    portal.row(P).find_element(By.CSS_SELECTOR, "input[data-pick]").click()
    portal.click("选择员工", navigates=False)
    portal.click("下一页")
    portal.row(P).find_element(By.CSS_SELECTOR, "input[data-pick]").click()
    portal.click("选择员工", navigates=False)
    assert portal.find("#pending-count").text == "待变更列表共2人"
    portal._navigate(portal.find("#picker-submit").click)
    portal.search(P)
    portal.reload_until(lambda: portal.text().count("封存") >= 2, message="two sealed")

    # 员工转出 to the 江海区 employer
    portal.menu("员工转入/转出")
    portal.click("新增职工转出")
    portal.fill("picker-q", P + "05")
    portal.click("搜索")
    portal.row(P + "05").find_element(By.CSS_SELECTOR, "input[data-pick]").click()
    portal.click("选择员工", navigates=False)
    portal.choose("transfer-to", text="江海区示范电子厂")
    portal._navigate(portal.find("#picker-submit").click)
    assert "待转入单位审阅" in portal.row(P + "05").text
    portal.logout()

    # the bureau approves the level change
    portal.login(BUREAU)
    portal.menu("职工信息变更审核")
    assert portal.act("审核通过", portal.row(P + "01"), opinion="同意").startswith("审核通过")
    portal.logout()

    # the receiving employer reviews (审阅) and accepts: the balance moves with the employee
    portal.login(RECEIVER)
    portal.menu("员工转入/转出")
    portal.click("审阅", portal.row(P + "05"))
    assert portal.act("立即提交").startswith("确认转入")
    portal.menu("职工管理")
    portal.search(P + "05")
    assert "¥4,800.00" in portal.row(P + "05").text  # the balance followed the employee
    portal.logout()


def test_employee_sees_own_account(portal):
    portal.login("zg_demo")
    portal.menu("我的住房补贴账户")
    assert portal.find("#employee-name").text == "陈职工"
    assert portal.find("#employee-balance").text == "¥21,600.00"
    assert "¥21,600.00" in portal.find("#ledger-table").text
