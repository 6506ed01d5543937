"""/api/v1 line B, housing-subsidy remittance (住房补贴汇缴): employers (housing_fund)."""
import marshmallow as ma
from flask_smorest import Blueprint

from gateway.api.schemas import PageArgs, list_args, page_of
from gateway.context import call

bp = Blueprint("housing", __name__, url_prefix="/api/v1", description="住房补贴汇缴（housing_fund）")

EMPLOYER_STATUSES = ["01", "02", "03", "04", "05"]


class Employer(ma.Schema):
    id = ma.fields.String()
    name = ma.fields.String(metadata={"description": "单位名称"})
    org_code = ma.fields.String(metadata={"description": "组织机构代码（单位登录账号）"})
    region = ma.fields.String()
    region_name = ma.fields.String(allow_none=True)
    status = ma.fields.String(metadata={"description": "单位状态：01正常 02开户 03缓缴 04销户 05封存"})
    status_label = ma.fields.String()
    created_at = ma.fields.String(allow_none=True)


class EmployerFilter(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(EMPLOYER_STATUSES))
    region = ma.fields.String(validate=ma.validate.Regexp(r"^\d{6}$"))


@bp.route("/employers", methods=["GET"])
@bp.arguments(EmployerFilter, location="query")
@bp.response(200, page_of(Employer))
def list_employers(args):
    """缴存单位列表（住建局：本辖区），按状态、区划、名称或组织机构代码筛选"""
    return call("housing_fund", "list_employers", *list_args(args))
