"""/api/v1/applications: the graduate's application, stages 1-4 and its timeline (subsidy_review)."""
import marshmallow as ma
from flask_smorest import Blueprint

from gateway.api.schemas import Documented, Int, Job, PageArgs, Schema, list_args, page_of
from gateway.context import authorised_as, call
from shared.contracts.statuses import DEGREES

bp = Blueprint("applications", __name__, url_prefix="/api/v1", description="补助申请与审核（subsidy_review）")

STATUS = ma.fields.String(metadata={"description": "状态，多个用逗号分隔，如 pending_unit_review"})


class WorkHistory(Schema):
    employer = ma.fields.String(required=True)
    position = ma.fields.String(load_default="")
    start = ma.fields.String(data_key="from", load_default="")
    end = ma.fields.String(data_key="to", load_default="")


#: the ceiling any city's policy may set (set_policy refuses more); the city's own maximum (36 by
#: default, policy data) is applied by subsidy_review
POLICY_MONTHS_CEILING = 120


class ApplicationArgs(Schema):
    degree = ma.fields.String(required=True, validate=ma.validate.OneOf(list(DEGREES)),
                              metadata={"description": "学历：" + "、".join(f"{k} {v}" for k, v in DEGREES.items())})
    months = Int(required=True, validate=ma.validate.Range(min=1, max=POLICY_MONTHS_CEILING),
                 metadata={"description": "补贴月数：整数，1至本市政策的最长补贴月数（默认36）"})
    start_date = ma.fields.String(required=True, metadata={"description": "补助申领起始日期 YYYY-MM-DD"})
    work_history = ma.fields.List(ma.fields.Nested(WorkHistory), load_default=list)
    attachment_ids = ma.fields.List(ma.fields.String(), metadata={
        "description": "申请材料（POST /attachments，kind=application_material）的附件标识；"
                       "重新提交时不传则保留原材料"})


class Opinion(Schema):
    opinion = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=500))


class RequiredOpinion(Schema):
    opinion = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))


class Ids(Schema):
    application_ids = ma.fields.List(ma.fields.String(), required=True, validate=ma.validate.Length(min=1, max=500))


class OptionalIds(Schema):
    application_ids = ma.fields.List(ma.fields.String(), load_default=None)


class ApplicationFilter(PageArgs):
    status = STATUS
    unit_id = ma.fields.String()
    county = ma.fields.String(validate=ma.validate.Regexp(r"^\d{6}$"))
    degree = ma.fields.String()


class Policy(Schema):
    standards_fen = ma.fields.Dict(keys=ma.fields.String(), values=Int(), required=True)
    max_months = Int(required=True, validate=ma.validate.Range(min=1, max=POLICY_MONTHS_CEILING))
    effective_from = ma.fields.String(required=True)


# -- responses (documented as subsidy_review answers them: Documented filters nothing) ---------------------
class Application(Documented):
    id = ma.fields.String()
    application_no = ma.fields.String()
    applicant_name = ma.fields.String()
    id_type = ma.fields.String()
    id_number = ma.fields.String(metadata={"description": "列表中脱敏，详情中完整"})
    mobile = ma.fields.String(allow_none=True, metadata={"description": "列表中脱敏，详情中完整"})
    unit_id = ma.fields.String()
    unit_name = ma.fields.String()
    county = ma.fields.String()
    county_name = ma.fields.String(allow_none=True)
    city = ma.fields.String()
    degree = ma.fields.String()
    degree_label = ma.fields.String()
    start_date = ma.fields.String(allow_none=True)
    months = Int()
    standard_fen = Int(metadata={"description": "补贴标准（分/月）"})
    amount_fen = Int(metadata={"description": "补助金额（分）"})
    status = ma.fields.String()
    status_label = ma.fields.String()
    round = Int()
    opinion = ma.fields.String(allow_none=True)
    submitted_at = ma.fields.String(allow_none=True)
    reported_at = ma.fields.String(allow_none=True)
    updated_at = ma.fields.String(allow_none=True)
    actions = ma.fields.List(ma.fields.String(), metadata={"description": "当前状态可办理的操作"})


class ApplicationDetail(Application):
    work_history = ma.fields.List(ma.fields.Dict())
    bank_account = ma.fields.Dict(allow_none=True)
    policy_version = Int(allow_none=True)
    county_approved_at = ma.fields.String(allow_none=True)
    attachments = ma.fields.List(ma.fields.Dict(), metadata={"description": "申请材料（有权查看的角色）"})


class TimelineStage(Documented):
    stage = Int()
    name = ma.fields.String()
    done = ma.fields.Boolean()
    actor_role = ma.fields.String(allow_none=True)
    actor_name = ma.fields.String(allow_none=True)
    at = ma.fields.String(allow_none=True)
    opinion = ma.fields.String(allow_none=True)
    description = ma.fields.String(allow_none=True)


class TimelineEntry(Documented):
    stage = Int()
    stage_name = ma.fields.String()
    event_type = ma.fields.String()
    description = ma.fields.String()
    status = ma.fields.String(allow_none=True)
    status_label = ma.fields.String(allow_none=True)
    round = Int(allow_none=True)
    actor_role = ma.fields.String(allow_none=True)
    actor_name = ma.fields.String(allow_none=True)
    opinion = ma.fields.String(allow_none=True)
    at = ma.fields.String(allow_none=True)


class ApplicationTimeline(Documented):
    application = ma.fields.Nested(Application)
    stages = ma.fields.List(ma.fields.Nested(TimelineStage), metadata={"description": "13个环节"})
    history = ma.fields.List(ma.fields.Nested(TimelineEntry), metadata={"description": "完整历史（含退回、重审）"})


class ApplicationsReported(Documented):
    reported = Int()
    items = ma.fields.List(ma.fields.Nested(Application))


class ApplicantProfile(Documented):
    registered = ma.fields.Boolean(metadata={"description": "个人注册已经单位审核通过"})
    name = ma.fields.String()
    id_type = ma.fields.String()
    id_number = ma.fields.String()
    mobile = ma.fields.String(allow_none=True)
    degree = ma.fields.String(allow_none=True)
    degree_label = ma.fields.String(allow_none=True)
    unit_id = ma.fields.String()
    unit_name = ma.fields.String(allow_none=True)
    region = ma.fields.String()
    has_bank_account = ma.fields.Boolean()


class StatusCount(Documented):
    status = ma.fields.String()
    status_label = ma.fields.String()
    count = Int()
    amount_fen = Int()


class CountTotal(Documented):
    count = Int()
    amount_fen = Int()


class ApplicationStatistics(Documented):
    by_status = ma.fields.List(ma.fields.Nested(StatusCount))
    total = ma.fields.Nested(CountTotal)


class DegreeStandard(Documented):
    degree = ma.fields.String()
    label = ma.fields.String()
    standard_fen = Int(allow_none=True)


class SubsidyPolicy(Documented):
    city = ma.fields.String()
    version = Int()
    effective_from = ma.fields.String()
    standards_fen = ma.fields.Dict(keys=ma.fields.String(), values=Int())
    max_months = Int()
    degrees = ma.fields.List(ma.fields.Nested(DegreeStandard))


def _history(args: dict) -> dict:
    args["work_history"] = [{"employer": w["employer"], "position": w["position"], "from": w["start"],
                             "to": w["end"]} for w in args.get("work_history", [])]
    return args


@bp.route("/applications", methods=["POST"])
@bp.arguments(ApplicationArgs)
@bp.response(201, ApplicationDetail)
@authorised_as("subsidy_review", "submit_application")
def submit(args):
    """个人补助申请：补贴标准 × 补贴月数（按本市政策参数计算）"""
    return call("subsidy_review", "submit_application", _history(args))


@bp.route("/applications", methods=["GET"])
@bp.arguments(ApplicationFilter, location="query")
@bp.response(200, page_of(Application))
@authorised_as("subsidy_review", "list_applications")
def list_applications(args):
    """补助申请列表（按角色限定范围；可按状态、单位、县区、学历筛选，按姓名/证件号码/申请编号搜索）"""
    return call("subsidy_review", "list_applications", *list_args(args))


@bp.route("/applications/<application_id>", methods=["GET"])
@bp.response(200, ApplicationDetail)
@authorised_as("subsidy_review", "get_application")
def get_application(application_id):
    """申请详情（含证件号码、银行账户；查看个人信息记入审计）"""
    return call("subsidy_review", "get_application", application_id)


@bp.route("/applications/<application_id>/timeline", methods=["GET"])
@bp.response(200, ApplicationTimeline)
@authorised_as("subsidy_review", "timeline")
def timeline(application_id):
    """流程状态：13个环节各自的经办人、时间、意见，以及完整历史"""
    return call("subsidy_review", "timeline", application_id)


@bp.route("/applications/<application_id>/approve", methods=["POST"])
@bp.arguments(Opinion)
@bp.response(200, Application)
@authorised_as("subsidy_review", "approve")
def approve(args, application_id):
    """审核通过（单位：第2环节；县区人社局：第4环节）"""
    return call("subsidy_review", "approve", application_id, args.get("opinion"))


@bp.route("/applications/<application_id>/return", methods=["POST"])
@bp.arguments(RequiredOpinion)
@bp.response(200, Application)
@authorised_as("subsidy_review", "return_application")
def return_application(args, application_id):
    """退回修改（须填写审核意见）"""
    return call("subsidy_review", "return_application", application_id, args["opinion"])


@bp.route("/applications/<application_id>/resubmit", methods=["POST"])
@bp.arguments(ApplicationArgs)
@bp.response(200, Application)
@authorised_as("subsidy_review", "resubmit_application")
def resubmit(args, application_id):
    """修改后再次提交"""
    return call("subsidy_review", "resubmit_application", application_id, _history(args))


@bp.route("/applications/<application_id>/withdraw", methods=["POST"])
@bp.response(200, Application)
@authorised_as("subsidy_review", "withdraw_application")
def withdraw(application_id):
    """撤回申请"""
    return call("subsidy_review", "withdraw_application", application_id)


@bp.route("/applications/<application_id>/send-back", methods=["POST"])
@bp.response(200, Application)
@authorised_as("subsidy_review", "send_back")
def send_back(application_id):
    """退回到单位待审核"""
    return call("subsidy_review", "send_back", application_id)


@bp.route("/applications/report", methods=["POST"])
@bp.arguments(Ids)
@bp.response(200, ApplicationsReported)
@authorised_as("subsidy_review", "report")
def report(args):
    """上报至县人社局（勾选的申请）"""
    return call("subsidy_review", "report", args["application_ids"])


@bp.route("/applications/bulk-approve", methods=["POST"])
@bp.arguments(OptionalIds)
@bp.response(202, Job)
@authorised_as("subsidy_review", "bulk_approve_and_report")
def bulk_approve(args):
    """一键审核通过：全部待审核申请审核通过并上报县区人社局（后台任务，返回任务进度）"""
    return call("subsidy_review", "bulk_approve_and_report", args.get("application_ids"))


@bp.route("/applicant-profile", methods=["GET"])
@bp.response(200, ApplicantProfile)
@authorised_as("subsidy_review", "applicant_profile")
def applicant_profile():
    """申报人信息（经单位审核的个人注册信息）"""
    return call("subsidy_review", "applicant_profile")


@bp.route("/application-statistics", methods=["GET"])
@bp.response(200, ApplicationStatistics)
@authorised_as("subsidy_review", "statistics")
def statistics():
    """补助申报查询统计"""
    return call("subsidy_review", "statistics", {})


@bp.route("/policies/<city>", methods=["GET"])
@bp.response(200, SubsidyPolicy)
@authorised_as("subsidy_review", "get_policy")
def get_policy(city):
    """本市补贴标准（按学历）与最长补贴月数"""
    return call("subsidy_review", "get_policy", city)


@bp.route("/policies/<city>", methods=["PUT"])
@bp.arguments(Policy)
@bp.response(200, SubsidyPolicy)
@authorised_as("subsidy_review", "set_policy")
def set_policy(args, city):
    """设置补贴标准（系统管理员；每次修改生成新版本）"""
    return call("subsidy_review", "set_policy", city, args["standards_fen"], args["max_months"],
                args["effective_from"])


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
