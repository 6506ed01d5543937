"""单位信息变更 and 职工信息变更 (effective after the bureau approves), 批量封存/启封, and 员工转入/转出
with the ledger summed before and after."""
import pytest

from shared.testing.helpers import execute, scalar


def test_employer_change_takes_effect_only_after_approval(rpc, error_of, employer, bureau, upload):
    mine, clerk = employer()
    proof = upload(clerk, "employer_change", "变更证明.pdf")
    change = rpc("request_employer_change", {"address": "江门市蓬江区新地址8号", "bank_account_no": "6222020000009999"},
                 [proof], "搬迁", token=clerk)
    assert change["status"] == "pending" and change["labels"] == {"address": "单位地址", "bank_account_no": "银行账号"}
    assert rpc("my_employer", token=clerk)["address"] == "江门市蓬江区建设路1号"
    assert error_of("request_employer_change", {"phone": "0750-1234567"}, [upload(clerk, "employer_change")],
                    token=clerk) == (
        409, "employer_change.pending_exists")
    assert error_of("request_employer_change", {"uscc": "x"}, [upload(clerk, "employer_change")], token=clerk) == (
        400, "employer_change.field_not_changeable")
    assert error_of("approve_employer_change", change["id"], token=bureau("440704")) == (
        404, "employer_change.not_found")
    pending = rpc("list_employer_changes", {"status": "pending"}, 1, 20, token=bureau())
    assert [c["id"] for c in pending["items"]] == [change["id"]]
    rpc("approve_employer_change", change["id"], "同意", token=bureau())
    info = rpc("my_employer", token=clerk)
    assert info["address"] == "江门市蓬江区新地址8号" and info["bank_account_no"] == "6222020000009999"
    assert [(c["status"], c["after"]["address"]) for c in info["changes"]] == [("approved", "江门市蓬江区新地址8号")]
    # the linked proof is readable by the bureau of the area, not by another county's; a used id cannot be reused
    assert rpc("attachment_for_download", proof, token=bureau())["filename"] == "变更证明.pdf"
    assert error_of("attachment_for_download", proof, token=bureau("440704")) == (404, "attachment.not_found")
    assert error_of("request_employer_change", {"phone": "0750-7654321"}, [proof], token=clerk) == (
        400, "attachment.unknown")
    second = rpc("request_employer_change", {"phone": "0750-7654321"}, [upload(clerk, "employer_change")],
                 token=clerk)
    rpc("return_employer_change", second["id"], "请附营业执照", token=bureau())
    assert rpc("my_employer", token=clerk).get("phone") is None


def test_employee_change_needs_the_bureau_for_the_level_not_for_the_mobile(rpc, error_of, employer, hire, bureau,
                                                                          upload):
    _, clerk = employer()
    person = hire(clerk, 1)
    now = rpc("request_employee_change", person["id"], {"mobile": "13700000000"}, token=clerk)
    assert now["status"] == "applied" and rpc("get_employee", person["id"], token=clerk)["mobile"] == "13700000000"
    assert error_of("request_employee_change", person["id"], {"level": "03"}, token=clerk) == (
        400, "attachment.required")
    pending = rpc("request_employee_change", person["id"], {"level": "03"}, [upload(clerk, "employee_material")],
                  "晋升", token=clerk)
    assert pending["status"] == "pending" and rpc("get_employee", person["id"], token=clerk)["level"] == "01"
    rpc("approve_employee_change", pending["id"], token=bureau())
    after = rpc("get_employee", person["id"], token=clerk)
    assert after["level"] == "03" and after["monthly_fen"] == 100000
    assert [c["kind"] for c in after["changes"]] == ["open", "change", "change"]


def test_seal_and_unseal_all_or_none(rpc, error_of, employer, hire, housing_fund_db):
    _, clerk = employer()
    a, b, c = (hire(clerk, i) for i in (1, 2, 3))
    done = rpc("change_status", "seal", [a["id"], b["id"]], "离职", token=clerk)
    assert done["count"] == 2 and {e["status"] for e in done["items"]} == {"02"}
    # sealing someone already sealed refuses the whole list, naming them; c stays 正常
    assert error_of("change_status", "seal", [c["id"], a["id"]], token=clerk) == (409, "employee.illegal_transition")
    assert rpc("get_employee", c["id"], token=clerk)["status"] == "01"
    assert error_of("change_status", "unseal", [c["id"]], token=clerk) == (409, "employee.illegal_transition")
    assert error_of("change_status", "seal", [c["id"]], None, "199901", token=clerk) == (
        400, "sealing.month_out_of_range")
    assert rpc("change_status", "unseal", [a["id"]], token=clerk)["items"][0]["status"] == "01"
    assert rpc("list_employees", {"status": "02"}, 1, 20, token=clerk)["total"] == 1
    assert scalar(housing_fund_db, "SELECT count(*) FROM employee_changes WHERE kind IN ('seal','unseal')") == 3


def test_transfer_moves_the_balance_without_losing_a_fen(rpc, error_of, employer, hire, bureau, housing_fund_db):
    sender, clerk = employer()
    receiver, other = employer("440704")
    a, b = hire(clerk, 1), hire(clerk, 2)
    total = scalar(housing_fund_db, "SELECT sum(amount_fen) FROM ledger")
    balance_a = rpc("get_employee", a["id"], token=clerk)["balance_fen"]
    out = rpc("transfer_out", [a["id"], b["id"]], receiver["id"], "调动", token=clerk)
    assert out["count"] == 2
    assert error_of("transfer_out", [a["id"]], receiver["id"], token=clerk) == (409, "transfer.pending_exists")
    incoming = rpc("list_transfers", {"direction": "in", "status": "pending"}, 1, 20, token=other)
    assert incoming["total"] == 2 and incoming["items"][0]["from_employer_name"] == sender["name"]
    first = next(t for t in incoming["items"] if t["employee_id"] == a["id"])
    assert error_of("accept_transfer", first["id"], token=clerk) == (404, "transfer.not_found")
    accepted = rpc("accept_transfer", first["id"], token=other)
    assert accepted["status"] == "accepted" and accepted["balance_fen"] == balance_a
    second = next(t for t in incoming["items"] if t["employee_id"] == b["id"])
    rpc("reject_transfer", second["id"], "无此人", token=other)

    assert scalar(housing_fund_db, "SELECT sum(amount_fen) FROM ledger") == total
    moved = rpc("get_employee", a["id"], token=other)
    assert moved["balance_fen"] == balance_a and moved["employer_id"] == receiver["id"]
    assert [h["business_code"] for h in moved["ledger"]] == ["01", "06", "06"]
    assert scalar(housing_fund_db, "SELECT sum(amount_fen) FROM ledger WHERE employer_id=:e",
                  e=receiver["id"]) == balance_a
    assert scalar(housing_fund_db, "SELECT coalesce(sum(amount_fen),0) FROM ledger WHERE employee_id=:p "
                                   "AND employer_id=:e", p=a["id"], e=sender["id"]) == 0
    assert error_of("get_employee", a["id"], token=clerk) == (404, "employee.not_found")
    assert rpc("get_employee", b["id"], token=clerk)["employer_id"] == sender["id"]
    with pytest.raises(Exception, match="append-only"):  # the ledger is append-only
        execute(housing_fund_db, "UPDATE ledger SET amount_fen = 0")


def test_no_transfer_to_a_sealed_or_closed_employer(rpc, error_of, employer, hire, housing_fund_db):
    _, clerk = employer()
    target, _ = employer("440704")
    person = hire(clerk, 1)
    for status in ("05", "04"):  # 封存, 销户
        execute(housing_fund_db, "UPDATE employers SET status=:s WHERE id=:i", s=status, i=target["id"])
        assert error_of("transfer_out", [person["id"]], target["id"], token=clerk) == (409, "employer.not_active")
    assert scalar(housing_fund_db, "SELECT count(*) FROM transfers") == 0
    assert error_of("transfer_out", [person["id"]], "00000000-0000-4000-8000-000000000000", token=clerk) == (
        404, "employer.not_found")
