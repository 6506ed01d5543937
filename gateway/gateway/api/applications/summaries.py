"""The applicant's profile and the statistics of applications."""
from gateway.api.applications.common import bp
from gateway.api.applications.responses import ApplicantProfile, ApplicationStatistics
from gateway.context import authorised_as, call


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
