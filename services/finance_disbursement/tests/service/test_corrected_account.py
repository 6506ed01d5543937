"""个人已更正账户: unit_registry's ``individual.bank_account_changed`` reaches the failed payments of that
person (and nobody else's), a duplicate or an older correction changes nothing, and county finance's
retry without typing an account sends the corrected one with the next attempt number."""
from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from nameko.exceptions import RemoteError

from shared.events import Envelope
from shared.testing import rabbit
from shared.testing.helpers import remote_code, rows, scalar, wait_for
from shared.testing.service import call

SERVICE = "finance_disbursement"
CORRECTED = {"holder": "张三", "bank": "中国建设银行江门分行", "number": "6217000000000000099"}


def account_changed(app, account: dict, *, at: datetime | None = None) -> dict:
    """``individual.bank_account_changed`` as unit_registry publishes it for the applicant of ``app``."""
    data = {"individual_id": str(uuid.uuid4()), "account_id": app.account_id, "unit_id": app.unit_id,
            "unit_name": "江门市蓬江区示范科技有限公司", "name": app.name, "id_type": "resident_id",
            "id_number": "440703199803151233", "mobile": "13800000001", "degree": "bachelor",
            "graduated_on": "2025-07-01", "region": app.county, "status": "approved", "opinion": None,
            "bank_account": account}
    envelope = Envelope(type="individual.bank_account_changed", source="/services/unit_registry",
                        subject=data["individual_id"], region=app.county, data=data,
                        actor={"role": "individual", "account_id": app.account_id, "name": app.name},
                        **({"time": at.isoformat()} if at is not None else {}))
    return envelope.to_dict()


def deliver(feed, *envelopes: dict) -> None:
    """Publish on unit_registry's exchange and wait until every new event id is in the inbox and the queue
    is drained (a duplicate id leaves no second inbox row, so the queue is what says it was handled)."""
    for envelope in envelopes:
        rabbit.publish(feed.vhost, "unit_registry.events", envelope["type"], envelope)
    ids = {e["id"] for e in envelopes}
    wait_for(lambda: scalar(feed.url, "SELECT count(*) FROM platform_inbox WHERE event_id = ANY(:ids)",
                            ids=list(ids)) == len(ids), message="corrections consumed")
    wait_for(lambda: rabbit.queue_depth(feed.vhost, "finance_disbursement.individual.bank_account_changed")[0] == 0,
             message="queue drained")


def corrected(feed) -> dict:
    return {r["applicant_name"]: (r["corrected_bank_number"], r["corrected_at"]) for r in rows(
        feed.url, "SELECT applicant_name, corrected_bank_number, corrected_at FROM items ORDER BY applicant_name")}


def test_a_corrected_account_waits_on_the_failed_payment_and_the_retry_sends_it(feed, tokens,
                                                                                finance_disbursement_config):
    config = finance_disbursement_config
    batch_id, apps = feed.ready_batch()
    zhangsan, wangwu, lisi = apps  # 张三 and 王五 of 蓬江区 fail at the bank; 李四 of 江海区 is not paid yet
    call(config, SERVICE, "release", batch_id, token=tokens["city"])
    county = tokens["440703"]
    transfer = call(config, SERVICE, "list_transfers", {"batch_id": batch_id}, 1, 20, token=county)["items"][0]
    call(config, SERVICE, "confirm_arrival", transfer["id"], token=county)
    bank_file = call(config, SERVICE, "bank_file", transfer["id"], token=county)
    lines = [{"row": n, "line_key": line["line_key"], "bank_number": line["bank_number"],
              "amount": f"{line['amount_fen'] // 100}.{line['amount_fen'] % 100:02d}", "result": "失败",
              "reason": "账号不存在"} for n, line in enumerate(bank_file["lines"], start=2)]
    sha = hashlib.sha256(repr(lines).encode()).hexdigest()
    assert call(config, SERVICE, "import_bank_result", transfer["id"], sha, None, lines, token=county)["failed"] == 2

    # 张三 corrects the account; 李四 (no failed payment) and a stranger correct theirs too
    first = account_changed(zhangsan, CORRECTED)
    stranger = account_changed(type(zhangsan)(batch_id, "440703", 1, "赵六"), {**CORRECTED, "holder": "赵六"})
    deliver(feed, first, account_changed(lisi, {**CORRECTED, "holder": "李四"}), stranger)
    state = corrected(feed)
    assert state["张三"][0] == CORRECTED["number"]
    assert state["王五"] == state["李四"] == (None, None)  # only the failed payment of that person keeps it
    failed = call(config, SERVICE, "list_failed", {}, 1, 20, token=county)["items"]
    shown = {i["applicant_name"]: i["corrected_bank_account"] for i in failed}
    assert shown["王五"] is None
    assert shown["张三"]["bank"] == CORRECTED["bank"] and shown["张三"]["number"] == "***************0099"
    assert {i["status"] for i in failed} == {"payment_failed"}  # nothing is paid automatically

    # the same event again, and an older correction arriving late, change nothing
    older = account_changed(zhangsan, {**CORRECTED, "number": "6217000000000000011"},
                            at=datetime.now(UTC) - timedelta(hours=1))
    deliver(feed, first, older)
    assert corrected(feed) == state

    # 王五 corrected nothing: a retry without an account is refused and changes nothing
    with pytest.raises(RemoteError) as info:
        call(config, SERVICE, "retry_payment", wangwu.application_id, None, token=county)
    assert remote_code(info.value) == (400, "payment.bank_account_required")

    retried = call(config, SERVICE, "retry_payment", zhangsan.application_id, token=county)
    assert (retried["status"], retried["attempt"], retried["corrected_bank_account"]) == ("released", 2, None)
    assert scalar(feed.url, "SELECT after->>'account_source' FROM platform_audit_log WHERE action = 'payment.retry'"
                  ) == "corrected_by_individual"
    [line] = call(config, SERVICE, "bank_file", transfer["id"], token=county)["lines"]
    assert (line["bank_holder"], line["bank_name"], line["bank_number"]) == (
        CORRECTED["holder"], CORRECTED["bank"], CORRECTED["number"])
    assert line["line_key"] == f"{zhangsan.application_no}-1-2"


def test_a_correction_made_before_the_payment_fails_is_carried_to_its_retry(feed, tokens,
                                                                            finance_disbursement_config):
    config = finance_disbursement_config
    batch_id, apps = feed.ready_batch()
    zhangsan, wangwu, _lisi = apps
    call(config, SERVICE, "release", batch_id, token=tokens["city"])
    county = tokens["440703"]
    transfer = call(config, SERVICE, "list_transfers", {"batch_id": batch_id}, 1, 20, token=county)["items"][0]
    call(config, SERVICE, "confirm_arrival", transfer["id"], token=county)
    bank_file = call(config, SERVICE, "bank_file", transfer["id"], token=county)
    frozen = {line["applicant_name"]: line["bank_number"] for line in bank_file["lines"]}

    # 张三 corrects the account while the payment file is at the bank (the same event delivered twice)
    first = account_changed(zhangsan, CORRECTED)
    deliver(feed, first, first)
    assert scalar(feed.url, "SELECT count(*) FROM platform_inbox WHERE event_id = :id", id=first["id"]) == 1
    assert corrected(feed)["张三"] == (None, None)  # not failed: the frozen account stays as it is
    assert scalar(feed.url, "SELECT bank_number FROM bank_corrections WHERE account_id = :a",
                  a=zhangsan.account_id) == CORRECTED["number"]
    again = call(config, SERVICE, "bank_file", transfer["id"], token=county)
    assert {line["applicant_name"]: line["bank_number"] for line in again["lines"]} == frozen

    lines = [{"row": n, "line_key": line["line_key"], "bank_number": line["bank_number"],
              "amount": f"{line['amount_fen'] // 100}.{line['amount_fen'] % 100:02d}", "result": "失败",
              "reason": "账号不存在"} for n, line in enumerate(bank_file["lines"], start=2)]
    sha = hashlib.sha256(repr(lines).encode()).hexdigest()
    assert call(config, SERVICE, "import_bank_result", transfer["id"], sha, None, lines, token=county)["failed"] == 2
    state = corrected(feed)
    assert state["张三"] == (CORRECTED["number"], datetime.fromisoformat(first["time"]))
    assert state["王五"] == (None, None)  # corrected nothing: nothing to carry
    failed = {i["applicant_name"]: i for i in call(config, SERVICE, "list_failed", {}, 1, 20, token=county)["items"]}
    assert failed["张三"]["corrected_bank_account"]["number"] == "***************0099"
    with pytest.raises(RemoteError) as info:
        call(config, SERVICE, "retry_payment", wangwu.application_id, None, token=county)
    assert remote_code(info.value) == (400, "payment.bank_account_required")

    retried = call(config, SERVICE, "retry_payment", zhangsan.application_id, token=county)
    assert (retried["status"], retried["attempt"]) == ("released", 2)
    [line] = call(config, SERVICE, "bank_file", transfer["id"], token=county)["lines"]
    assert (line["bank_holder"], line["bank_name"], line["bank_number"]) == (
        CORRECTED["holder"], CORRECTED["bank"], CORRECTED["number"])
    assert line["line_key"] == f"{zhangsan.application_no}-1-2"
