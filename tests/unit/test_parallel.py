"""The test-tier runner (tests.support.parallel): every directory runs, a failure anywhere fails the run,
each directory's output is printed whole, and the next run starts the longest first."""
import json
import sys

from tests.support import parallel

# a stand-in for pytest (a real pytest process costs seconds to start): passes a directory holding "ok",
# fails one holding "broken", printing pytest's summary line either way
FAKE = """import pathlib, sys
d = pathlib.Path(sys.argv[-1])
if (d / "broken").exists():
    print("B-BROKE"); print("== 1 failed in 0.01s =="); sys.exit(1)
print("== 2 passed in 0.01s ==")
"""


def command(tmp_path):
    (tmp_path / "fake_pytest.py").write_text(FAKE, encoding="utf-8")
    return (sys.executable, str(tmp_path / "fake_pytest.py"))


def write(directory, name, body):
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_text(body, encoding="utf-8")


def test_every_directory_runs_and_one_failure_fails_the_run(tmp_path, capsys):
    write(tmp_path / "a", "ok", "")
    write(tmp_path / "b", "broken", "")
    durations = tmp_path / "durations.json"
    code = parallel.run([str(tmp_path / "a"), str(tmp_path / "b")], 2, ["-q"], durations, command(tmp_path))
    out = capsys.readouterr().out
    assert code == 1
    assert "2 passed" in out and "B-BROKE" in out and "1 failed" in out
    assert out.count("======== ") >= 3 and "FAIL" in out and "ok  " in out
    assert set(json.loads(durations.read_text())) == {str(tmp_path / "a"), str(tmp_path / "b")}


def test_all_passing_is_exit_zero_and_the_longest_known_runs_first(tmp_path, capsys):
    write(tmp_path / "short", "ok", "")
    write(tmp_path / "long", "ok", "")
    durations = tmp_path / "durations.json"
    durations.write_text(json.dumps({str(tmp_path / "long"): 500, str(tmp_path / "short"): 5}))
    code = parallel.run([str(tmp_path / "short"), str(tmp_path / "long")], 1, ["-q"], durations, command(tmp_path))
    out = capsys.readouterr().out
    assert code == 0
    assert out.index(f"started {tmp_path / 'long'}") < out.index(f"started {tmp_path / 'short'}")


def test_without_durations_the_directory_with_more_tests_ranks_first(tmp_path):
    write(tmp_path / "one", "test_1.py", "def test_a():\n    pass\n")
    write(tmp_path / "three", "test_3.py", "".join(f"def test_{n}():\n    pass\n" for n in "abc"))
    ranked = parallel.weights([str(tmp_path / "one"), str(tmp_path / "three")], tmp_path / "none.json")
    assert ranked[str(tmp_path / "three")] > ranked[str(tmp_path / "one")]
