"""Each installable package declares what it imports (issue 16): ``shared``, every service and the gateway
install alone, so a third-party import missing from a package's own ``pyproject.toml`` would only show on
a machine where the monorepo's venv is not there to hide it.

- the package's code (and a service's migrations) against its ``dependencies``;
- ``shared.testing`` against ``dependencies`` plus the ``testing`` extra;
- the package's ``tests/`` against ``dependencies`` plus its optional dependencies (``test``, ``testing``).

A dependency declared but imported nowhere fails too, unless it is in ``RUNTIME_ONLY`` with the reason;
every declared range must hold the version pinned in ``requirements.lock``.
"""
from __future__ import annotations

import ast
import importlib.metadata
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.unit.test_architecture import ROOT, SERVICES, imports_of

PACKAGES = {"shared": ROOT / "shared", "gateway": ROOT / "gateway",
            **{name: ROOT / "services" / name for name in SERVICES}}

# needed at run time but never imported by name
RUNTIME_ONLY = {
    "psycopg2-binary": "SQLAlchemy's PostgreSQL driver, loaded from the postgresql+psycopg2:// URLs",
    "setuptools": "nameko's CLI (`nameko run`) imports pkg_resources, gone from setuptools 82",
}


@dataclass(frozen=True)
class Project:
    name: str                                # the import name: shared, gateway, <service>
    directory: Path
    distribution: str                        # canonical distribution name (platform-...)
    dependencies: dict[str, Requirement]     # canonical name -> requirement
    extras: dict[str, dict[str, Requirement]]

    @classmethod
    def read(cls, name: str, directory: Path) -> Project:
        meta = tomllib.loads((directory / "pyproject.toml").read_text(encoding="utf-8"))["project"]

        def parsed(lines):
            return {canonicalize_name(r.name): r for r in map(Requirement, lines)}
        return cls(name, directory, canonicalize_name(meta["name"]), parsed(meta.get("dependencies", [])),
                   {extra: parsed(lines) for extra, lines in meta.get("optional-dependencies", {}).items()})

    def code_groups(self) -> list[tuple[str, list[Path], set[str]]]:
        """(what, files, distributions allowed) for the package's code, shared.testing and the tests."""
        every_extra = set().union(*self.extras.values()) if self.extras else set()
        package = self.directory / self.name
        testing = package / "testing"
        code = [p for p in package.rglob("*.py") if testing not in p.parents]
        code += sorted((self.directory / "migrations").rglob("*.py"))
        groups = [("code", code, set(self.dependencies))]
        if testing.is_dir():
            groups.append(("shared.testing", sorted(testing.rglob("*.py")),
                           set(self.dependencies) | set(self.extras.get("testing", {}))))
        groups.append(("tests", sorted((self.directory / "tests").rglob("*.py")),
                       set(self.dependencies) | every_extra))
        return groups


def imported(path: Path) -> set[str]:
    """``imports_of`` plus the modules of ``pytest.importorskip("...")``: a skip must not hide a missing
    declaration (the test would be skipped where the package is installed alone)."""
    names = imports_of(path)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "importorskip" and node.args \
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            names.add(node.args[0].value.split(".")[0])
    return names


def local_modules(directory: Path) -> set[str]:
    """Module names a test directory provides itself (a sample service put on sys.path by its conftest)."""
    return {p.stem for p in directory.rglob("*.py")} | {p.name for p in directory.rglob("*") if p.is_dir()}


def distributions_of(module: str, first_party: dict[str, str]) -> set[str]:
    """The distributions that provide an importable top-level name (several for a namespace)."""
    if module in first_party:
        return {first_party[module]}
    return {canonicalize_name(d) for d in importlib.metadata.packages_distributions().get(module, [])}


def problems(project: Project, first_party: dict[str, str]) -> list[str]:
    """What is imported but not declared, declared but not imported, or unknown; [] when consistent."""
    found, used = [], set()
    local = local_modules(project.directory / "tests")
    for what, files, allowed in project.code_groups():
        importers: dict[str, list[Path]] = {}
        for path in files:
            for module in imported(path):
                if module in sys.stdlib_module_names or module == project.name or module == "__future__":
                    continue
                if what == "tests" and module in local:
                    continue
                importers.setdefault(module, []).append(path.relative_to(project.directory))
        for module, paths in sorted(importers.items()):
            where = f"{paths[0]}" + (f" and {len(paths) - 1} more" if len(paths) > 1 else "")
            providers = distributions_of(module, first_party)
            if not providers:
                found.append(f"{where} ({what}): no installed distribution provides {module!r}")
            elif not providers & allowed:
                found.append(f"{where} ({what}) imports {module!r}: declare one of {sorted(providers)} in "
                             f"{project.directory.name}/pyproject.toml")
            used |= providers
    declared = set(project.dependencies).union(*project.extras.values())
    for name in sorted(declared - used - set(RUNTIME_ONLY) - {project.distribution}):
        found.append(f"{name} is declared but imported nowhere in {project.directory.name}")
    return found


def lock_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.lstrip().startswith("#"):
            name, version = line.split("#")[0].strip().split("==")
            pins[canonicalize_name(name)] = version
    return pins


def first_party_names() -> dict[str, str]:
    return {name: Project.read(name, directory).distribution for name, directory in PACKAGES.items()}


@pytest.mark.parametrize("name", sorted(PACKAGES))
def test_every_import_is_declared_and_every_declaration_imported(name):
    found = problems(Project.read(name, PACKAGES[name]), first_party_names())
    assert not found, "\n".join(found)


@pytest.mark.parametrize("name", sorted(PACKAGES))
def test_declared_ranges_hold_the_locked_versions(name):
    """The monorepo venv installs requirements.lock: every package's ranges must accept those pins."""
    project, pins, first_party = Project.read(name, PACKAGES[name]), lock_pins(), set(first_party_names().values())
    for requirement in [*project.dependencies.values(), *(r for e in project.extras.values() for r in e.values())]:
        key = canonicalize_name(requirement.name)
        if key in first_party:
            assert not requirement.specifier, f"{requirement}: a first-party package is installed from its path"
            continue
        assert key in pins, f"{name}: {requirement.name} is not pinned in requirements.lock"
        assert requirement.specifier.contains(pins[key], prereleases=True), \
            f"{name}: {requirement} excludes the locked {requirement.name}=={pins[key]}"


def test_the_check_finds_an_undeclared_and_an_unused_dependency(tmp_path):
    """The check above can fail: a package importing yaml without declaring it, declaring an unused lib."""
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "platform-demo"\ndependencies = ["platform-shared", "openpyxl"]\n'
        '[project.optional-dependencies]\ntest = ["pytest"]\n', encoding="utf-8")
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "__init__.py").write_text("import json\nimport yaml\nfrom shared import errors\n"
                                                   "from demo import x\n", encoding="utf-8")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text("import pytest\nimport helper_here\n", encoding="utf-8")
    (tmp_path / "tests" / "helper_here.py").write_text("", encoding="utf-8")
    found = problems(Project.read("demo", tmp_path), {"shared": "platform-shared"})
    assert len(found) == 2, found
    assert "imports 'yaml'" in found[0] and "pyyaml" in found[0]
    assert found[1] == "openpyxl is declared but imported nowhere in " + tmp_path.name
    (tmp_path / "tests" / "test_x.py").write_text("import pytest\nimport openpyxl\n\ndef test_x():\n"
                                                  "    pytest.importorskip('yaml')\n", encoding="utf-8")
    found = problems(Project.read("demo", tmp_path), {"shared": "platform-shared"})
    assert len(found) == 2 and "tests) imports 'yaml'" in found[1], found
