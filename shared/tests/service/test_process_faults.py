"""kill -9 of a real service process: between commit and publish, and in the middle of a job.

The sample service runs as ``nameko run`` in a subprocess; the fail point ``outbox.after_commit``
makes it SIGKILL itself right after a command's transaction committed, before anything is published
or replied - as a power cut would.
"""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from shared.testing import rabbit
from shared.testing.helpers import rows, rpc_client, scalar, wait_for

SAMPLE_DIR = Path(__file__).parent / "sample"
NAMEKO = Path(sys.executable).parent / "nameko"
CONFIG = """
AMQP_URI: ${AMQP_URI}
DATABASE_URL: ${DATABASE_URL}
JWT_JWKS_FILE: ${JWT_JWKS_FILE}
RETRY_DELAYS_MS: "100,200,300"
OUTBOX_SWEEP_SECONDS: 0.5
JOB_POLL_SECONDS: 0.2
max_workers: 10
"""


class SampleProcess:
    def __init__(self, tmp_path: Path, config: dict) -> None:
        self.config_file = tmp_path / "sample.yaml"
        self.config_file.write_text(CONFIG)
        self.log = tmp_path / "sample.log"
        self.config = config
        self.vhost = config["AMQP_URI"].rsplit("/", 1)[-1]
        self.proc: subprocess.Popen | None = None

    def start(self, faults: str = "") -> None:
        env = dict(os.environ, AMQP_URI=self.config["AMQP_URI"], DATABASE_URL=self.config["DATABASE_URL"],
                   JWT_JWKS_FILE=self.config["JWT_JWKS_FILE"], PLATFORM_FAULTS=faults,
                   PYTHONPATH=str(SAMPLE_DIR), PYTHONWARNINGS="ignore")
        argv = [str(NAMEKO), "run", "--config", str(self.config_file), "sample_service:SampleService"]
        self.proc = subprocess.Popen(argv, cwd=SAMPLE_DIR, env=env, stdout=open(self.log, "ab"),
                                     stderr=subprocess.STDOUT)
        wait_for(lambda: rabbit.queue_depth(self.vhost, "rpc-sample")[1] == 1 or self._died(), timeout=30,
                 message="the sample service to consume")
        assert self.proc.poll() is None, self.log.read_text()[-3000:]

    def _died(self) -> bool:
        return self.proc.poll() is not None

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def process(tmp_path, sample_config):
    p = SampleProcess(tmp_path, sample_config)
    yield p
    p.stop()


def test_kill_between_commit_and_publish_publishes_once_and_redelivered_rpc_answers_the_same(
        process, sample_config, vhost, issue):
    url = sample_config["DATABASE_URL"]
    tap = rabbit.Tap(vhost, ["sample.events"])
    token, _ = issue()
    process.start(faults="outbox.after_commit")
    with rpc_client(sample_config["AMQP_URI"], "sample", token, key="crash-1", timeout=60) as svc:
        reply = svc.create_thing.call_async("断电前")
        process.proc.wait(20)
        assert process.proc.returncode == -signal.SIGKILL
        committed = rows(url, "SELECT id FROM things")
        assert len(committed) == 1
        [pending] = rows(url, "SELECT event_id, sent_at FROM platform_outbox WHERE exchange='sample.events'")
        assert pending["sent_at"] is None
        assert tap.drain(wait=0.5) == []

        process.start()                      # no fault: the RPC is redelivered, the sweep publishes
        answer = reply.result()
    assert answer["id"] == committed[0]["id"]
    messages = tap.drain(wait=5, until=1) + tap.drain(wait=1.5)
    assert [m["body"]["id"] for m in messages] == [pending["event_id"]]
    assert scalar(url, "SELECT count(*) FROM things") == 1
    with rpc_client(sample_config["AMQP_URI"], "sample", token, key="crash-1") as svc:
        assert svc.create_thing("断电前") == answer
    assert scalar(url, "SELECT count(*) FROM things") == 1


def test_job_killed_midway_resumes_and_runs_every_item_exactly_once(process, sample_config, issue):
    url = sample_config["DATABASE_URL"]
    token, _ = issue()
    process.start()
    with rpc_client(sample_config["AMQP_URI"], "sample", token) as svc:
        job = svc.submit_slow_job(30, 0.1)
    wait_for(lambda: scalar(url, "SELECT count(*) FROM effects WHERE kind='job'") >= 8, timeout=20,
             message="a few items done")
    process.kill()
    done_before = scalar(url, "SELECT count(*) FROM effects WHERE kind='job'")
    assert done_before < 29, "the job finished before the kill; make the items slower"
    process.start()
    with rpc_client(sample_config["AMQP_URI"], "sample", token) as svc:
        final = wait_for(lambda: (lambda j: j if j["status"] == "done" else None)(svc.get_job(job["id"])),
                         timeout=30, message="the job to finish after restart")
    assert (final["succeeded"], final["failed"], final["total"]) == (29, 1, 30)
    refs = [r["ref"] for r in rows(url, "SELECT ref FROM effects WHERE kind='job' ORDER BY id")]
    assert sorted(refs, key=int) == [str(n) for n in range(30) if n != 3]  # each item once, none twice
    assert {i["status"] for i in final["items"]} == {"ok", "failed"}
    time.sleep(0.5)
    assert scalar(url, "SELECT count(*) FROM effects WHERE kind='job'") == 29
