"""The short form of the fault tier (issue 14) on the e2e tier's stack, whose processes reach the broker and
their databases through TCP proxies: FAULT_SHORT (default 50, as issue 14 asks) applications flow 1 -> 13 while every
process is killed with SIGKILL in turn (the launcher restarts it), a service's database is cut, the clock
jumps a month and the broker connections are cut for 5 s; then every stage event of those applications is
delivered three more times in reverse order; last, a poison event is dead-lettered after the configured
retries (the e2e stack runs the tests' short schedule, tests.support.stack.SHORT_RETRY_DELAYS_MS) while
FAULT_SHORT_POISON (default 6) good applications flow, and `platform-dlq replay` after the fix takes it
once. `make fault` runs each case at full size (tests/fault)."""
import os

import pytest

from tests.fault import cases


@pytest.fixture(scope="module")
def flow(platform):
    n = int(os.environ.get("FAULT_SHORT", "50"))
    plan = {"10 city org confirm": lambda s, f: cases.cut_database(s, f, "finance_disbursement"),
            "11 release": cases.jump_clock,
            "12 pay": cases.cut_broker}
    return cases.kill_each_process_under_flow(platform, n, chunk=max(6, n // 2),
                                              extra=cases.faults_at(plan, platform))


def test_kill_9_db_cut_clock_jump_and_broker_cut_while_applications_flow(flow):
    assert flow.stages_done[-1] == "13 confirm receipt"


def test_every_stage_event_three_more_times_in_reverse_order(platform, flow):
    cases.redeliver_three_times_in_reverse(platform, flow, sample_size=5)


def test_poison_event_dead_lettered_while_good_events_flow_then_replayed_once(platform):
    n = int(os.environ.get("FAULT_SHORT_POISON", "6"))
    cases.poison_while_good_events_flow(platform, n, chunk=n)
