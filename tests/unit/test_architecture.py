"""Rules of the architecture, checked statically: services talk by events only; the shared package
knows no service; domain modules import no framework; the event catalogue matches the code."""
import ast
from pathlib import Path

import pytest

from shared import contracts

ROOT = Path(__file__).resolve().parents[2]
SERVICES = sorted(p.parent.name for p in (ROOT / "services").glob("*/pyproject.toml"))
FRAMEWORKS = {"nameko", "flask", "sqlalchemy", "kombu", "amqp", "pika", "eventlet", "flask_smorest"}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def python_files(directory: Path):
    return [p for p in directory.rglob("*.py") if "tests" not in p.parts]


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_imports_no_other_service(service):
    others = set(SERVICES) - {service}
    for path in python_files(ROOT / "services" / service):
        leaked = imports_of(path) & others
        assert not leaked, f"{path.relative_to(ROOT)} imports {leaked}: hand-offs go by events only"


def test_shared_and_gateway_import_no_service():
    for path in python_files(ROOT / "shared" / "shared") + python_files(ROOT / "gateway" / "gateway"):
        assert not imports_of(path) & set(SERVICES), path


@pytest.mark.parametrize("service", SERVICES)
def test_domain_modules_import_no_framework(service):
    domain = ROOT / "services" / service / service / "domain"
    for path in python_files(domain) if domain.exists() else []:
        assert not imports_of(path) & FRAMEWORKS, f"{path.relative_to(ROOT)} imports a framework"


def test_every_catalogued_event_has_a_valid_schema_and_known_consumers():
    import jsonschema
    for contract in contracts.CATALOGUE.values():
        jsonschema.Draft202012Validator.check_schema(contract.schema)
    for consumer, types in contracts.SUBSCRIPTIONS.items():
        for event_type in types:
            assert event_type in contracts.CATALOGUE, f"{consumer} subscribes to unknown {event_type}"


@pytest.mark.parametrize("service", SERVICES)
def test_subscriptions_of_the_catalogue_match_the_handlers(service):
    """declare-topology creates queues from the catalogue; each must have a handler, and vice versa."""
    import importlib

    from shared.service import subscribed_event_types
    module = importlib.import_module(f"{service}.service")
    classes = [c for c in vars(module).values() if isinstance(c, type) and getattr(c, "name", None) == service]
    assert classes, f"{service}.service defines no service class named {service}"
    assert subscribed_event_types(classes[0]) == set(contracts.SUBSCRIPTIONS.get(service, []))


def test_files_importing_the_root_tests_package_are_found(tmp_path):
    """The check below sees every form of such an import (and no relative or look-alike one)."""
    for source in ["from tests.support.helpers import rows", "import tests.support", "from tests import support",
                   "def f():\n    from tests.support import rabbit"]:
        (tmp_path / "t.py").write_text(source, encoding="utf-8")
        assert "tests" in imports_of(tmp_path / "t.py"), source
    for source in ["from .line_b import csv_of", "import testsuite", "from shared.testing import rabbit"]:
        (tmp_path / "t.py").write_text(source, encoding="utf-8")
        assert "tests" not in imports_of(tmp_path / "t.py"), source


@pytest.mark.parametrize("package", ["shared", "gateway"] + [f"services/{s}" for s in SERVICES])
def test_no_package_test_imports_the_root_tests_package(package):
    """A package's tests run where only it and ``shared`` are installed (issue 16): their helpers come from
    ``shared.testing``, never from the repository's ``tests`` package."""
    tests = ROOT / package / "tests"
    offenders = [str(p.relative_to(ROOT)) for p in sorted(tests.rglob("*.py")) if "tests" in imports_of(p)]
    assert tests.is_dir() and not offenders, f"import the helpers from shared.testing instead: {offenders}"
