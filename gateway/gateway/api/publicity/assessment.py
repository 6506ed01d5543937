"""Stages 6 and 7: the assessment passes or fails a case, and the county reports to its organisation department."""
from gateway.api.publicity.arguments import HandlingOpinion, TickedApplications
from gateway.api.publicity.common import SERVICE, bp
from gateway.api.publicity.responses import PublicityCaseDetail, PublicityCasesChanged
from gateway.context import authorised_as, call


# -- assessment and report (stages 6, 7) ---------------------------------------------------------
@bp.route("/assessments/pass", methods=["POST"])
@bp.arguments(TickedApplications)
@bp.response(200, PublicityCasesChanged)
@authorised_as(SERVICE, "assessment_pass")
def assessment_pass(args):
    """评审通过（勾选的公示无异议申请，全部成功或全部不变）"""
    return call(SERVICE, "assessment_pass", args["application_ids"])


@bp.route("/assessments/<application_id>/fail", methods=["POST"])
@bp.arguments(HandlingOpinion)
@bp.response(200, PublicityCaseDetail)
@authorised_as(SERVICE, "assessment_fail")
def assessment_fail(args, application_id):
    """评审未通过（终结，须填写理由）"""
    return call(SERVICE, "assessment_fail", application_id, args["opinion"])


@bp.route("/assessments/report", methods=["POST"])
@bp.arguments(TickedApplications)
@bp.response(200, PublicityCasesChanged)
@authorised_as(SERVICE, "report_to_county_org")
def report_to_county_org(args):
    """上报县组织部（勾选的评审通过申请，连同申请快照）"""
    return call(SERVICE, "report_to_county_org", args["application_ids"])
