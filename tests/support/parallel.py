"""``python -m tests.support.parallel --jobs 2 DIR [DIR ...] -- PYTEST_ARGS``: one pytest process per
test directory, ``--jobs`` at a time, the longest first; each directory's output printed whole when it
ends (never interleaved), then a summary. Exit status 0 only when every directory passed.

Why not pytest-xdist: its workers talk to the controller through execnet threads, and the root conftest
monkey-patches the whole process for eventlet (nameko needs it), so the workers never report back (seen:
the controller waited forever after "bringing up nodes"). One pytest per directory keeps each service's
session fixtures (its migrated database) to one process, as a sequential run has them.

The service tier spends much of its time waiting (a vhost created by the management API, a container
started, an event awaited), so two directories at a time on 2 cores take less wall time than one after
the other. The order: the longest first by the wall times of the last run on this checkout
(``.test-durations.json``, not committed), else by the number of test functions.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DURATIONS = ROOT / ".test-durations.json"


@dataclass
class Item:
    directory: str
    weight: float
    started: float = 0.0
    log: Path | None = None
    process: subprocess.Popen | None = None
    seconds: float = 0.0
    code: int | None = None
    summary: str = ""


def test_count(directory: str) -> int:
    return sum(len(re.findall(r"^\s*def test_", path.read_text(encoding="utf-8"), re.M))
               for path in Path(ROOT, directory).rglob("test_*.py"))


def weights(directories: list[str], durations: Path = DURATIONS) -> dict[str, float]:
    """Seconds of the last run where known (scaled so unknown ones rank by their test count)."""
    known: dict[str, float] = {}
    if durations.exists():
        try:
            known = {k: float(v) for k, v in json.loads(durations.read_text()).items()}
        except (ValueError, AttributeError):
            known = {}
    return {d: known.get(d, 10.0 * test_count(d)) for d in directories}


def summary_line(text: str) -> str:
    """pytest's last line ("== 12 passed in 30.1s ==") or a stand-in."""
    for line in reversed(text.splitlines()):
        if re.search(r"\b(passed|failed|error|errors|no tests ran)\b", line):
            return line.strip("= ")
    return "no pytest summary"


def run(directories: list[str], jobs: int, pytest_args: list[str], durations: Path = DURATIONS,
        command: tuple[str, ...] = (sys.executable, "-m", "pytest")) -> int:
    w = weights(directories, durations)
    queue = sorted((Item(d, w[d]) for d in directories), key=lambda i: -i.weight)
    running: list[Item] = []
    done: list[Item] = []
    tmp = Path(tempfile.mkdtemp(prefix="tiers-"))
    start = time.monotonic()

    def launch(item: Item) -> None:
        item.log = tmp / (re.sub(r"\W+", "_", item.directory) + ".log")
        handle = item.log.open("wb")
        item.started = time.monotonic()
        item.process = subprocess.Popen([*command, *pytest_args, item.directory],
                                        stdout=handle, stderr=subprocess.STDOUT, cwd=ROOT,
                                        start_new_session=True)
        handle.close()
        print(f"-- started {item.directory}", flush=True)

    def stop_all(*_args) -> None:
        for item in running:
            if item.process and item.process.poll() is None:
                os.killpg(item.process.pid, signal.SIGTERM)
        sys.exit(130)

    signal.signal(signal.SIGINT, stop_all)
    signal.signal(signal.SIGTERM, stop_all)
    while queue or running:
        while queue and len(running) < jobs:
            item = queue.pop(0)
            launch(item)
            running.append(item)
        time.sleep(0.5)
        for item in list(running):
            assert item.process is not None and item.log is not None
            if item.process.poll() is None:
                continue
            running.remove(item)
            item.code, item.seconds = item.process.returncode, time.monotonic() - item.started
            text = item.log.read_text(encoding="utf-8", errors="replace")
            item.summary = summary_line(text)
            print(f"\n======== {item.directory}: exit {item.code} after {item.seconds:.0f} s ========", flush=True)
            print(text, flush=True)
            done.append(item)
    wall = time.monotonic() - start
    print(f"\n======== {len(done)} directories, {jobs} at a time, {wall:.0f} s wall "
          f"({sum(i.seconds for i in done):.0f} s if one after the other) ========")
    for item in sorted(done, key=lambda i: i.directory):
        print(f"{'ok  ' if item.code == 0 else 'FAIL'} {item.directory:48} {item.seconds:6.0f} s  {item.summary}")
    try:
        previous = json.loads(durations.read_text()) if durations.exists() else {}
        durations.write_text(json.dumps({**previous, **{i.directory: round(i.seconds, 1) for i in done}},
                                        indent=1, sort_keys=True))
    except (OSError, ValueError):
        pass
    return 0 if all(i.code == 0 for i in done) else 1


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    pytest_args: list[str] = []
    if "--" in argv:
        at = argv.index("--")
        argv, pytest_args = argv[:at], argv[at + 1:]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("TEST_JOBS", "2")))
    parser.add_argument("directories", nargs="+")
    args = parser.parse_args(argv)
    return run([d for d in args.directories if Path(ROOT, d).is_dir()], max(1, args.jobs), pytest_args)


if __name__ == "__main__":
    sys.exit(main())
