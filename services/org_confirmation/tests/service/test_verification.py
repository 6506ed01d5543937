"""扫码核验 of a printed 市级汇总表 through the running service: anyone (no token) learns the city batch's
number, status now, count and amount - no name, ID number, account or unit - and an unknown batch is 404."""
from __future__ import annotations

from shared.testing.service import call
from shared.verification import VERIFICATION_KEYS


def test_anyone_verifies_a_city_batch_and_learns_nothing_personal(report, clerk, refused, state,
                                                                  org_confirmation_config):
    ids = [report("440703", name="张三")["data"]["application_id"] for _ in range(2)]
    clerk("county_org", "440703")("county_confirm", ids)
    batch = clerk("city_hrss", "440700")("aggregate", ids)
    before = state()

    def anyone(method, *args):
        return call(org_confirmation_config, "org_confirmation", method, *args, token=None)

    shown = anyone("verify_batch", batch["id"])
    assert set(shown) == VERIFICATION_KEYS
    assert shown == {"number": batch["batch_no"], "status": "aggregated", "status_label": batch["status_label"],
                     "count": 2, "amount_fen": 2 * 960000}
    assert not any(p in str(shown) for p in ("张三", "440703199803151233", "6222020000000000011", "有限公司"))
    assert state() == before                                             # a public read writes nothing
    clerk("city_org", "440700")("city_confirm", batch["id"], "同意")
    assert anyone("verify_batch", batch["id"])["status"] == "confirmed"   # the status now, not at print time

    assert refused(anyone, "verify_batch", "no-such-batch") == (404, "city_batch.not_found")
    assert refused(anyone, "verify_batch", 7) == (404, "city_batch.not_found")
