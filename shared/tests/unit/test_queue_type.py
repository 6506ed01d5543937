"""PLATFORM_QUEUE_TYPE: which queues of the topology become quorum queues, and with what arguments."""
import pytest

from shared.messaging import topology


def test_classic_by_default_and_a_wrong_value_is_refused(monkeypatch):
    monkeypatch.delenv("PLATFORM_QUEUE_TYPE", raising=False)
    assert topology.queue_type() == "classic"
    monkeypatch.setenv("PLATFORM_QUEUE_TYPE", "quorum")
    assert topology.queue_type() == "quorum"
    assert topology.queue_type({"PLATFORM_QUEUE_TYPE": "classic"}) == "classic"     # a service's config wins
    with pytest.raises(ValueError, match="PLATFORM_QUEUE_TYPE"):
        topology.queue_type({"PLATFORM_QUEUE_TYPE": "stream"})


def test_only_the_work_queues_become_quorum():
    specs = topology.plan(None, (1000, 10_000))["queues"]
    work = [s for s in specs if s.work]
    assert len(work) * 4 == len(specs)                       # each with two retry queues and a DLQ
    assert all(s.arguments_as("quorum") == {"x-queue-type": "quorum"} for s in work)
    assert all(s.arguments_as("classic") == {} for s in work)
    for spec in (s for s in specs if not s.work):
        assert spec.arguments_as("quorum") == spec.arguments_as("classic") == (spec.arguments or {})
