"""扫码核验 of a printed 公示名单 through the running service: anyone (no token) learns the batch's
number, status now and count - no name, ID number, account or unit - and an unknown batch is 404."""
from __future__ import annotations

from shared.verification import VERIFICATION_KEYS


def test_anyone_verifies_a_publicity_batch_and_learns_nothing_personal(desk):
    ids = [desk.approve(name="张三")["data"]["application_id"], desk.approve(name="李小龙")["data"]["application_id"]]
    batch = desk.call("start_publicity", ids)
    before = desk.state()

    shown = desk.call("verify_batch", batch["id"], anonymous=True)
    assert set(shown) == VERIFICATION_KEYS
    assert (shown["number"], shown["status"], shown["status_label"], shown["count"]) == (
        batch["batch_no"], "open", "公示中", 2)
    assert not any(p in str(shown) for p in ("张三", "李小龙", "440703199803151233", "6222020000000000011", "科技"))
    assert desk.state() == before                           # a public read writes nothing

    assert desk.error("verify_batch", "no-such-batch", anonymous=True) == (404, "publicity_batch.not_found")
    assert desk.error("verify_batch", 7, anonymous=True)[0] == 400
