"""Idempotent commands, the append-only audit trail and the job runner, in a running service."""
import pytest
import sqlalchemy.exc
from nameko.exceptions import RemoteError

from shared.testing.helpers import execute, remote_code, rows, rpc_client, scalar, wait_for


def test_repeated_idempotency_key_returns_the_first_answer_with_one_effect(sample, sample_config, issue):
    token, _ = issue()
    uri, url = sample_config["AMQP_URI"], sample_config["DATABASE_URL"]
    with rpc_client(uri, "sample", token, key="same-key") as svc:
        first = svc.create_thing("一次")
        second = svc.create_thing("一次")
    assert first == second
    assert scalar(url, "SELECT count(*) FROM things") == 1
    with rpc_client(uri, "sample", token, key="same-key") as svc, pytest.raises(RemoteError) as info:
        svc.emit_orphan(1)
    assert remote_code(info.value) == (422, "idempotency.key_mismatch")
    # the same operation with other arguments under a used key: refused, not answered with the first result
    with rpc_client(uri, "sample", token, key="same-key") as svc, pytest.raises(RemoteError) as info:
        svc.create_thing("另一件")
    assert remote_code(info.value) == (422, "idempotency.key_mismatch")
    assert scalar(url, "SELECT count(*) FROM things") == 1
    with rpc_client(uri, "sample", token) as svc:
        svc.create_thing("二次")
        svc.create_thing("二次")
    assert scalar(url, "SELECT count(*) FROM things") == 3


def test_commit_on_error_keeps_what_the_refusal_recorded_and_still_refuses(sample, sample_config, issue):
    token, _ = issue()
    uri, url = sample_config["AMQP_URI"], sample_config["DATABASE_URL"]
    with rpc_client(uri, "sample", token) as svc:
        for method in (svc.refuse_after_recording, svc.refuse_and_roll_back):
            with pytest.raises(RemoteError) as info:
                method("拒绝")
            assert remote_code(info.value) == (400, "sample.refused")
    # only the commit_on_error command's effect stands; a plain command's refusal rolls back
    assert scalar(url, "SELECT count(*) FROM effects WHERE kind='refusal_recorded'") == 1


def test_commit_on_error_is_not_for_idempotent_commands():
    from shared.service import command
    with pytest.raises(ValueError, match="idempotent=False"):
        command(commit_on_error=True)


def test_bad_call_arguments_are_a_400(sample, sample_config, issue):
    token, _ = issue()
    with rpc_client(sample_config["AMQP_URI"], "sample", token) as svc, pytest.raises(RemoteError) as info:
        svc.create_thing("a", "unexpected")
    assert remote_code(info.value) == (400, "invalid_call")


def test_audit_rows_are_written_and_cannot_be_changed(sample, sample_config, issue):
    token, claims = issue()
    url = sample_config["DATABASE_URL"]
    with rpc_client(sample_config["AMQP_URI"], "sample", token) as svc:
        thing = svc.create_thing("审计")
    [row] = rows(url, "SELECT * FROM platform_audit_log WHERE subject_id=:i", i=thing["id"])
    assert (row["action"], row["actor_account"], row["actor_role"]) == ("thing.create", claims["sub"], "county_hrss")
    assert row["after"] == {"name": "审计"} and row["at"] is not None
    for sql in ("UPDATE platform_audit_log SET action='x'", "DELETE FROM platform_audit_log"):
        with pytest.raises(sqlalchemy.exc.InternalError, match="append-only"):
            execute(url, sql)


def test_job_runs_every_item_once_with_per_item_outcomes(sample, sample_config, issue):
    token, _ = issue()
    url = sample_config["DATABASE_URL"]
    with rpc_client(sample_config["AMQP_URI"], "sample", token) as svc:
        job = svc.submit_slow_job(8, 0.01)
        assert job["status"] == "queued" and job["total"] == 8
        again = svc.submit_slow_job(8, 0.01)
        assert again["id"] == job["id"]  # a second click returns the same job
        done = wait_for(lambda: (lambda j: j if j["status"] == "done" else None)(svc.get_job(job["id"])),
                        message="job done")
    assert (done["succeeded"], done["failed"], done["progress"]) == (7, 1, 1.0)
    failed = [i for i in done["items"] if i["status"] == "failed"]
    assert failed == [{"seq": 3, "payload": {"n": 3, "delay": 0.01}, "status": "failed",
                       "outcome": {"code": "sample.item_refused", "message": "第3条故意失败"}}]
    assert scalar(url, "SELECT count(*) FROM effects WHERE kind='job'") == 7


def test_someone_elses_job_is_not_found(sample, sample_config, issue):
    token, _ = issue()
    other, _ = issue()
    with rpc_client(sample_config["AMQP_URI"], "sample", token) as svc:
        job = svc.submit_slow_job(1, 0)
    with rpc_client(sample_config["AMQP_URI"], "sample", other) as svc, pytest.raises(RemoteError) as info:
        svc.get_job(job["id"])
    assert remote_code(info.value) == (404, "job.not_found")
