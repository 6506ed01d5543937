"""``python3 -m deploy.dependency_audit``: pip-audit over the locked dependencies (``requirements.lock``).

- fails (exit 1) on a known vulnerability for which a fixed version exists: upgrade that pin in
  ``requirements.lock`` (and ``requirements.in``) and keep the tests green;
- lists known vulnerabilities without a fix (exit 0: nothing to upgrade to yet);
- when PyPI's advisory data cannot be reached - pip-audit cannot be installed, the JSON API answers
  "not found" for the packages, or the network is down - prints ``pip-audit: SKIPPED`` and why.
  pip-audit itself reports "No known vulnerabilities found" when it could audit nothing; that is not
  a pass and is never reported as one here.

pip-audit runs from its own virtualenv (``.venv-audit``, pinned version) so its dependencies never
mix with the platform's locked ones.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PIP_AUDIT_VERSION = os.environ.get("PIP_AUDIT_VERSION", "2.10.1")
AUDIT_VENV = ROOT / ".venv-audit"


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
    lines.append(f"pip-audit: {len(audited)} of {len(deps)} locked packages audited; {len(vulns)} known "
                 f"vulnerabilities, {len(fixable)} with a fix")
    if skipped:
        lines.append("pip-audit: not audited (no advisory data): " + ", ".join(d["name"] for d in skipped))
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
        subprocess.run([sys.executable, "-m", "venv", str(AUDIT_VENV)], check=True, capture_output=True, timeout=120)
        subprocess.run([str(AUDIT_VENV / "bin" / "pip"), "install", "-q", f"pip-audit=={PIP_AUDIT_VERSION}"],
                       check=True, capture_output=True, timeout=600)
    except (subprocess.SubprocessError, OSError) as exc:
        print(f"pip-audit: SKIPPED - pip-audit {PIP_AUDIT_VERSION} could not be installed ({exc})")
        return None
    return binary


def main() -> int:
    binary = _pip_audit()
    if binary is None:
        return 0
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
        code, lines = decide(json.loads(out.read_text()))
    print("\n".join(lines))
    return code


if __name__ == "__main__":
    sys.exit(main())
