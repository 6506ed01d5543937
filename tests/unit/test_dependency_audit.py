"""The dependency audit's verdict: fail on a fixable vulnerability, never a pass when nothing could be
audited (pip-audit itself says "No known vulnerabilities found" then)."""
from deploy.dependency_audit import decide


def dep(name, vulns=(), skip=None):
    d = {"name": name, "version": "1.0", "vulns": list(vulns)}
    if skip:
        d["skip_reason"] = skip
    return d


def test_a_vulnerability_with_a_fix_fails():
    code, lines = decide({"dependencies": [dep("flask", [{"id": "PYSEC-1", "fix_versions": ["1.1"]}]), dep("x")]})
    assert code == 1 and any("PYSEC-1" in line and "1.1" in line for line in lines)


def test_a_vulnerability_without_a_fix_is_listed_not_failed():
    code, lines = decide({"dependencies": [dep("flask", [{"id": "GHSA-2", "fix_versions": []}])]})
    assert code == 0 and any("GHSA-2" in line and "no fix yet" in line for line in lines)


def test_nothing_audited_is_a_skip_not_a_pass():
    code, lines = decide({"dependencies": [dep("flask", skip="Dependency not found on PyPI"), dep("x", skip="n/a")]})
    assert code == 0 and lines[0].startswith("pip-audit: SKIPPED") and "not a pass" in lines[0]


def test_clean_audit_passes_and_names_what_was_not_audited():
    code, lines = decide({"dependencies": [dep("flask"), dep("local-pkg", skip="not on PyPI")]})
    assert code == 0 and "1 of 2" in lines[0] and "local-pkg" in lines[1]
