"""kill -9 of a real housing_fund process half-way through matching a bank statement: after the
restart (and a re-upload of the same file) the statement is finished, each notice paid once and no
employee credited twice."""
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from shared.testing import rabbit
from shared.testing.helpers import execute, rows, rpc_client, scalar, wait_for

from .line_b import csv_of, employee, employer, store_file

NAMEKO = Path(sys.executable).parent / "nameko"
ROOT = Path(__file__).resolve().parents[4]
CONFIG = """
AMQP_URI: ${AMQP_URI}
DATABASE_URL: ${DATABASE_URL}
JWT_JWKS_FILE: ${JWT_JWKS_FILE}
PLATFORM_VAR_DIR: ${PLATFORM_VAR_DIR}
RETRY_DELAYS_MS: "100,200,300"
OUTBOX_SWEEP_SECONDS: 0.5
JOB_POLL_SECONDS: 0.2
max_workers: 10
"""


class Process:
    def __init__(self, tmp_path: Path, config: dict) -> None:
        self.config_file = tmp_path / "housing_fund.yaml"
        self.config_file.write_text(CONFIG)
        self.log = tmp_path / "housing_fund.log"
        self.config, self.tmp_path = config, tmp_path
        self.vhost = config["AMQP_URI"].rsplit("/", 1)[-1]
        self.proc = None

    def start(self, faults: str = "") -> None:
        env = dict(os.environ, AMQP_URI=self.config["AMQP_URI"], DATABASE_URL=self.config["DATABASE_URL"],
                   JWT_JWKS_FILE=self.config["JWT_JWKS_FILE"], PLATFORM_VAR_DIR=str(self.tmp_path),
                   PLATFORM_FAULTS=faults, RECONCILE_CHUNK_LINES="2", PYTHONWARNINGS="ignore")
        self.proc = subprocess.Popen([str(NAMEKO), "run", "--config", str(self.config_file),
                                      "housing_fund.service:HousingFundService"], cwd=ROOT, env=env,
                                     stdout=open(self.log, "ab"), stderr=subprocess.STDOUT)
        wait_for(lambda: rabbit.queue_depth(self.vhost, "rpc-housing_fund")[1] == 1 or self.proc.poll() is not None,
                 timeout=40, message="housing_fund to consume")
        assert self.proc.poll() is None, self.log.read_text()[-3000:]

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


@pytest.fixture
def process(tmp_path, housing_fund_config):
    p = Process(tmp_path, housing_fund_config)
    yield p
    p.stop()


def approved_notice(db, trade_code, code, amounts):
    e = employer(db, f"单位{trade_code}", trade_code=trade_code)
    people = [employee(db, e, f"职工{trade_code}{i}", monthly_fen=a) for i, a in enumerate(amounts)]
    rid = str(uuid.uuid4())
    execute(db, "INSERT INTO remittances (id, employer_id, region, mode, month_from, month_to, status, total_fen, "
                "employee_count, line_count, submitted_by, submitted_at, payment_code, trade_code, memo) VALUES "
                "(:i, :e, '440703', 'remit', '202611', '202611', 'approved', :t, :n, :n, :e, now(), :c, :tc, :m)",
            i=rid, e=e, t=sum(amounts), n=len(amounts), c=code, tc=trade_code, m=f"{trade_code}x{code}o")
    for p, a in zip(people, amounts, strict=True):
        execute(db, "INSERT INTO remittance_lines (remittance_id, employee_id, month, amount_fen) "
                    "VALUES (:r, :p, '202611', :a)", r=rid, p=p, a=a)
        execute(db, "INSERT INTO remittance_holds (employee_id, remittance_id) VALUES (:p, :r)", p=p, r=rid)
    return rid, sum(amounts)


def test_a_statement_interrupted_by_kill_9_finishes_once(process, housing_fund_config, housing_fund_db, issue,
                                                         tmp_path):
    db = housing_fund_db
    notices = [approved_notice(db, f"7{n:04d}", code, [80000, 90000]) for n, code in
               enumerate(["A2B3", "C4D5", "E6F7", "G8H9", "J2K3"])]
    lines = []
    for n, ((_, total), code) in enumerate(zip(notices, ["A2B3", "C4D5", "E6F7", "G8H9", "J2K3"], strict=True)):
        lines.append(("2026-12-01", f"{total / 100:.2f}", "6222", "付款单位", f"7{n:04d}x{code}o", f"K{n}a"))
        lines.append(("2026-12-01", "1.00", "6222", "某人", "无摘要", f"K{n}b"))
    content = csv_of(lines)          # 10 lines, 2 per chunk: 5 job items
    sha = store_file(tmp_path, content)
    bureau = issue(role="housing_bureau", region="440700")[0]
    process.start(faults="reconcile.chunk2")
    with rpc_client(housing_fund_config["AMQP_URI"], "housing_fund", bureau) as svc:
        statement = svc.upload_bank_statement(sha, "对账单.csv")
    process.proc.wait(30)               # the fail point SIGKILLs the process inside the third chunk
    assert process.proc.returncode == -signal.SIGKILL
    assert scalar(db, "SELECT count(*) FROM bank_lines") == 4          # chunks 0 and 1 committed, 2 rolled back
    assert scalar(db, "SELECT count(*) FROM remittances WHERE status='paid'") == 2
    process.start()
    with rpc_client(housing_fund_config["AMQP_URI"], "housing_fund", bureau) as svc:
        again = svc.upload_bank_statement(sha, "对账单.csv")              # the re-upload finds the same statement
        assert again["id"] == statement["id"]
        done = wait_for(lambda: (lambda s: s if s["status"] == "done" else None)(
            svc.get_bank_statement(statement["id"])), timeout=40, message="the statement to finish")
    assert (done["matched_count"], done["returned_count"], done["credit_count"]) == (5, 5, 10)
    assert scalar(db, "SELECT count(*) FROM bank_lines") == 10
    assert scalar(db, "SELECT count(*) FROM remittances WHERE status='paid'") == 5
    per_employee = rows(db, "SELECT employee_id, count(*) AS n FROM ledger GROUP BY employee_id")
    assert len(per_employee) == 10 and all(r["n"] == 1 for r in per_employee)
    assert scalar(db, "SELECT sum(amount_fen) FROM ledger") == 5 * 170000
    assert scalar(db, "SELECT count(*) FROM platform_outbox WHERE event_type='remittance.paid' "
                      "AND exchange='housing_fund.events'") == 5
