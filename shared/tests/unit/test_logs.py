"""JSON log lines (shared/shared/logs.py): one object per line with the correlation id of the worker."""
import json
import logging
import threading

from shared import logs


def _line(formatter, message="hello %s", args=("世界",), **extra):
    record = logging.LogRecord("shared.test", logging.INFO, __file__, 1, message, args, None)
    for key, value in extra.items():
        setattr(record, key, value)
    return formatter.format(record)


def test_a_line_is_one_json_object_with_the_bound_correlation_id(monkeypatch):
    monkeypatch.delenv("LOG_FORMAT", raising=False)
    formatter = logs.JsonFormatter("subsidy_review")
    logs.bind("req-12345678")
    try:
        entry = json.loads(_line(formatter, duration_ms=3.5))
    finally:
        logs.bind(None)
    assert entry["message"] == "hello 世界" and entry["process"] == "subsidy_review"
    assert entry["correlation_id"] == "req-12345678" and entry["duration_ms"] == 3.5
    assert entry["level"] == "INFO" and entry["time"].endswith("+00:00")


def test_the_correlation_id_is_per_worker_thread():
    formatter = logs.JsonFormatter("gateway")
    seen = {}

    def worker(name):
        logs.bind(name)
        seen[name] = json.loads(_line(formatter))["correlation_id"]

    threads = [threading.Thread(target=worker, args=(f"req-{i:08d}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == {f"req-{i:08d}": f"req-{i:08d}" for i in range(4)}


def test_an_exception_and_an_explicit_id_are_kept(monkeypatch):
    monkeypatch.delenv("LOG_FORMAT", raising=False)
    formatter = logs.JsonFormatter("identity")
    try:
        raise ValueError("boom")
    except ValueError:
        import sys
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    record.correlation_id = "given-123456"
    entry = json.loads(formatter.format(record))
    assert entry["correlation_id"] == "given-123456" and "ValueError: boom" in entry["exception"]


def test_plain_lines_for_a_developer(monkeypatch):
    monkeypatch.setenv("LOG_FORMAT", "plain")
    logs.bind("req-abcdefgh")
    try:
        line = _line(logs.JsonFormatter("finance_disbursement"))
    finally:
        logs.bind(None)
    assert line.endswith("INFO finance_disbursement shared.test: hello 世界 [req-abcdefgh]")
