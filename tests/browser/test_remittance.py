"""Line B part 2 at the portal, as the clerks work: the employer's 汇缴申请 (roster, search highlight,
指定汇缴, total) -> the bureau's 汇缴审核 -> the employer's 缴费通知 with the memo -> the bureau's 到账匹配
(upload a statement with a full-width memo) -> paid, 缴款凭证; then 支取申请 and 缴款历史补录 with their
bureau review."""
import re

from selenium.webdriver.common.by import By


def upload_file(portal, input_id, path):
    portal.find(f"#{input_id}").send_keys(str(path))
    box = portal.find(f"#{input_id}").find_element(By.XPATH, "..")
    box.find_element(By.CSS_SELECTOR, "[data-upload-start]").click()
    # the finished item, not the box's hint text (which says “上传成功” too)
    portal.wait(lambda d: box.find_elements(By.CSS_SELECTOR, ".upload-item.done"), 20, "upload did not finish")


def roster_names(portal) -> list[str]:
    return [tr.find_element(By.CSS_SELECTOR, ".name").text for tr in portal.all("#remit-roster tbody tr")]


def test_remit_approve_pay_by_statement_and_receipt(portal, tmp_path):
    portal.login("MA5H0001X")
    portal.menu("汇缴申请")
    portal.click("新增汇缴申请")
    portal.click("查询", navigates=False)
    # the demo employer's roster: 陈职工 and 林职工, plus whoever other tests of the session opened or
    # imported there; the remittance is for the two demo employees only (the total follows the ticks)
    portal.wait(lambda d: {"陈职工", "林职工"} <= set(roster_names(portal)), message="roster not shown")
    for tr in portal.all("#remit-roster tbody tr"):
        box = tr.find_element(By.CSS_SELECTOR, "input[type=checkbox]")
        if tr.find_element(By.CSS_SELECTOR, ".name").text not in ("陈职工", "林职工") and box.is_selected():
            box.click()
    assert portal.find("#remit-count").text == "2"
    assert portal.find("#remit-total").text == "2,000.00"               # 副科 900 + 副处 1100
    portal.fill("remit-search", "林")
    assert portal.find("#remit-roster mark").text == "林"               # 搜索结果高亮
    row = portal.row("林职工")
    portal.fill_in(row, "input.amount", "1234.565")                     # 指定汇缴, rounded per line
    portal.wait(lambda d: portal.find("#remit-total").text == "2,134.57", message="total not recomputed")
    portal._navigate(portal.find("#remit-submit").click)
    assert "汇缴申请已提交" in portal.toast()
    assert "待住建局审核" in portal.row("2,134.57").text
    portal.logout()

    portal.login("zjj440700")
    portal.menu("汇缴审核")
    assert "江门市蓬江区示范建设集团" in portal.row("2,134.57").text
    portal.act("审核通过", portal.row("2,134.57"), opinion="同意")
    portal.logout()

    portal.login("MA5H0001X")
    portal.menu("缴费通知")
    portal._navigate(portal.row("2,134.57").find_element(By.CSS_SELECTOR, "a").click)
    memo = portal.find("#notice-memo").text
    assert re.fullmatch(r"75256x[A-HJ-NP-Z2-9]{4}o", memo) and "X" not in memo[6:10]
    assert portal.find("#notice-pdf").get_attribute("href").endswith("/form.pdf")
    assert "江门市住房补贴资金专户" in portal.text()
    notice_path = portal.path()
    portal.logout()

    code = memo[6:10]
    wide = "".join(chr(ord(c) + 0xFEE0) for c in memo)                  # ７５２５６ｘＡ７Ｗ５ｏ as a bank prints it
    statement = tmp_path / "对账单.csv"
    statement.write_text("交易日期,金额,付款账号,付款户名,摘要,银行流水号\n"
                         f"2026-12-01,2134.57,62220001,江门市蓬江区示范建设集团,{wide}，12月汇缴款,BR{code}1\n"
                         f"2026-12-01,100.00,62220002,某人,转账,BR{code}2\n", encoding="utf-8")
    portal.login("zjj440700")
    portal.menu("到账匹配")
    portal.find("#statement-file").send_keys(str(statement))
    portal._navigate(portal.find("#statement-upload").click)
    assert "匹配完成：已匹配1笔，原路退回1笔" in portal.toast()
    assert int(portal.find("#report-matched").text) >= 1
    portal.menu("原路退回清单")
    assert "摘要格式不正确" in portal.row(f"BR{code}2").text
    portal.logout()

    portal.login("MA5H0001X")
    portal.open(notice_path)
    assert portal.find("#notice-status").text == "已到账"
    assert portal.find("#receipt-pdf").get_attribute("href").endswith("/receipt.pdf")
    portal.logout()


def test_withdrawal_and_backfill_with_their_review(portal, tmp_path):
    proof = tmp_path / "证明.pdf"
    proof.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    portal.login("MA5H0001X")
    portal.menu("缴款历史补录")
    portal.click("新增补录")
    portal.choose("bf-employee", text="陈职工")
    portal.fill("bf-month", "202401")
    portal.fill("bf-amount", "800.00")
    upload_file(portal, "bf-file", proof)
    portal._navigate(portal.find("#backfill-submit").click)
    assert "补录已提交" in portal.toast()
    portal.menu("支取申请")
    portal.click("新增支取申请")
    portal.choose("wd-employee", text="陈职工")
    portal.choose("wd-reason", value="07")
    portal.fill("wd-amount", "300.00")
    portal.fill("wd-payee", "陈职工")
    portal.fill("wd-bank", "中国建设银行江门分行")
    portal.fill("wd-account", "6217000011112222")
    upload_file(portal, "wd-file", proof)
    portal._navigate(portal.find("#withdraw-submit").click)
    assert "支取申请已提交" in portal.toast()
    assert "待住建局审核" in portal.row("陈职工").text
    portal.logout()

    portal.login("zjj440700")
    portal.menu("缴款历史补录审核")
    # the reviewing bureau sees the employer's proof with the record (预览/下载 through the attachments API)
    portal._navigate(portal.row("800.00").find_element(By.CSS_SELECTOR, "a").click)
    proof_link = portal.find("#record-attachments a")
    assert proof_link.text == "证明.pdf" and "/api/v1/attachments/hf-" in proof_link.get_attribute("href")
    portal.menu("缴款历史补录审核")
    portal.act("审核通过", portal.row("800.00"))
    portal.menu("支取审核")
    portal._navigate(portal.row("陈职工").find_element(By.CSS_SELECTOR, "a").click)
    assert portal.find("#record-attachments a").text == "证明.pdf"
    portal.act("审核通过", opinion="材料齐全")                          # from the detail page
    assert portal.find("#record-status").text == "审核通过，待支付"
    portal.menu("支取待支付清单")
    assert "6217000011112222" in portal.row("陈职工").text
    portal.act("标记已支付", portal.row("陈职工"))
    portal.open("/portal/withdrawals?status=paid")
    assert "已支付" in portal.row("陈职工").text
    portal.logout()


def test_a_returned_remittance_is_corrected_and_resubmitted(portal):
    portal.login("MA5H00044")                                           # 江海区示范学校: 梁职工
    portal.menu("汇缴申请")
    portal.click("新增汇缴申请")
    portal.click("查询", navigates=False)
    portal.wait(lambda d: "梁职工" in roster_names(portal), message="roster not shown")
    portal._navigate(portal.find("#remit-submit").click)
    assert "汇缴申请已提交" in portal.toast()
    portal.logout()

    portal.login("zjj440704")
    portal.menu("汇缴审核")
    portal.act("退回", portal.row("江门市江海区示范学校"), opinion="请按指定金额1300元汇缴")
    portal.logout()

    portal.login("MA5H00044")
    portal.menu("汇缴申请")
    portal._navigate(portal.row("已退回").find_element(By.CSS_SELECTOR, "a").click)
    portal._navigate(portal.find("#remit-resubmit").click)
    assert "请按指定金额1300元汇缴" in portal.find("#remit-returned").text
    portal.wait(lambda d: "梁职工" in roster_names(portal), message="returned remittance not loaded")
    row = portal.row("梁职工")
    assert row.find_element(By.CSS_SELECTOR, "input[type=checkbox]").is_selected()
    portal.fill_in(row, "input.amount", "1300")
    portal.wait(lambda d: portal.find("#remit-total").text == "1,300.00", message="total not recomputed")
    portal._navigate(portal.find("#remit-submit").click)
    assert "重新提交" in portal.toast()
    portal._navigate(portal.row("1,300.00").find_element(By.CSS_SELECTOR, "a").click)
    rounds = [tr.text for tr in portal.all("#remit-rounds tbody tr")]
    assert len(rounds) == 2 and "退回修改" in rounds[0] and "请按指定金额1300元汇缴" in rounds[0]
    assert "第2次" in rounds[1] and "待审核" in rounds[1] and "1,300.00" in rounds[1]
    assert portal.find("#notice-status").text == "待住建局审核"
    portal.logout()
