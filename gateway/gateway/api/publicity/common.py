"""The blueprint of /api/v1 publicity and assessment, the service it calls and its case statuses."""
from flask_smorest import Blueprint

bp = Blueprint("publicity", __name__, url_prefix="/api/v1",
               description="公示、异议、评审与上报县组织部（publicity_assessment）")

SERVICE = "publicity_assessment"
CASE_STATUSES = ["awaiting_publicity", "in_publicity", "objection_upheld", "publicity_passed", "assessment_passed",
                 "assessment_failed", "reported"]
