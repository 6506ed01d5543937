"""Per-agency deployment files (deploy/agencies/*/agency.env): each loads, together they run every process
of the Procfile exactly once, and a broken file is refused with a clear message."""
from pathlib import Path

import pytest

from deploy.agency import Agency, AgencyConfigError, main, read_env_file
from deploy.stack import procfile

AGENCIES = Path(__file__).resolve().parents[2] / "deploy" / "agencies"
FILES = sorted(AGENCIES.glob("*/agency.env"))


def test_the_agencies_run_every_process_exactly_once():
    services = [s for path in FILES for s in Agency.load(path).services]
    assert sorted(services) == sorted(name for name, _ in procfile())
    assert {Agency.load(path).name for path in FILES} == {path.parent.name for path in FILES}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.parent.name)
def test_each_agency_has_its_own_broker_user_and_database_per_service(path):
    agency = Agency.load(path)
    for service in agency.services:
        assert f"platform.{service}:" in agency.amqp_uri(service)       # never the administrator
        if service != "gateway":
            assert agency.env[f"{service.upper()}_DATABASE_URL"].endswith(f"/subsidy_{service}")
    assert ("JWT_KEYS_DIR" in agency.env) == ("identity" in agency.services)   # only identity signs


def test_a_broken_env_file_is_refused_with_what_is_wrong(tmp_path, capsys):
    bad = tmp_path / "agency.env"
    bad.write_text('AGENCY=x\nSERVICES="org_confirmation ledger"\n# no URLs\n', encoding="utf-8")
    with pytest.raises(AgencyConfigError) as error:
        Agency.load(bad)
    message = str(error.value)
    assert "ledger 不是平台的进程" in message and "ORG_CONFIRMATION_DATABASE_URL 未设置" in message
    assert "JWT_JWKS_FILE 未设置" in message
    assert main(["plan", str(bad)]) == 2 and "配置错误" in capsys.readouterr().err
    (tmp_path / "syntax.env").write_text("AGENCY x\n", encoding="utf-8")
    with pytest.raises(AgencyConfigError, match="syntax.env:1"):
        read_env_file(tmp_path / "syntax.env")


def test_env_values_expand_the_environment_and_lose_their_quotes(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_PW", "s3cret")
    path = tmp_path / "a.env"
    path.write_text("A='x y'\nB=\"pyamqp://u:${SECRET_PW}@h/%2F\"\n", encoding="utf-8")
    assert read_env_file(path) == {"A": "x y", "B": "pyamqp://u:s3cret@h/%2F"}
