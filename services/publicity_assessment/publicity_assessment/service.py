"""Entry module for ``nameko run publicity_assessment.service``."""
from publicity_assessment.entrypoints.service import PublicityAssessmentService  # noqa: F401
