"""The county finance office's real work against RabbitMQ and PostgreSQL: the bank's payment and result
files, a failed payment retried with the corrected account, a clawback, and the reconciliation of
three counties x 20 applications; the unit's own 资金拨付查询统计."""
from __future__ import annotations

import hashlib

import pytest
from nameko.exceptions import RemoteError

from shared.testing.helpers import remote_code, scalar
from shared.testing.service import call

SERVICE = "finance_disbursement"
COUNTIES = ("440703", "440704", "440705")
OTHER_UNIT = "6f1c2a10-0000-4000-8000-000000000002"


def refused(config, method, *args, token):
    with pytest.raises(RemoteError) as info:
        call(config, SERVICE, method, *args, token=token)
    return remote_code(info.value)


def result_lines(bank_file: dict, failed: set[str] = frozenset()) -> list[dict]:
    """The bank's answer to a payment file: every line paid, but those of ``failed`` (application nos)."""
    return [{"row": n, "line_key": line["line_key"], "bank_number": line["bank_number"],
             "amount": f"{line['amount_fen'] // 100}.{line['amount_fen'] % 100:02d}",
             "result": "失败" if line["application_no"] in failed else "成功",
             "reason": "户名与账号不符" if line["application_no"] in failed else None}
            for n, line in enumerate(bank_file["lines"], start=2)]


def digest(lines: list[dict]) -> str:
    return hashlib.sha256(repr(lines).encode()).hexdigest()


def line_of(report: dict, county: str) -> dict:
    return next(line for line in report["lines"] if line["county"] == county)


def test_reconciliation_of_three_counties_with_a_retried_failure_and_a_clawback(feed, issue,
                                                                                  finance_disbursement_config):
    config = finance_disbursement_config
    spec = [(county, 600_000 + 1_000 * n, f"申请人{county[-1]}{n:02d}") for county in COUNTIES for n in range(20)]
    batch_id, apps = feed.ready_batch(spec)
    city, _ = issue(role="city_finance", region="440700")
    county_tokens = {c: issue(role="county_finance", region=c)[0] for c in COUNTIES}
    call(config, SERVICE, "release", batch_id, token=city)
    released = {c: sum(a.amount_fen for a in apps if a.county == c) for c in COUNTIES}
    transfers = {c: call(config, SERVICE, "list_transfers", {"batch_id": batch_id}, 1, 20,
                         token=county_tokens[c])["items"][0] for c in COUNTIES}

    report = call(config, SERVICE, "reconciliation", {"batch_id": batch_id}, token=city)
    assert [(line["county"], line["released_count"], line["pending_count"]) for line in report["lines"]] == [
        (c, 20, 20) for c in COUNTIES]

    # 蓬江区 and 江海区 pay through the bank; one of 蓬江区's payments fails
    failing = next(a for a in apps if a.county == "440703")
    for county in COUNTIES[:2]:
        token = county_tokens[county]
        assert refused(config, "bank_file", transfers[county]["id"], token=token) == (
            409, "county_transfer.not_received")
        call(config, SERVICE, "confirm_arrival", transfers[county]["id"], token=token)
        bank_file = call(config, SERVICE, "bank_file", transfers[county]["id"], token=token)
        assert (bank_file["count"], bank_file["amount_fen"]) == (20, released[county])
        lines = result_lines(bank_file, failed={failing.application_no})
        answer = call(config, SERVICE, "import_bank_result", transfers[county]["id"], digest(lines), "回盘.xlsx",
                      lines, token=token)
        assert (answer["paid"], answer["failed"]) == ((19, 1) if county == "440703" else (20, 0))
        before = feed.fingerprint()
        again = call(config, SERVICE, "import_bank_result", transfers[county]["id"], digest(lines), "回盘.xlsx",
                     lines, token=token)
        assert again["repeated"] and again["id"] == answer["id"] and feed.fingerprint() == before

    report = call(config, SERVICE, "reconciliation", {"batch_id": batch_id}, token=city)
    pengjiang = line_of(report, "440703")
    assert (pengjiang["paid_count"], pengjiang["failed_count"], pengjiang["failed_amount_fen"]) == (
        19, 1, failing.amount_fen)
    assert line_of(report, "440705")["pending_amount_fen"] == released["440705"]
    assert all(line["balanced"] for line in report["lines"]) and report["total"]["balanced"]

    # the graduate corrected the account: the payment goes to the bank again and succeeds
    retried = call(config, SERVICE, "retry_payment", failing.application_id,
                   {"holder": failing.name, "bank": "中国银行江门分行", "number": "6217000000001234"},
                   token=county_tokens["440703"])
    assert (retried["status"], retried["attempt"]) == ("released", 2)
    bank_file = call(config, SERVICE, "bank_file", transfers["440703"]["id"], token=county_tokens["440703"])
    assert [line["bank_number"] for line in bank_file["lines"]] == ["6217000000001234"]
    lines = result_lines(bank_file)
    call(config, SERVICE, "import_bank_result", transfers["440703"]["id"], digest(lines), None, lines,
         token=county_tokens["440703"])

    # 新会区 pays directly; then one of 江海区's payments is clawed back
    call(config, SERVICE, "confirm_arrival", transfers["440705"]["id"], token=county_tokens["440705"])
    call(config, SERVICE, "pay", transfers["440705"]["id"], token=county_tokens["440705"])
    clawed = next(a for a in apps if a.county == "440704")
    call(config, SERVICE, "record_clawback", clawed.application_id, "重复领取", token=county_tokens["440704"])

    report = call(config, SERVICE, "reconciliation", {"batch_id": batch_id}, token=city)
    for county in COUNTIES:
        line = line_of(report, county)
        assert (line["released_count"], line["released_amount_fen"]) == (20, released[county])
        assert (line["paid_count"], line["paid_amount_fen"]) == (20, released[county])
        assert line["failed_count"] == line["pending_count"] == line["returned_count"] == 0
        assert (line["clawback_count"], line["clawback_amount_fen"]) == (
            (1, clawed.amount_fen) if county == "440704" else (0, 0))
        assert line["balanced"] and line["batch_no"]
    total = report["total"]
    assert (total["released_count"], total["paid_amount_fen"]) == (60, sum(released.values()))
    assert (total["clawback_count"], total["clawback_amount_fen"]) == (1, clawed.amount_fen)

    own = call(config, SERVICE, "reconciliation", {}, token=county_tokens["440704"])
    assert [line["county"] for line in own["lines"]] == ["440704"]
    assert refused(config, "reconciliation", {"county": "440703"}, token=county_tokens["440704"]) == (
        404, "not_found")


def test_bad_input_of_the_finance_office_changes_nothing(feed, tokens, finance_disbursement_config):
    config = finance_disbursement_config
    batch_id, apps = feed.ready_batch()
    call(config, SERVICE, "release", batch_id, token=tokens["city"])
    zhang = next(a for a in apps if a.name == "张三")
    [transfer] = call(config, SERVICE, "list_transfers", {"batch_id": batch_id}, 1, 20, token=tokens["440703"])["items"]
    call(config, SERVICE, "confirm_arrival", transfer["id"], token=tokens["440703"])
    lines = result_lines(call(config, SERVICE, "bank_file", transfer["id"], token=tokens["440703"]))
    wrong_amount = [{**line, "amount": "1.00"} for line in lines]
    unknown_account = [{**line, "bank_number": "6222000000000000"} for line in lines]
    before = feed.fingerprint()
    assert refused(config, "record_clawback", zhang.application_id, "重复领取", token=tokens["440703"]) == (
        409, "clawback.not_paid")
    assert refused(config, "record_clawback", zhang.application_id, "重复领取", token=tokens["440704"]) == (
        404, "not_found")
    for bad in (wrong_amount, unknown_account):
        assert refused(config, "import_bank_result", transfer["id"], digest(bad), "回盘.xlsx", bad,
                       token=tokens["440703"]) == (400, "bank_result.rejected")
    assert feed.fingerprint() == before
    assert scalar(feed.url, "SELECT count(*) FROM bank_result_files") == 0


def test_a_unit_sees_the_statistics_of_its_own_people(feed, tokens, issue, finance_disbursement_config):
    config = finance_disbursement_config
    batch_id = "5e0c1a10-0000-4000-8000-0000000000b1"
    apps = feed.applications(batch_id, [("440703", 960_000, "张三"), ("440703", 480_000, "王五")])
    apps += feed.applications(batch_id, [("440703", 1_200_000, "李四")], unit_id=OTHER_UNIT)
    for app in apps:
        feed.publish(app.envelope())
    feed.publish(feed.batch_envelope(batch_id, apps))
    feed.wait_status(batch_id, "ready")
    unit, _ = issue(role="unit_admin", region="440703", unit_id="6f1c2a10-0000-4000-8000-000000000001")
    other, _ = issue(role="unit_admin", region="440703", unit_id=OTHER_UNIT)
    mine = call(config, SERVICE, "statistics", {}, token=unit)
    assert (mine["total"]["count"], mine["total"]["amount_fen"]) == (2, 1_440_000)
    theirs = call(config, SERVICE, "statistics", {}, token=other)
    assert (theirs["total"]["count"], theirs["total"]["amount_fen"]) == (1, 1_200_000)
    assert refused(config, "reconciliation", {}, token=unit) == (403, "auth.forbidden")
