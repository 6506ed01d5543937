"""The blueprint of /api/v1/auth, /api/v1/me and /api/v1/messages."""
from flask_smorest import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/api/v1", description="登录与账号管理（identity）")
