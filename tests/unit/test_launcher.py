"""The local launcher's supervision (issue 16) without the platform: a child that exits is restarted
after its back-off with its restart count, a process stopped on purpose is not, and children end with
their launcher even when it is killed with -9 (no orphan keeps the gateway's port)."""
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from deploy import stack as launcher
from deploy.stack import BACKOFF_FIRST, Stack, StackConfig

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def stack(tmp_path):
    s = Stack(StackConfig(var_dir=tmp_path, echo=False, broker_users=False, broker_user_prefix="t."))
    s.log_dir.mkdir(parents=True)
    yield s
    s.stop()


def _wait(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_an_exited_child_is_restarted_after_its_backoff_with_its_count(stack):
    child = "import os; print(os.environ['PLATFORM_RESTARTS']); raise SystemExit(3)"
    stack._spawn("flaky", f'{sys.executable} -c "{child}"')
    first = stack.processes["flaky"]
    first.wait(10)
    now = time.monotonic()
    assert stack.supervise_once(now) == []                       # noticed, back-off starts
    assert stack.supervise_once(now + BACKOFF_FIRST / 2) == []   # still waiting
    assert stack.supervise_once(now + BACKOFF_FIRST + 0.01) == ["flaky"]
    assert stack.processes["flaky"] is not first and stack.supervised["flaky"].restarts == 1
    stack.processes["flaky"].wait(10)
    # the back-off doubles for a process that keeps failing
    later = time.monotonic()
    stack.supervise_once(later)
    assert stack.supervised["flaky"].next_try == pytest.approx(later + 2 * BACKOFF_FIRST)
    _wait(lambda: b"1" in (stack.log_dir / "flaky.log").read_bytes())    # PLATFORM_RESTARTS=1 in the child
    log = (stack.log_dir / "launcher.log").read_text(encoding="utf-8")
    assert "flaky exited with 3; restart 1 in 1 s" in log and "flaky restarted (restart 1)" in log


def test_a_process_stopped_on_purpose_is_not_restarted(stack):
    stack._spawn("calm", "sleep 30")
    stack.stop_one("calm")
    assert stack.supervise_once(time.monotonic() + 100) == []
    assert "calm" not in stack.processes


def test_the_supervisor_thread_restarts_by_itself(stack):
    stack._spawn("flaky", f"{sys.executable} -c \"raise SystemExit(1)\"")
    stack.supervise(interval=0.05)
    _wait(lambda: stack.supervised["flaky"].restarts >= 1, timeout=BACKOFF_FIRST + 5)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_children_end_with_a_launcher_killed_with_minus_9(tmp_path):
    script = textwrap.dedent(f"""
        import time
        from pathlib import Path
        from deploy.stack import Stack, StackConfig
        s = Stack(StackConfig(var_dir=Path({str(tmp_path)!r}), echo=False, broker_users=False, broker_user_prefix="t."))
        s.log_dir.mkdir(parents=True, exist_ok=True)
        s._spawn("sleeper", "sleep 300")
        print(s.processes["sleeper"].pid, flush=True)
        time.sleep(300)
    """)
    launcher_proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    child = int(launcher_proc.stdout.readline())
    assert _alive(child)
    launcher_proc.kill()
    launcher_proc.wait(10)
    _wait(lambda: not _alive(child), timeout=10)


def test_make_run_says_so_when_the_port_is_taken(monkeypatch, tmp_path, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        monkeypatch.setenv("GATEWAY_PORT", str(port))
        monkeypatch.setenv("PLATFORM_VAR_DIR", str(tmp_path))
        monkeypatch.setattr(Stack, "prepare", lambda self, **kw: None)
        started = []
        monkeypatch.setattr(Stack, "start", lambda self, *a, **kw: started.append(1))
        assert launcher.main(["run"]) == 2
    assert not started
    assert f"端口 {port} 已被占用" in capsys.readouterr().err
