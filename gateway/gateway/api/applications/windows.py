"""申报期 (application windows): city policy data, added and cancelled."""
import marshmallow as ma

from gateway.api.applications.common import bp
from gateway.api.schemas import Documented, Schema
from gateway.context import authorised_as, call


# -- 申报期 (application windows): city policy data -------------------------------------------------------
class WindowArgs(Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=50),
                            metadata={"description": "申报期名称，如 2027年度第一期"})
    opens_on = ma.fields.String(required=True, metadata={"description": "申报开始日期 YYYY-MM-DD（含）"})
    closes_on = ma.fields.String(required=True, metadata={"description": "申报截止日期 YYYY-MM-DD（含）"})
    graduated_from = ma.fields.String(allow_none=True, load_default=None,
                                      metadata={"description": "受理的毕业时间起（可空：不限）"})
    graduated_to = ma.fields.String(allow_none=True, load_default=None,
                                    metadata={"description": "受理的毕业时间止（可空：不限）"})


class ApplicationWindow(Documented):
    id = ma.fields.String()
    city = ma.fields.String()
    name = ma.fields.String()
    opens_on = ma.fields.String()
    closes_on = ma.fields.String()
    graduated_from = ma.fields.String(allow_none=True)
    graduated_to = ma.fields.String(allow_none=True)
    status = ma.fields.String()
    status_label = ma.fields.String()
    created_at = ma.fields.String(allow_none=True)


class ApplicationWindows(Documented):
    city = ma.fields.String()
    items = ma.fields.List(ma.fields.Nested(ApplicationWindow))


@bp.route("/policies/<city>/windows", methods=["GET"])
@bp.response(200, ApplicationWindows)
@authorised_as("subsidy_review", "list_windows")
def list_windows(city):
    """本市申报期及其受理的毕业时间范围（未设置申报期时全年受理）"""
    return call("subsidy_review", "list_windows", city)


@bp.route("/policies/<city>/windows", methods=["POST"])
@bp.arguments(WindowArgs)
@bp.response(201, ApplicationWindow)
@authorised_as("subsidy_review", "add_window")
def add_window(args, city):
    """新增申报期（系统管理员；同市申报期不得重叠）"""
    return call("subsidy_review", "add_window", city, args)


@bp.route("/application-windows/<window_id>/cancel", methods=["POST"])
@bp.response(200, ApplicationWindow)
@authorised_as("subsidy_review", "cancel_window")
def cancel_window(window_id):
    """撤销申报期（系统管理员；记录保留）"""
    return call("subsidy_review", "cancel_window", window_id)
