"""kill -9 of a real housing_fund process half-way through an import job (职工批量导入): after the
restart the job carries on with the chunks still pending; every row is imported exactly once."""
import signal

from shared.testing.helpers import rpc_client, scalar, wait_for

from .line_b import employer
from .test_reconcile_kill import Process, process  # noqa: F401 - the fixture


def test_an_import_interrupted_by_kill_9_imports_every_row_once(process, housing_fund_config,  # noqa: F811
                                                                housing_fund_db, issue, sheets, monkeypatch):
    db = housing_fund_db
    employer_id = employer(db, "导入单位")
    clerk = issue(role="employer", region="440703", unit_id=employer_id, name="经办人")[0]
    file_id = sheets.employees([sheets.employee_row(i) for i in range(1, 11)])   # rows 2..11
    monkeypatch.setenv("IMPORT_CHUNK_ROWS", "2")                                 # 5 job items
    process.start(faults="import.chunk6")           # dies inside the third chunk (rows 6-7)
    with rpc_client(housing_fund_config["AMQP_URI"], "housing_fund", clerk) as svc:
        started = svc.import_employees("职工.xlsx", file_id, [])
    assert started["job"]["total"] == 5
    process.proc.wait(30)
    assert process.proc.returncode == -signal.SIGKILL
    assert scalar(db, "SELECT count(*) FROM employees") == 4                  # chunks 1 and 2 committed
    process.start()
    with rpc_client(housing_fund_config["AMQP_URI"], "housing_fund", clerk) as svc:
        again = svc.import_employees("职工.xlsx", file_id, [])                   # the same file: the same run
        assert again["repeated"] and again["job_id"] == started["job_id"]
        job = wait_for(lambda: (lambda j: j if j["status"] == "done" else None)(svc.get_job(started["job_id"])),
                       timeout=40, message="the import job to finish")
    assert (job["succeeded"], job["failed"]) == (5, 0)
    assert scalar(db, "SELECT count(*) FROM employees") == 10
    assert scalar(db, "SELECT count(DISTINCT id_number) FROM employees") == 10
    assert scalar(db, "SELECT count(*) FROM ledger") == 10
    assert scalar(db, "SELECT count(*) FROM platform_outbox WHERE event_type = 'employee.opened' "
                      "AND exchange = 'housing_fund.events'") == 10
    assert scalar(db, "SELECT (summary->>'imported')::int FROM import_runs") == 10
