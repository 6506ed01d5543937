"""The county finance office at the portal (issue 13): 到账确认 before paying, the bank's payment file and
its result file (回盘) with a failure, the failed payment retried with the corrected account, a clawback
(追回) and its recovery, the 资金对账 with its export; the unit's own 资金拨付查询统计. The application
reaches city finance's release through the API (the line A walk clicks those stages)."""
from __future__ import annotations

import io

import openpyxl
import pytest
import requests
from selenium.webdriver.common.by import By

from tests.e2e.walk import City, Walk, until

pytestmark = pytest.mark.browser


def released_walk(base: str, clock) -> Walk:
    """One application of 蓬江区 through stages 1-11 (city finance has released the county's money)."""
    walk = Walk(City(base), "440703")
    for stage in (walk.stage1_submit, walk.stage2_unit_approve, walk.stage3_report, walk.stage4_county_approve):
        stage()
    walk.stage5_publicity(clock)
    for stage in (walk.stage6_assess, walk.stage7_report_to_org, walk.stage8_county_org, walk.stage9_aggregate,
                  walk.stage10_city_org, walk.stage11_release):
        stage()
    walk.transfer = until(walk._my_transfer, message="county transfer at county finance")
    return walk


def bank_answer(walk: Walk, path, result: str, reason: str = ""):
    """The bank's result file: the transfer's payment file (as county finance downloads it) with 支付结果."""
    client = walk.officer("county_finance")
    response = requests.get(f"{client.base}/api/v1/county-transfers/{walk.transfer['id']}/bank-file.xlsx",
                            headers={"Authorization": f"Bearer {client.token}"}, timeout=60)
    assert response.status_code == 200, response.text
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        row[header.index("支付结果")].value = result
        row[header.index("失败原因")].value = reason
    book.save(path)
    return path


def import_result(portal, transfer_id: str, path) -> str:
    portal.open(f"/portal/county-transfers/{transfer_id}")
    portal.click("导入银行回盘")
    portal.find("#bank-result-file").send_keys(str(path))
    portal.find("#bank-result-upload").click()
    portal.wait(lambda d: portal.find("#bank-result-counts").text, message="no import summary")
    return portal.find("#bank-result-counts").text


@pytest.mark.timeout(600)  # stages 1-11 through the API, then the finance office's screens
def test_arrival_bank_files_retry_clawback_and_reconciliation(portal, clock, tmp_path):
    walk = released_walk(portal.base, clock)
    batch_no, application_no = walk.city_batch["batch_no"], walk.application["application_no"]
    transfer_id = walk.transfer["id"]

    portal.login("czj440703")
    portal.menu("待确认到账")
    portal.reload_until(lambda: portal.has_row(batch_no), message="transfer to confirm")
    assert "待确认到账" in portal.row(batch_no).text
    portal.act("确认到账", portal.row(batch_no))
    portal.menu("待拨付至个人")
    assert portal.has_row(batch_no)

    portal.open(f"/portal/county-transfers/{transfer_id}")
    assert portal.button("下载银行支付文件").get_attribute("href").endswith(
        f"/api/v1/county-transfers/{transfer_id}/bank-file.xlsx")
    summary = import_result(portal, transfer_id, bank_answer(walk, tmp_path / "回盘1.xlsx", "失败", "户名与账号不符"))
    assert "支付失败1笔" in summary and "户名与账号不符" in portal.find("#bank-result-lines").text

    portal.menu("支付失败处理")
    portal.click("更正账户重新支付", portal.row(application_no))
    portal.fill("holder", "测试毕业生")
    portal.fill("bank", "中国银行江门分行")
    portal.fill("number", "6217000000001234")
    portal._navigate(portal.find("#retry-submit").click)
    assert "已更正账户，待重新支付" in portal.toast()
    assert not portal.has_row(application_no)

    paid = bank_answer(walk, tmp_path / "回盘2.xlsx", "成功")
    assert "支付成功1笔" in import_result(portal, transfer_id, paid)
    assert "该文件已导入过，本次未作任何变更" in import_result(portal, transfer_id, paid)

    portal.open(f"/portal/county-transfers/{transfer_id}")
    assert "已拨付至个人" in portal.row(application_no).text
    portal.act("登记追回", portal.row(application_no), opinion="已离职，不符合补助条件")
    portal.menu("追回管理")
    assert "待追回" in portal.row(application_no).text and "已离职" in portal.row(application_no).text
    portal.act("确认追回到账", portal.row(application_no))
    assert "已追回" in portal.row(application_no).text

    portal.menu("资金对账")
    line = portal.row(batch_no)
    assert "蓬江区" in line.text and "相符" in line.text
    assert line.find_element(By.CSS_SELECTOR, "[data-label='追回（另列）']").text.startswith("1 笔")
    assert line.find_element(By.CSS_SELECTOR, "[data-label='已支付']").text.startswith("1 笔")
    assert portal.find("#reconciliation-export").get_attribute("href").endswith("/disbursement-reconciliation.xlsx")
    portal.logout()

    portal.login("dw_demo")  # the graduate's unit: its own people's money (资金拨付查询统计)
    portal.menu("资金拨付查询统计")
    assert "本单位人员" in portal.text() and "蓬江区" in portal.row("蓬江区").text


@pytest.mark.timeout(600)  # stages 1-11 through the API, then the graduate's and county finance's screens
def test_the_graduate_corrects_the_account_and_county_finance_retries_with_it(portal, clock, tmp_path):
    walk = released_walk(portal.base, clock)
    application_no, transfer_id = walk.application["application_no"], walk.transfer["id"]
    portal.login("czj440703")
    portal.menu("待确认到账")
    portal.reload_until(lambda: portal.has_row(walk.city_batch["batch_no"]), message="transfer to confirm")
    portal.act("确认到账", portal.row(walk.city_batch["batch_no"]))
    summary = import_result(portal, transfer_id, bank_answer(walk, tmp_path / "回盘1.xlsx", "失败", "账号已销户"))
    assert "支付失败1笔" in summary
    portal.logout()

    portal.login(walk.graduate.username)  # 修改银行账户 on the graduate's registration page
    portal.open("/portal/register/individual")
    assert portal.find("#holder").get_attribute("value") == "测试毕业生"
    portal.fill("bank", "中国建设银行江门分行")
    portal.fill("number", "6217000000000000099")
    portal._navigate(portal.find("#bank-account-submit").click)
    assert "银行账户已更正" in portal.toast()
    assert "中国建设银行江门分行" in portal.text()
    portal.logout()

    portal.login("czj440703")
    portal.menu("支付失败处理")
    portal.reload_until(lambda: "0099" in portal.row(application_no).text, message="个人已更正账户 shown")
    assert "中国建设银行江门分行" in portal.row(application_no).text
    portal.act("按个人已更正账户重新支付", portal.row(application_no))
    assert not portal.has_row(application_no)
    client = walk.officer("county_finance")
    response = requests.get(f"{client.base}/api/v1/county-transfers/{transfer_id}/bank-file.xlsx",
                            headers={"Authorization": f"Bearer {client.token}"}, timeout=60)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    [line] = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    assert (line["开户行"], line["账号"]) == ("中国建设银行江门分行", "6217000000000000099")
    assert line["支付流水号"] == f"{application_no}-1-2"  # the second attempt
