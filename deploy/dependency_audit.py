"""``python3 -m deploy.dependency_audit``: pip-audit over the locked dependencies (``requirements.lock``).

- fails (exit 1) on a known vulnerability for which a fixed version exists: upgrade that pin in
  ``requirements.lock`` (and ``requirements.in``) and keep the tests green;
- lists known vulnerabilities without a fix (exit 0: nothing to upgrade to yet);
- a package pip-audit could not audit (PyPI's per-release JSON ``/pypi/<name>/<version>/json``
  answers "not found" where pypi.org is reached through a mirror that serves only the project JSON)
  is audited from the project JSON ``/pypi/<name>/json`` instead, whose ``vulnerabilities`` are those
  of the newest release: exact when the pin *is* the newest release; a pin behind it stays "not
  audited" and is named (PyPI gives no advisory data for it here);
- when no advisory data can be reached for any package (pip-audit cannot be installed and the JSON API
  does not answer, or the network is down) prints ``pip-audit: SKIPPED`` and why. pip-audit itself
  reports "No known vulnerabilities found" when it could audit nothing; that is not a pass and is never
  reported as one here.

pip-audit runs from its own virtualenv (``.venv-audit``, pinned version) so its dependencies never
mix with the platform's locked ones.
"""
from __future__ import annotations

import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PIP_AUDIT_VERSION = os.environ.get("PIP_AUDIT_VERSION", "2.10.1")
AUDIT_VENV = ROOT / ".venv-audit"
PYPI_JSON = os.environ.get("PYPI_JSON_URL", "https://pypi.org/pypi")


def locked(path: Path = ROOT / "requirements.lock") -> list[tuple[str, str]]:
    """(name, version) of every pin of the lock file."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].split(";", 1)[0].strip()
        if "==" in line and not line.startswith("-"):
            name, version = line.split("==", 1)
            out.append((name.split("[", 1)[0].strip(), version.strip().split()[0]))
    return out


def _project_json(name: str) -> dict | None:
    try:
        with urllib.request.urlopen(f"{PYPI_JSON}/{name}/json", timeout=30) as response:
            return json.load(response)
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError):
        return None     # unreachable, cut short (IncompleteRead), or not JSON: no advisory data for it


def from_project_json(name: str, version: str, project: dict | None) -> dict:
    """A pip-audit style dependency entry from PyPI's project JSON (advisories of its newest release)."""
    if project is None:
        return {"name": name, "version": version, "skip_reason": "PyPI's project JSON did not answer"}
    newest = (project.get("info") or {}).get("version")
    if newest != version:
        return {"name": name, "version": version,
                "skip_reason": f"pinned {version}, newest {newest}: no advisory data for the pin here"}
    vulns = [{"id": v.get("id"), "fix_versions": v.get("fixed_in") or [], "aliases": v.get("aliases") or []}
             for v in project.get("vulnerabilities") or [] if not v.get("withdrawn")]
    return {"name": name, "version": version, "vulns": vulns, "source": "pypi project json"}


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pinned_version(d: dict, pins: dict[str, str]) -> str:
    """The version of a report entry: pip-audit 2.10 leaves it out of a skipped entry ("... could not be
    audited: alembic (1.20.1)"), so it comes from the lock file, else from that reason's parenthesis."""
    if d.get("version"):
        return str(d["version"])
    if _canonical(d["name"]) in pins:
        return pins[_canonical(d["name"])]
    found = re.search(r"\(([^()\s]+)\)\s*$", d.get("skip_reason") or "")
    return found.group(1) if found else "?"


def fill_skipped(report: dict, fetch=_project_json, pins: dict[str, str] | None = None) -> dict:
    """The report with every package pip-audit skipped audited from the project JSON where it can be."""
    if pins is None:
        pins = {_canonical(n): v for n, v in locked()}
    deps = report.get("dependencies", [])
    todo = [{**d, "version": _pinned_version(d, pins)} for d in deps if d.get("skip_reason")]

    def one(d: dict) -> dict:
        try:
            return from_project_json(d["name"], d["version"], fetch(d["name"]))
        except Exception as exc:     # noqa: BLE001 - any failure for one package leaves it "not audited"
            return {**d, "skip_reason": f"PyPI's project JSON failed: {type(exc).__name__}: {exc}"}

    with ThreadPoolExecutor(8) as pool:
        filled = list(pool.map(one, todo))
    by_name = {d["name"]: d for d in filled}
    return {**report, "dependencies": [by_name.get(d["name"], d) if d.get("skip_reason") else d for d in deps]}


def decide(report: dict) -> tuple[int, list[str]]:
    """(exit code, lines to print) for a pip-audit JSON report."""
    deps = report.get("dependencies", [])
    skipped = [d for d in deps if d.get("skip_reason")]
    audited = [d for d in deps if not d.get("skip_reason")]
    vulns = [(d, v) for d in audited for v in d.get("vulns", [])]
    fixable = [(d, v) for d, v in vulns if v.get("fix_versions")]
    lines = []
    if not audited:
        reason = skipped[0]["skip_reason"] if skipped else "no packages in the report"
        lines.append(f"pip-audit: SKIPPED - PyPI's advisory data could not be reached for any of the {len(deps)} "
                     f"locked packages ({reason}). This is not a pass: run it where pypi.org answers.")
        return 0, lines
    fallback = sum(1 for d in audited if d.get("source"))
    lines.append(f"pip-audit: {len(audited)} of {len(deps)} locked packages audited ({fallback} from PyPI's "
                 f"project JSON); {len(vulns)} known vulnerabilities, {len(fixable)} with a fix")
    if skipped:
        lines.append("pip-audit: NOT audited (no advisory data reachable for the pinned version): "
                     + ", ".join(f"{d['name']}=={d['version']} ({d['skip_reason']})" for d in skipped))
    for d, v in vulns:
        fix = ", ".join(v.get("fix_versions") or []) or "no fix yet"
        lines.append(f"  {d['name']}=={d['version']}: {v.get('id')} (fixed in: {fix})")
    if fixable:
        lines.append("pip-audit: FAILED - upgrade the pins above in requirements.lock")
        return 1, lines
    return 0, lines


def _pip_audit() -> Path | None:
    explicit = os.environ.get("PIP_AUDIT")
    if explicit:
        return Path(explicit)
    binary = AUDIT_VENV / "bin" / "pip-audit"
    if binary.exists():
        return binary
    try:
        subprocess.run([sys.executable, "-m", "venv", str(AUDIT_VENV)], check=True, capture_output=True, timeout=300)
        subprocess.run([str(AUDIT_VENV / "bin" / "pip"), "install", "-q", f"pip-audit=={PIP_AUDIT_VERSION}"],
                       check=True, capture_output=True, timeout=600)
    except (subprocess.SubprocessError, OSError) as exc:
        print(f"pip-audit: pip-audit {PIP_AUDIT_VERSION} could not be installed ({exc}); auditing from PyPI's "
              "project JSON alone")
        return None
    return binary


def main() -> int:
    binary = _pip_audit()
    if binary is None:     # no pip-audit: every locked package from the project JSON
        code, lines = decide(fill_skipped({"dependencies": [
            {"name": n, "version": v, "skip_reason": "pip-audit not installed"} for n, v in locked()]}))
        print("\n".join(lines))
        return code
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        command = [str(binary), "-r", str(ROOT / "requirements.lock"), "--no-deps", "--disable-pip",
                   "--vulnerability-service", "pypi", "--progress-spinner", "off", "-f", "json", "-o", str(out)]
        try:
            run = subprocess.run(command, capture_output=True, text=True, timeout=600)
        except subprocess.TimeoutExpired:
            print("pip-audit: SKIPPED - no answer from PyPI's advisory data within 10 minutes")
            return 0
        if not out.exists():
            print("pip-audit: SKIPPED - pip-audit could not query the advisory data: "
                  + (run.stderr.strip().splitlines() or ["no output"])[-1])
            return 0
        code, lines = decide(fill_skipped(json.loads(out.read_text())))
    print("\n".join(lines))
    return code


if __name__ == "__main__":
    sys.exit(main())
