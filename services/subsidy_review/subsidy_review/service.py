"""Entry module for ``nameko run subsidy_review.service:SubsidyReviewService``."""
from subsidy_review.entrypoints.service import SubsidyReviewService  # noqa: F401
