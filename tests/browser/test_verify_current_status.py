"""扫码核验 of a printed 拨付明细表 shows where the transfer stands now beside its status when printed
(issue 13): county finance prints the transfer, confirms the money arrived, and anyone scanning the
QR code reads both - never a name or an account."""
from __future__ import annotations

import pytest

from tests.browser.test_finance_office import released_walk

pytestmark = pytest.mark.browser


def test_a_printed_transfer_verifies_with_its_status_now(portal, clock, tmp_path):
    walk = released_walk(portal.base, clock)
    transfer_id, name = walk.transfer["id"], walk.application["applicant_name"]
    assert name

    portal.login("czj440703")
    portal.open(f"/portal/county-transfers/{transfer_id}")
    text, verify_path = portal.printed(tmp_path)
    assert "拨付明细表" in text and name in text
    portal.menu("待确认到账")
    portal.reload_until(lambda: portal.has_row(walk.city_batch["batch_no"]), message="transfer to confirm")
    portal.act("确认到账", portal.row(walk.city_batch["batch_no"]))
    portal.logout()

    portal.open(verify_path)                                   # anyone, not logged in
    facts = portal.find("#verify-facts").text
    assert "市财政局已拨付，待确认到账" in facts                  # as printed
    assert portal.find("#verify-current").text == "已确认到账，待支付到个人"   # as it stands now
    assert name not in portal.text()
    portal.screenshot("verify_payment_detail")
