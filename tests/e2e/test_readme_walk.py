"""The curl walk the README shows (deploy/demo/walk.sh) works against the platform as `make run` starts it."""
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_curl_walk_reaches_receipt_confirmed(platform):
    env = dict(os.environ, PLATFORM_VAR_DIR=str(platform.config.var_dir), CLOCK_DAYS="15",
               PYTHONWARNINGS="ignore")
    result = subprocess.run([str(ROOT / "deploy" / "demo" / "walk.sh"), platform.config.gateway_url],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "final status: receipt_confirmed" in result.stdout
    assert "\n13 个人确认拨付" in result.stdout
