"""The status and role labels the screens show: taken from the contracts, never written here."""
from __future__ import annotations

from shared.auth.roles import LABELS as ROLE_LABEL_OF
from shared.contracts.housing_fund import (
    EMPLOYER_STATUSES,
)
from shared.contracts.publicity_assessment import CASE_LABELS
from shared.contracts.statuses import APPLICATION_STATUSES

APPLICATION_LABELS = {k: v for k, (_, v) in APPLICATION_STATUSES.items()}
ASSESSMENT_LABELS = {k: CASE_LABELS[k] for k in ("publicity_passed", "assessment_passed", "assessment_failed",
                                                 "reported")}
EMPLOYER_LABELS = EMPLOYER_STATUSES
ROLE_LABELS = {str(role): label for role, label in ROLE_LABEL_OF.items()}
