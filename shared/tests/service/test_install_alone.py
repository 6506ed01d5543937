"""One service installs and tests alone (issue 16): a fresh virtualenv gets ``shared`` and that one service
from copies of their source directories (no repository on the path), their dependencies from the package
index at the versions of ``requirements.lock``; the service's unit tests then pass with that venv's python,
and nothing else of the platform is importable there.

Slow (a venv and ~45 packages from the index or pip's cache: 30-40 s on a quiet machine): it lives in the service tier.
``INSTALL_ALONE_SERVICE`` picks another service (default unit_registry).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SERVICE = os.environ.get("INSTALL_ALONE_SERVICE", "unit_registry")
OTHER_SERVICES = sorted(p.parent.name for p in (ROOT / "services").glob("*/pyproject.toml") if p.parent.name != SERVICE)
COPY_IGNORE = shutil.ignore_patterns("tests", "__pycache__", "*.egg-info", "build", "dist")


class Alone:
    """The venv, the directory the tests run from, and how long each step took."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.python = root / "venv" / "bin" / "python"
        self.run_dir = root / "run"
        self.env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
        self.timings: dict[str, float] = {}

    def step(self, name: str, argv: list, timeout: float = 300) -> subprocess.CompletedProcess:
        start = time.monotonic()
        done = subprocess.run([str(a) for a in argv], cwd=self.run_dir, env=self.env, capture_output=True,
                              text=True, timeout=timeout)
        self.timings[name] = round(time.monotonic() - start, 1)
        return done

    def pip(self, name: str, *args) -> None:
        """``pip install`` into the venv, run by this interpreter's pip (``--python``: the venv is made
        without one, seconds saved); no byte-compiling of the ~45 packages (most of pip's time here)."""
        done = self.step(name, [sys.executable, "-m", "pip", "--python", self.python, "install", "-q",
                                "--disable-pip-version-check", "--no-compile",
                                "--constraint", ROOT / "requirements.lock", *args])
        assert done.returncode == 0, f"pip install ({name}) failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"

    def imports(self, module: str) -> subprocess.CompletedProcess:
        return self.step(f"import {module}", [self.python, "-c", f"import {module}"])


@pytest.fixture(scope="module")
def alone(tmp_path_factory) -> Alone:
    env = Alone(tmp_path_factory.mktemp("install-alone"))
    env.run_dir.mkdir()
    src = env.root / "src"
    shutil.copytree(ROOT / "shared", src / "shared", ignore=COPY_IGNORE)
    shutil.copytree(ROOT / "services" / SERVICE, src / SERVICE, ignore=COPY_IGNORE)
    shutil.copytree(ROOT / "services" / SERVICE / "tests" / "unit", env.run_dir / f"{SERVICE}_tests" / "unit")

    done = env.step("venv", [sys.executable, "-m", "venv", "--without-pip", env.root / "venv"])
    assert done.returncode == 0, done.stderr
    # the locked setuptools builds both projects' wheels (--no-build-isolation: no build env per project)
    env.pip("setuptools", "setuptools")
    env.pip("shared + service", "--no-build-isolation", f"{src / 'shared'}[testing]", f"{src / SERVICE}[test]")
    return env


def test_the_service_unit_tests_pass_in_a_venv_with_shared_and_that_service_alone(alone):
    done = alone.step("unit tests", [alone.python, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                                     "--import-mode=importlib", "-p", "shared.testing.fixtures",
                                     f"{SERVICE}_tests/unit"])
    output = done.stdout + done.stderr
    print(f"\ninstall alone ({SERVICE}), seconds per step: {alone.timings}")
    assert done.returncode == 0, output[-5000:]
    summary = re.search(r"(\d+) passed(.*) in [\d.]+s", output)
    # a skip here (an importorskip, a missing file) would be a test the install alone does not run
    assert summary and int(summary.group(1)) > 0 and not re.search("failed|error|skipped", summary.group(2)), \
        output[-2000:]


def test_the_venv_holds_that_service_and_shared_only(alone):
    """The service's entry point, nameko's CLI and the test plugin import; no other service nor the gateway
    nor the repository's ``tests`` does; pip finds every requirement met."""
    for module in [f"{SERVICE}.service", "shared.testing.fixtures", "shared.testing.service"]:
        done = alone.imports(module)
        assert done.returncode == 0, f"{module}: {done.stderr[-2000:]}"
    assert alone.step("nameko --help", [alone.python.parent / "nameko", "--help"]).returncode == 0
    for module in [*OTHER_SERVICES, "gateway", "tests.support"]:
        done = alone.imports(module)
        assert done.returncode != 0 and "ModuleNotFoundError" in done.stderr, f"{module} is importable alone"
    done = alone.step("pip check", [sys.executable, "-m", "pip", "--python", alone.python, "check"])
    assert done.returncode == 0, done.stdout
    print(f"\ninstall alone ({SERVICE}), seconds per step: {alone.timings}")
