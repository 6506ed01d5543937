"""/api/v1 units (单位) and individuals (个人): registration and the unit's review (unit_registry)."""
import marshmallow as ma
from flask_smorest import Blueprint

from gateway.api.schemas import Int, PageArgs, Schema, list_args, page_of
from gateway.context import authorised_as, call

bp = Blueprint("registry", __name__, url_prefix="/api/v1", description="单位与个人注册审核（unit_registry）")

SERVICE = "unit_registry"
STATUSES = ["pending", "approved", "returned"]
DEGREES = ["college", "bachelor", "master", "doctor"]
ID_TYPES = ["resident_id", "hmt_residence", "foreigner_permanent", "passport", "other"]
REGION = ma.validate.Regexp(r"^\d{6}$")



# -- schemas -------------------------------------------------------------------------------------
class Unit(Schema):
    id = ma.fields.String()
    name = ma.fields.String(metadata={"description": "单位名称"})
    uscc = ma.fields.String(metadata={"description": "统一社会信用代码"})
    org_code = ma.fields.String(metadata={"description": "组织机构代码"})
    region = ma.fields.String()
    region_name = ma.fields.String(allow_none=True)
    supervisor_region = ma.fields.String(metadata={"description": "主管部门（审核的县区人社局）的区划"})
    supervisor_region_name = ma.fields.String(allow_none=True)
    leader = ma.fields.String(metadata={"description": "单位负责人"})
    leader_phone = ma.fields.String(metadata={"description": "负责人联系方式（列表中脱敏）"})
    admin_account_id = ma.fields.String(allow_none=True)
    status = ma.fields.String()
    status_label = ma.fields.String()
    opinion = ma.fields.String(allow_none=True)
    created_at = ma.fields.String(allow_none=True)
    updated_at = ma.fields.String(allow_none=True)
    approved_at = ma.fields.String(allow_none=True)
    round = Int(metadata={"description": "注册审核轮次（每次重新提交加1）"})
    terms_version = ma.fields.String(allow_none=True, metadata={"description": "已同意的用户须知版本"})
    terms_accepted_at = ma.fields.String(allow_none=True)


class AttachmentRef(Schema):
    id = ma.fields.String()
    sha256 = ma.fields.String()
    content_type = ma.fields.String()
    size = Int()
    kind = ma.fields.String()
    kind_label = ma.fields.String()
    filename = ma.fields.String()


class Round(Schema):
    round = Int()
    action = ma.fields.String(metadata={"description": "submitted/resubmitted/approved/returned/changed"})
    action_label = ma.fields.String()
    opinion = ma.fields.String(allow_none=True)
    actor_role = ma.fields.String()
    actor_name = ma.fields.String(allow_none=True)
    at = ma.fields.String()
    data = ma.fields.Dict(allow_none=True)


class FieldChange(Schema):
    field = ma.fields.String()
    label = ma.fields.String()
    before = ma.fields.String(allow_none=True)
    after = ma.fields.String(allow_none=True)


class UnitChange(Schema):
    id = ma.fields.String()
    unit_id = ma.fields.String()
    unit_name = ma.fields.String()
    uscc = ma.fields.String()
    supervisor_region = ma.fields.String()
    before = ma.fields.Dict()
    after = ma.fields.Dict()
    changes = ma.fields.List(ma.fields.Nested(FieldChange))
    change_summary = ma.fields.String()
    status = ma.fields.String()
    status_label = ma.fields.String()
    opinion = ma.fields.String(allow_none=True)
    created_at = ma.fields.String()
    decided_at = ma.fields.String(allow_none=True)
    attachments = ma.fields.List(ma.fields.Nested(AttachmentRef))
    history = ma.fields.List(ma.fields.Nested(Round))


class UnitDetail(Unit):
    individual_counts = ma.fields.Dict(keys=ma.fields.String(), values=Int(),
                                       metadata={"description": "本单位个人注册数（按审核状态）"})
    attachments = ma.fields.List(ma.fields.Nested(AttachmentRef), metadata={"description": "单位材料"})
    history = ma.fields.List(ma.fields.Nested(Round), metadata={"description": "每一轮提交与审核"})
    changes = ma.fields.List(ma.fields.Nested(UnitChange), metadata={"description": "单位信息变更申请"})


class UnitData(Schema):
    name = ma.fields.String(required=True, metadata={"description": "单位名称"})
    region = ma.fields.String(required=True, validate=REGION, metadata={"description": "行政区划（县区）"})
    supervisor_region = ma.fields.String(required=True, validate=REGION,
                                         metadata={"description": "主管部门：审核的县区人社局的区划"})
    uscc = ma.fields.String(required=True, metadata={"description": "统一社会信用代码（18位，含校验码）"})
    leader = ma.fields.String(required=True, metadata={"description": "单位负责人"})
    leader_phone = ma.fields.String(required=True, metadata={"description": "负责人联系方式（手机或带区号固话）"})
    terms_version = ma.fields.String(required=True, metadata={"description": "同意的用户须知版本"})
    attachment_ids = ma.fields.List(ma.fields.String(), required=True,
                                    metadata={"description": "单位材料：至少一个企业营业执照（business_license）"})


class UnitUpdate(Schema):
    name = ma.fields.String()
    region = ma.fields.String(validate=REGION)
    supervisor_region = ma.fields.String(validate=REGION)
    uscc = ma.fields.String()
    leader = ma.fields.String()
    leader_phone = ma.fields.String()
    attachment_ids = ma.fields.List(ma.fields.String(), metadata={"description": "变更证明材料"})


class UnitUpdateResult(Schema):
    applied = ma.fields.List(ma.fields.String(), metadata={"description": "已直接生效的字段"})
    change = ma.fields.Nested(UnitChange, allow_none=True, metadata={"description": "待县区人社局审核的变更"})
    unit = ma.fields.Nested(UnitDetail)


class ChangeFilter(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(STATUSES))


class PublicUnit(Schema):
    id = ma.fields.String()
    name = ma.fields.String()
    region = ma.fields.String()
    region_name = ma.fields.String(allow_none=True)


class UnitFilter(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(STATUSES))
    region = ma.fields.String(validate=REGION, metadata={"description": "县区（市级部门筛选用）"})


class PublicUnitFilter(PageArgs):
    region = ma.fields.String(validate=REGION, metadata={"description": "县区或地级市区划"})


class BankAccount(Schema):
    holder = ma.fields.String(required=True, metadata={"description": "户名（须为本人）"})
    bank = ma.fields.String(required=True, metadata={"description": "开户行"})
    number = ma.fields.String(required=True, metadata={"description": "银行卡号（12-30位数字）"})


class IndividualRegistration(Schema):
    attachment_ids = ma.fields.List(ma.fields.String(), load_default=list,
                                    metadata={"description": "证明材料（proof）附件标识"})
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=50))
    id_type = ma.fields.String(load_default="resident_id", validate=ma.validate.OneOf(ID_TYPES))
    id_number = ma.fields.String(required=True)
    mobile = ma.fields.String(required=True)
    degree = ma.fields.String(required=True, validate=ma.validate.OneOf(DEGREES))
    graduated_on = ma.fields.String(required=True, validate=ma.validate.Regexp(r"^\d{4}-\d{2}-\d{2}$"),
                                    metadata={"description": "毕业时间 YYYY-MM-DD"})
    bank_account = ma.fields.Nested(BankAccount, required=True)
    terms_version = ma.fields.String(load_default=None, allow_none=True, metadata={
        "description": "必填：同意的个人注册用户须知版本（GET /public/terms/individual 的 version）；"
                       "缺少为 400 terms.not_accepted，非当前版本为 400 terms.outdated"})


class Individual(Schema):
    id = ma.fields.String()
    account_id = ma.fields.String()
    unit_id = ma.fields.String()
    unit_name = ma.fields.String()
    region = ma.fields.String()
    region_name = ma.fields.String(allow_none=True)
    name = ma.fields.String()
    id_type = ma.fields.String()
    id_type_label = ma.fields.String()
    id_number = ma.fields.String(metadata={"description": "证件号码（列表中脱敏）"})
    mobile = ma.fields.String(metadata={"description": "手机号码（列表中脱敏）"})
    degree = ma.fields.String()
    degree_label = ma.fields.String()
    graduated_on = ma.fields.String()
    status = ma.fields.String()
    status_label = ma.fields.String()
    opinion = ma.fields.String(allow_none=True)
    created_at = ma.fields.String(allow_none=True)
    updated_at = ma.fields.String(allow_none=True)
    approved_at = ma.fields.String(allow_none=True)
    bank_account = ma.fields.Nested(BankAccount, metadata={"description": "仅详情"})
    round = Int()
    attachments = ma.fields.List(ma.fields.Nested(AttachmentRef), metadata={"description": "证明材料（仅详情）"})
    history = ma.fields.List(ma.fields.Nested(Round), metadata={"description": "每一轮提交与审核（仅详情）"})
    terms_version = ma.fields.String(allow_none=True, metadata={"description": "已同意的用户须知版本"})
    terms_accepted_at = ma.fields.String(allow_none=True, metadata={"description": "同意用户须知的时间"})


class IndividualFilter(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(STATUSES))
    unit_id = ma.fields.String(metadata={"description": "单位（县区人社局筛选用）"})


class ApproveArgs(Schema):
    opinion = ma.fields.String(load_default=None, validate=ma.validate.Length(max=500))


class ReturnArgs(Schema):
    opinion = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))


class BulkApproveArgs(Schema):
    individual_ids = ma.fields.List(ma.fields.String(), load_default=None,
                                    metadata={"description": "勾选的注册信息；不传则为本单位全部待审核"})


class BulkApproveResult(Schema):
    approved = Int()
    individual_ids = ma.fields.List(ma.fields.String())


# -- units ---------------------------------------------------------------------------------------
@bp.route("/units", methods=["GET"])
@bp.arguments(UnitFilter, location="query")
@bp.response(200, page_of(Unit))
@authorised_as(SERVICE, "list_units")
def list_units(args):
    """单位列表（县区人社局：本县区；市级部门：本市），按状态、区划、名称或信用代码筛选"""
    return call(SERVICE, "list_units", *list_args(args))


@bp.route("/units/mine", methods=["GET"])
@bp.response(200, UnitDetail)
@authorised_as(SERVICE, "my_unit")
def my_unit():
    """本单位信息（单位经办人）"""
    return call(SERVICE, "my_unit")


@bp.route("/units/mine", methods=["PATCH"])
@bp.arguments(UnitUpdate)
@bp.response(200, UnitUpdateResult)
@authorised_as(SERVICE, "update_unit")
def update_unit(args):
    """单位信息管理：负责人及联系方式即时生效；单位名称、统一社会信用代码、行政区划的变更经县区人社局审核后生效"""
    return call(SERVICE, "update_unit", args)


@bp.route("/units/<unit_id>", methods=["GET"])
@bp.response(200, UnitDetail)
@authorised_as(SERVICE, "get_unit")
def get_unit(unit_id):
    """单位详情（含单位材料、每一轮审核记录与变更申请）"""
    return call(SERVICE, "get_unit", unit_id)


@bp.route("/units/<unit_id>/history", methods=["GET"])
@bp.response(200, Round(many=True))
@authorised_as(SERVICE, "unit_history")
def unit_history(unit_id):
    """单位注册与变更的每一轮记录"""
    return call(SERVICE, "unit_history", unit_id)


@bp.route("/units/<unit_id>/resubmit", methods=["POST"])
@bp.arguments(UnitData)
@bp.response(200, UnitDetail)
@authorised_as(SERVICE, "resubmit_unit")
def resubmit_unit(args, unit_id):
    """被退回的单位注册修改后重新提交（仅本单位经办人）"""
    return call(SERVICE, "resubmit_unit", unit_id, args)


@bp.route("/units/<unit_id>/approve", methods=["POST"])
@bp.arguments(ApproveArgs)
@bp.response(200, UnitDetail)
@authorised_as(SERVICE, "approve_unit")
def approve_unit(args, unit_id):
    """单位注册审核通过（主管部门所在县区人社局）"""
    return call(SERVICE, "approve_unit", unit_id, args.get("opinion"))


@bp.route("/units/<unit_id>/return", methods=["POST"])
@bp.arguments(ReturnArgs)
@bp.response(200, UnitDetail)
@authorised_as(SERVICE, "return_unit")
def return_unit(args, unit_id):
    """单位注册退回修改（须填写审核意见）"""
    return call(SERVICE, "return_unit", unit_id, args["opinion"])


@bp.route("/unit-changes", methods=["GET"])
@bp.arguments(ChangeFilter, location="query")
@bp.response(200, page_of(UnitChange))
@authorised_as(SERVICE, "list_unit_changes")
def list_unit_changes(args):
    """单位信息变更申请（单位经办人：本单位；县区人社局：待本局审核的）"""
    return call(SERVICE, "list_unit_changes", *list_args(args))


@bp.route("/unit-changes/<change_id>", methods=["GET"])
@bp.response(200, UnitChange)
@authorised_as(SERVICE, "get_unit_change")
def get_unit_change(change_id):
    return call(SERVICE, "get_unit_change", change_id)


@bp.route("/unit-changes/<change_id>/approve", methods=["POST"])
@bp.arguments(ApproveArgs)
@bp.response(200, UnitChange)
@authorised_as(SERVICE, "approve_unit_change")
def approve_unit_change(args, change_id):
    """单位信息变更审核通过：变更生效"""
    return call(SERVICE, "approve_unit_change", change_id, args.get("opinion"))


@bp.route("/unit-changes/<change_id>/return", methods=["POST"])
@bp.arguments(ReturnArgs)
@bp.response(200, UnitChange)
@authorised_as(SERVICE, "return_unit_change")
def return_unit_change(args, change_id):
    """单位信息变更退回（须填写审核意见）；单位信息保持不变"""
    return call(SERVICE, "return_unit_change", change_id, args["opinion"])


@bp.route("/public/units", methods=["GET"])
@bp.arguments(PublicUnitFilter, location="query")
@bp.response(200, page_of(PublicUnit))
@bp.doc(security=[])
def list_approved_units(args):
    """可选择的单位（个人注册时选择所在单位，无需登录）"""
    return call(SERVICE, "list_approved_units", args.get("region"), args.get("q"), args["page"],
                args["page_size"], authenticated=False)


# -- individuals -----------------------------------------------------------------------------------
@bp.route("/individuals", methods=["POST"])
@bp.arguments(IndividualRegistration)
@bp.response(201, Individual)
@authorised_as(SERVICE, "register_individual")
def register_individual(args):
    """个人注册：提交个人信息与银行账户，待单位审核"""
    return call(SERVICE, "register_individual", args)


@bp.route("/individuals/mine", methods=["GET"])
@bp.response(200, Individual)
@authorised_as(SERVICE, "my_registration")
def my_registration():
    """我的注册信息及审核状态"""
    return call(SERVICE, "my_registration")


@bp.route("/individuals/mine/resubmit", methods=["POST"])
@bp.arguments(IndividualRegistration)
@bp.response(200, Individual)
@authorised_as(SERVICE, "resubmit_individual")
def resubmit_individual(args):
    """修改被退回的注册信息并重新提交"""
    return call(SERVICE, "resubmit_individual", args)


@bp.route("/individuals/mine/bank-account", methods=["PUT"])
@bp.arguments(BankAccount)
@bp.response(200, Individual)
@authorised_as(SERVICE, "change_bank_account")
def change_bank_account(args):
    """修改银行账户（注册审核通过后）：户名须为本人；支付失败的补助由县财政局按更正后的账户重新支付"""
    return call(SERVICE, "change_bank_account", args)


@bp.route("/individuals", methods=["GET"])
@bp.arguments(IndividualFilter, location="query")
@bp.response(200, page_of(Individual))
@authorised_as(SERVICE, "list_individuals")
def list_individuals(args):
    """个人注册列表（单位经办人：本单位；县区人社局：本县区），证件号码与手机号码脱敏"""
    return call(SERVICE, "list_individuals", *list_args(args))


@bp.route("/individuals/bulk-approve", methods=["POST"])
@bp.arguments(BulkApproveArgs)
@bp.response(200, BulkApproveResult)
@authorised_as(SERVICE, "approve_all_individuals")
def approve_all_individuals(args):
    """一键审核通过：本单位全部待审核（或勾选）的个人注册"""
    return call(SERVICE, "approve_all_individuals", args.get("individual_ids"))


@bp.route("/individuals/<individual_id>", methods=["GET"])
@bp.response(200, Individual)
@authorised_as(SERVICE, "get_individual")
def get_individual(individual_id):
    """个人注册详情（完整证件号码与银行账户；查看留痕）"""
    return call(SERVICE, "get_individual", individual_id)


@bp.route("/individuals/<individual_id>/approve", methods=["POST"])
@bp.arguments(ApproveArgs)
@bp.response(200, Individual)
@authorised_as(SERVICE, "approve_individual")
def approve_individual(args, individual_id):
    """审核通过"""
    return call(SERVICE, "approve_individual", individual_id, args.get("opinion"))


@bp.route("/individuals/<individual_id>/return", methods=["POST"])
@bp.arguments(ReturnArgs)
@bp.response(200, Individual)
@authorised_as(SERVICE, "return_individual")
def return_individual(args, individual_id):
    """退回修改（须填写审核意见）"""
    return call(SERVICE, "return_individual", individual_id, args["opinion"])
