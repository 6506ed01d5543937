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


def project(version, vulns=()):
    return {"info": {"version": version}, "vulnerabilities": list(vulns)}


def test_a_skipped_pin_that_is_the_newest_release_is_audited_from_the_project_json():
    from deploy.dependency_audit import fill_skipped

    answers = {"jinja2": project("3.1.6", [{"id": "GHSA-x", "fixed_in": ["3.1.7"], "withdrawn": None}]),
               "flask": project("3.1.3"), "old": project("2.0"), "gone": None}
    report = {"dependencies": [dep(n, skip="Dependency not found on PyPI") for n in answers] + [dep("audited")]}
    for d in report["dependencies"]:
        d["version"] = {"jinja2": "3.1.6", "flask": "3.1.3", "old": "1.0"}.get(d["name"], "1.0")
    filled = fill_skipped(report, fetch=answers.get)
    code, lines = decide(filled)
    by_name = {d["name"]: d for d in filled["dependencies"]}
    assert by_name["flask"]["vulns"] == [] and "skip_reason" not in by_name["flask"]
    assert "newest 2.0" in by_name["old"]["skip_reason"] and by_name["gone"]["skip_reason"]
    assert code == 1 and "3 of 5" in lines[0] and any("GHSA-x" in line and "3.1.7" in line for line in lines)
    assert any("NOT audited" in line and "old==1.0" in line for line in lines)


def test_the_lock_file_pins_are_read():
    from deploy.dependency_audit import locked

    pins = dict(locked())
    assert pins["Flask"] and len(pins) > 20


def test_a_fetch_that_raises_leaves_that_package_not_audited_and_the_audit_still_decides():
    import http.client

    from deploy.dependency_audit import fill_skipped

    def fetch(name):
        if name == "cut":
            raise http.client.IncompleteRead(b"{")
        return project("1.0")

    report = {"dependencies": [dep("cut", skip="Dependency not found on PyPI"), dep("fine", skip="n/a")]}
    code, lines = decide(fill_skipped(report, fetch=fetch))
    assert code == 0 and "1 of 2" in lines[0]
    assert any("cut==1.0" in line and "IncompleteRead" in line for line in lines)


def test_a_skipped_entry_without_a_version_takes_the_pin_from_the_lock_file_or_its_reason():
    """pip-audit 2.10.1's own shape for a package it could not audit: no "version" key (CI crashed on it)."""
    from deploy.dependency_audit import fill_skipped

    report = {"dependencies": [
        {"name": "Flask", "skip_reason": "Dependency not found on PyPI and could not be audited: flask (3.1.3)"},
        {"name": "elsewhere", "skip_reason": "Dependency not found on PyPI and could not be audited: elsewhere (0.4)"},
        {"name": "odd", "skip_reason": "no parenthesis here"}]}
    filled = fill_skipped(report, fetch={"Flask": project("3.1.3"), "elsewhere": project("0.5")}.get,
                          pins={"flask": "3.1.3"})
    by_name = {d["name"]: d for d in filled["dependencies"]}
    assert by_name["Flask"]["version"] == "3.1.3" and by_name["Flask"]["vulns"] == []
    assert by_name["elsewhere"]["version"] == "0.4" and "newest 0.5" in by_name["elsewhere"]["skip_reason"]
    assert by_name["odd"]["version"] == "?" and by_name["odd"]["skip_reason"]
    code, lines = decide(filled)
    assert code == 0 and "1 of 3" in lines[0]
