from pathlib import Path

import yaml

from shared.testing.service import service_fixtures
from subsidy_review.entrypoints.service import SubsidyReviewService
from subsidy_review.seed import seed

ROOT = Path(__file__).resolve().parents[4]
DEMO = yaml.safe_load((ROOT / "deploy" / "demo" / "city.yaml").read_text(encoding="utf-8"))

globals().update(service_fixtures("subsidy_review", SubsidyReviewService, seed=lambda url: seed(url, DEMO)))
