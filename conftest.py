"""Root conftest: eventlet first (nameko needs the whole process green), then the shared fixtures."""
import os

# hypothesis loads plugins by entry point; trio's (a selenium dependency) breaks under eventlet
os.environ.setdefault("HYPOTHESIS_NO_PLUGINS", "1")
# the gateway refuses to start without a real secret (gateway.cookies.check_secret): one random per run
os.environ.setdefault("GATEWAY_SECRET_KEY", __import__("secrets").token_hex(32))

import eventlet  # noqa: E402

eventlet.monkey_patch()

import sys  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:  # `tests` and `deploy` import from the repository root
    sys.path.insert(0, str(ROOT))

# Import the project's packages before pytest collects tests: in importlib mode pytest registers
# stand-in parent modules named after test paths (``gateway.tests.unit``), which would shadow a real
# package of the same name (``gateway``) not yet imported.
import importlib  # noqa: E402

for _package in ["shared", "gateway"] + sorted(p.parent.name for p in (ROOT / "services").glob("*/pyproject.toml")):
    try:
        importlib.import_module(_package)
    except ModuleNotFoundError:  # not installed yet (`make install` does it); its own tests will say so
        pass

pytest_plugins = ["shared.testing.fixtures"]
