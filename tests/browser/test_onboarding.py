"""Onboarding clicked through the portal: 单位注册 from the login page (用户须知 【同意】, SMS code, the
licence uploaded and previewable) → the county returns it → the unit resubmits → the county approves →
the unit logs in with its full menu; and 个人注册 choosing the unit with proof materials → the unit
reviews them, returns once → the graduate resubmits → the unit approves."""
from __future__ import annotations

import uuid

import pytest
import requests
from selenium.webdriver.common.by import By

from shared.validators import org_code_check_char, uscc_check_char
from tests.e2e.walk import new_id_number, new_mobile

pytestmark = pytest.mark.browser

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")
UNIT = "江门市蓬江区示范科技有限公司"


def new_uscc() -> str:
    n = uuid.uuid4().int
    org = "MA6" + "".join("0123456789ABCDEFGHJKLMNPQRTUWXY"[(n >> (5 * i)) % 31] for i in range(5))
    body = "91440703" + org + org_code_check_char(org)
    return body + uscc_check_char(body)


def sms_code_for(portal, mobile: str) -> str:
    """Press 获取验证码 and read the code from the development SMS inbox (make run's sender)."""
    portal.click("获取验证码", navigates=False)
    assert "验证码已发送" in portal.toast()
    inbox = requests.get(f"{portal.base}/api/v1/dev/sms-inbox", params={"mobile": mobile}, timeout=10).json()
    return inbox["items"][0]["code"]


def fill_account(portal, username: str, name: str, password: str) -> str:
    mobile = new_mobile()
    portal.fill("acc-username", username)
    portal.fill("acc-password", password)
    portal.fill("acc-name", name)
    portal.fill("acc-mobile", mobile)
    portal.fill("acc-sms", sms_code_for(portal, mobile))
    return mobile


def upload(portal, box_name: str, path, *, kind: str | None = None) -> None:
    box = portal.find(f"[data-upload][data-name='{box_name}']")
    if kind:
        portal.choose(f"{box_name}-kind", value=kind)
    done = len(box.find_elements(By.CSS_SELECTOR, ".upload-item.done"))
    box.find_element(By.CSS_SELECTOR, "input[type='file']").send_keys(str(path))
    portal.click("上传", box, navigates=False)
    portal.wait(lambda d: len(box.find_elements(By.CSS_SELECTOR, ".upload-item.done")) > done,
                message="upload not finished")


def register_graduate_in_portal(portal, tmp_path, username: str, name: str, password: str) -> None:
    """个人注册 from the login page, choosing the demo unit by name, with a proof material; one mistake first."""
    portal.logout_if_needed()
    portal.open("/")
    portal.click("个人注册")
    portal.wait_text("个人注册用户须知")
    portal.click("同意", navigates=False)
    mobile = fill_account(portal, username, name, password)
    portal.fill("unit-search", "示范科技")
    portal.wait(lambda d: any(UNIT in o.text for o in portal.all("#unit_id option")), message="unit search")
    portal.choose("unit_id", text=UNIT)
    portal.fill("reg-name", name)
    portal.fill("reg-id-number", "440703199001011230")   # wrong check digit
    portal.fill("reg-mobile", mobile)
    portal.choose("reg-degree", value="bachelor")
    portal.fill("reg-graduated-on", "2025-06-30")
    portal.fill("reg-bank-holder", name)
    portal.fill("reg-bank-name", "中国工商银行江门蓬江支行")
    portal.fill("reg-bank-number", "62220200" + str(uuid.uuid4().int % 10**11).zfill(11))
    proof = tmp_path / "毕业证书.pdf"
    proof.write_bytes(PDF)
    upload(portal, "registration.attachment_ids", proof)
    preview = portal.find("[data-name='registration.attachment_ids'] .upload-item a")
    assert requests.get(preview.get_attribute("href"), timeout=10).content == PDF   # previewable at once
    portal.find("#person-register-submit").click()
    assert portal.field_error("registration.id_number")   # next to the field, the form stays filled
    assert portal.value("acc-username") == username
    portal.fill("reg-id-number", new_id_number("440703"))
    portal._navigate(portal.find("#person-register-submit").click)
    assert portal.path() == "/portal/register/individual"
    assert "待审核" in portal.find("#registration-status").text
    assert "毕业证书.pdf" in portal.find("#my-proofs").text


def test_a_unit_registers_is_returned_resubmits_and_is_approved(portal, tmp_path):
    suffix = uuid.uuid4().hex[:6]
    username, unit_name, password = f"dw{suffix}", f"江门市新单位{suffix}有限公司", "Unit2026new"
    licence = tmp_path / "营业执照.pdf"
    licence.write_bytes(PDF)

    portal.open("/")
    portal.click("注册新单位")
    portal.wait_text("单位注册用户须知")
    assert not portal.find("#unit-register-form").is_displayed()   # the form comes after 【同意】
    portal.click("同意", navigates=False)
    fill_account(portal, username, "新单位经办人", password)
    portal.fill("unit-name", unit_name)
    portal.choose("unit-region", value="440703")
    portal.choose("unit-supervisor", value="440703")
    uscc = new_uscc()
    portal.fill("unit-uscc", uscc[:-1] + ("0" if uscc[-1] != "0" else "1"))   # a wrong check character
    portal.fill("unit-leader", "周负责")
    portal.fill("unit-leader-phone", "0750-3201234")
    upload(portal, "unit.attachment_ids", licence, kind="business_license")
    portal.find("#unit-register-submit").click()
    assert "校验" in portal.field_error("unit.uscc")
    portal.fill("unit-uscc", uscc)
    portal._navigate(portal.find("#unit-register-submit").click)
    assert portal.path() == "/portal/unit"
    assert "待审核" in portal.find("#unit-status").text
    menu = portal.find("#sidemenu").text
    assert "注册审核状态" in menu and "个人注册审核" not in menu and "补助申报查询统计" not in menu
    portal.screenshot("unit_pending")
    portal.logout()

    # the county HRSS of its 主管部门: to-do counter, detail with the licence, 退回修改 with an opinion
    portal.login("rsj440703")
    portal._navigate(portal.todo(r"您有【\d+】个单位注册待审核").click)
    portal.click("查看详情", portal.row(unit_name))
    assert "营业执照.pdf" in portal.text()
    assert portal.act("退回修改", opinion="营业执照不清晰，请重新上传") == "退回修改：办理成功"
    portal.logout()

    # the unit sees the opinion, uploads a clearer licence and resubmits
    portal.login(username, password)
    assert "已被退回" in portal.find("#unit-pending-note").text
    portal.menu("注册审核状态")
    assert portal.find("#unit-opinion").text == "营业执照不清晰，请重新上传"
    upload(portal, "attachment_ids", licence, kind="business_license")
    portal._navigate(portal.find("#unit-resubmit").click)
    assert portal.toast() == "已重新提交，等待县区人社局审核"
    assert "待审核" in portal.find("#unit-status").text
    portal.logout()

    # the county approves from its list
    portal.login("rsj440703")
    portal.menu("单位注册审核")
    assert portal.act("审核通过", portal.row(unit_name), opinion="材料齐全") == "审核通过：办理成功"
    portal.logout()

    # the unit logs in again: the whole menu, and 单位信息管理 shows every round
    portal.login(username, password)
    menu = portal.find("#sidemenu").text
    for item in ("个人注册审核", "个人补助申请审核", "补助申报查询统计", "单位信息管理"):
        assert item in menu
    portal.menu("单位信息管理")
    rounds = portal.text()
    for step in ("提交申请", "退回修改", "修改后重新提交", "审核通过"):
        assert step in rounds
    # a change of the name waits for the county; the leader's phone changes at once
    new_name = unit_name.replace("有限公司", "集团有限公司")
    portal.fill("unit-name", new_name)
    portal.fill("unit-leader-phone", "13700001111")
    portal._navigate(portal.find("#unit-save").click)
    assert "待审核" in portal.row("单位名称").text
    assert unit_name in portal.find(".fields").text and "13700001111" in portal.find(".fields").text
    portal.screenshot("unit_information")
    portal.logout()

    # the county reviews the change (单位信息变更审核); approved, the new name is in force
    portal.login("rsj440703")
    portal._navigate(portal.todo(r"您有【\d+】个单位信息变更待审核").click)
    portal.click("查看详情", portal.row(unit_name))
    assert f"单位名称：{unit_name} → {new_name}" in portal.text()
    assert portal.act("审核通过") == "审核通过：办理成功"
    portal.logout()
    portal.login(username, password)
    portal.menu("单位信息管理")
    assert new_name in portal.find(".fields").text


def test_a_graduate_registers_the_unit_reviews_the_proof_returns_and_approves(portal, tmp_path):
    suffix = uuid.uuid4().hex[:6]
    username, name, password = f"grad{suffix}", f"赵{suffix[:2]}", "Grad2026new"
    register_graduate_in_portal(portal, tmp_path, username, name, password)
    portal.logout()

    portal.login("dw_demo")
    portal._navigate(portal.todo(r"您有【\d+】个个人注册账号待审核").click)
    portal.click("查看详情", portal.row(name))
    assert "毕业证书.pdf" in portal.text()                 # the proof materials are part of the review
    terms = requests.get(f"{portal.base}/api/v1/public/terms/individual", timeout=10).json()["version"]
    assert f"已同意用户须知版本 {terms}" in " ".join(portal.text().split())   # what the graduate accepted
    assert portal.act("退回修改", opinion="请补充劳动合同") == "退回修改：办理成功"
    portal.logout()

    portal.login(username, password)
    portal.menu("个人注册")
    assert "请补充劳动合同" in portal.find("#registration-status").text
    assert f"重新提交即表示已阅读并同意《个人注册用户须知》（版本 {terms}）" in portal.find("#individual-terms").text
    contract = tmp_path / "劳动合同.pdf"
    contract.write_bytes(PDF)
    upload(portal, "attachment_ids", contract)
    portal._navigate(portal.find("#individual-submit").click)
    assert "待审核" in portal.find("#registration-status").text
    assert "劳动合同.pdf" in portal.find("#my-proofs").text
    portal.logout()

    portal.login("dw_demo")
    portal.menu("个人注册审核")
    portal.click("查看详情", portal.row(name))
    assert "劳动合同.pdf" in portal.text()
    assert portal.act("审核通过") == "审核通过：办理成功"
    history = portal.text()
    assert "请补充劳动合同" in history and "修改后重新提交" in history
