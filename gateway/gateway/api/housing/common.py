"""The blueprint of /api/v1 line B's employers and the service it calls."""
from __future__ import annotations

from flask_smorest import Blueprint

bp = Blueprint("housing", __name__, url_prefix="/api/v1", description="住房补贴汇缴（housing_fund）")

SERVICE = "housing_fund"
