"""The fault tier (`make fault`, issue 14): the whole platform started as `make run` does, every process's
broker connection and every service's database connection through its own TCP proxy, and short retry
delays so a poison event reaches its dead-letter queue within the run. FAULT_APPLICATIONS (default 1,000,
as issue 14 asks; the measured times are in README, "What survives what") applications flow through the
kill -9 case; FAULT_SMALL (default 50) through each other case."""
import os

import pytest

from tests.support.stack import SHORT_RETRY_DELAYS_MS, platform_stack, unexpected_restarts


@pytest.fixture(scope="session")
def fault_stack(tmp_path_factory):
    with platform_stack(tmp_path_factory.mktemp("var"), "fault", proxied=True,
                        extra_env={"RETRY_DELAYS_MS": SHORT_RETRY_DELAYS_MS}) as stack:
        yield stack
        unexpected = unexpected_restarts(stack)
        assert not unexpected, f"processes exited and were restarted by the launcher: {unexpected} (see var/log)"


@pytest.fixture(scope="session")
def applications() -> int:
    return int(os.environ.get("FAULT_APPLICATIONS", "1000"))


@pytest.fixture(scope="session")
def small() -> int:
    return int(os.environ.get("FAULT_SMALL", "50"))
