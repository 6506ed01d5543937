"""The blueprint of /api/v1 units and individuals, the service it calls and its vocabularies."""
import marshmallow as ma
from flask_smorest import Blueprint

bp = Blueprint("registry", __name__, url_prefix="/api/v1", description="单位与个人注册审核（unit_registry）")

SERVICE = "unit_registry"
STATUSES = ["pending", "approved", "returned"]
DEGREES = ["college", "bachelor", "master", "doctor"]
ID_TYPES = ["resident_id", "hmt_residence", "foreigner_permanent", "passport", "other"]
REGION = ma.validate.Regexp(r"^\d{6}$")
