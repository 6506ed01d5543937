"""The blueprint of /api/v1/applications and the status filter its lists share."""
import marshmallow as ma
from flask_smorest import Blueprint

bp = Blueprint("applications", __name__, url_prefix="/api/v1", description="补助申请与审核（subsidy_review）")

STATUS = ma.fields.String(metadata={"description": "状态，多个用逗号分隔，如 pending_unit_review"})
