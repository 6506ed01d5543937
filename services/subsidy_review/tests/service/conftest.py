import yaml

from subsidy_review.entrypoints.service import SubsidyReviewService
from subsidy_review.seed import seed
from tests.support.service import ROOT, service_fixtures

DEMO = yaml.safe_load((ROOT / "deploy" / "demo" / "city.yaml").read_text(encoding="utf-8"))

globals().update(service_fixtures("subsidy_review", SubsidyReviewService, seed=lambda url: seed(url, DEMO)))
