"""扫码核验 of a printed 拨付明细表 through the running service: anyone (no token) learns the county
transfer's number, status now, count and amount - no name, ID number, account or unit - and an unknown
transfer is 404."""
from shared.testing.helpers import refusal
from shared.testing.service import call
from shared.verification import VERIFICATION_KEYS

SERVICE = "finance_disbursement"


def test_anyone_verifies_a_county_transfer_and_learns_nothing_personal(feed, tokens, finance_disbursement_config):
    config = finance_disbursement_config
    batch_id, _ = feed.ready_batch()
    [transfer] = call(config, SERVICE, "release", batch_id, "440703", token=tokens["city"])["released_transfers"]
    before = feed.fingerprint()

    def anyone(method, *args):
        return call(config, SERVICE, method, *args, token=None)

    shown = anyone("verify_transfer", transfer["id"])
    assert set(shown) == VERIFICATION_KEYS
    assert shown == {"number": transfer["transfer_no"], "status": "released", "status_label": transfer["status_label"],
                     "count": 2, "amount_fen": 2_760_000}
    assert not any(p in str(shown) for p in ("张三", "王五", "6222", "4407031"))
    assert feed.fingerprint() == before                                  # a public read writes nothing
    call(config, SERVICE, "confirm_arrival", transfer["id"], token=tokens["440703"])
    assert anyone("verify_transfer", transfer["id"])["status"] == "received"   # the status now

    assert refusal(anyone, "verify_transfer", "no-such-transfer") == (404, "county_transfer.not_found")
    assert refusal(anyone, "verify_transfer", 7)[0] == 400
