"""The application through stages 1-4: submitted, listed, reviewed (approve, return, resubmit, withdraw,
send back), reported."""
from gateway.api.applications.arguments import (
    ApplicationArgs,
    ApplicationFilter,
    Ids,
    Opinion,
    OptionalIds,
    RequiredOpinion,
)
from gateway.api.applications.common import bp
from gateway.api.applications.responses import Application, ApplicationDetail, ApplicationsReported, ApplicationTimeline
from gateway.api.schemas import Job, list_args, page_of
from gateway.context import authorised_as, call


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
