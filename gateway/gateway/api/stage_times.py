"""/api/v1/stage-times and /stage-limits: 环节用时统计 for the city HRSS and 各环节办理时限 (subsidy_review).
The report counts working days with the holiday schedule publicity_assessment keeps; the gateway
asks that owner for it and hands it over, so the schedule lives in one place."""
from __future__ import annotations

from datetime import date

import marshmallow as ma
from flask_smorest import Blueprint

from gateway.api.schemas import Documented, Int, Schema
from gateway.context import call
from gateway.portal import export
from gateway.portal.screens import Col
from shared.clock import clock_from_env
from shared.errors import PlatformError

bp = Blueprint("stage_times", __name__, url_prefix="/api/v1", description="环节用时统计与办理时限（subsidy_review）")
XLSX = export.XLSX_TYPE
DATE = {"description": "YYYY-MM-DD（Asia/Shanghai）"}


class ReportArgs(Schema):
    start = ma.fields.String(data_key="from", required=True,
                             metadata={"description": "统计起始日，" + DATE["description"]})
    end = ma.fields.String(data_key="to", required=True, metadata={"description": "统计截止日，" + DATE["description"]})
    county = ma.fields.String(validate=ma.validate.Regexp(r"^\d{6}$"), metadata={"description": "县区（可选）"})


class StageTimeCell(Documented):
    stage = Int()
    stage_name = ma.fields.String()
    authority = ma.fields.String()
    authority_label = ma.fields.String()
    county = ma.fields.String()
    county_name = ma.fields.String(allow_none=True)
    limit_days = Int(allow_none=True, metadata={"description": "办理时限（工作日），未设置为 null"})
    completed = Int(metadata={"description": "期间内办结的次数"})
    median_days = ma.fields.Float(allow_none=True, metadata={"description": "用时中位数（工作日）"})
    p90_days = Int(allow_none=True, metadata={"description": "用时90分位（工作日，最近秩法）"})
    overdue = Int(metadata={"description": "期间内办结但超时的次数"})
    open = Int(metadata={"description": "至今仍在该环节等待的件数"})
    open_overdue = Int(metadata={"description": "仍在等待且已超时的件数"})


class StageTimeReport(Documented):
    city = ma.fields.String()
    start = ma.fields.String(data_key="from")
    end = ma.fields.String(data_key="to")
    today = ma.fields.String()
    unit = ma.fields.String()
    items = ma.fields.List(ma.fields.Nested(StageTimeCell))


class LimitVersion(Documented):
    working_days = Int()
    effective_from = ma.fields.String()


class StageLimit(Documented):
    stage = Int()
    name = ma.fields.String()
    authority = ma.fields.String()
    authority_label = ma.fields.String()
    working_days = Int(allow_none=True)
    versions = ma.fields.List(ma.fields.Nested(LimitVersion))


class StageLimits(Documented):
    city = ma.fields.String()
    city_name = ma.fields.String(allow_none=True)
    stages = ma.fields.List(ma.fields.Nested(StageLimit))


class LimitEntry(Schema):
    stage = Int(required=True, metadata={"description": "环节编号 1-13"})
    working_days = Int(required=True, metadata={"description": "办理时限（工作日，1-250）"})


class SetStageLimits(Schema):
    limits = ma.fields.List(ma.fields.Nested(LimitEntry), required=True, validate=ma.validate.Length(min=1, max=13))
    effective_from = ma.fields.String(required=True, metadata=DATE)


class XlsxFile(Schema):
    file = ma.fields.Raw(metadata={"type": "string", "format": "binary"})


def report_input(start: str, end: str, county: str | None = None) -> tuple[dict, dict]:
    """The report's filters and the holiday schedule of the year before ``start`` to the year after
    ``end`` (a stay reaching outside these years is refused by subsidy_review, not guessed)."""
    filters = {"from": start, "to": end, **({"county": county} if county else {})}
    try:
        first = date(date.fromisoformat(start).year - 1, 1, 1)
        last = date(date.fromisoformat(end).year + 1, 12, 31)
    except ValueError:   # subsidy_review answers the 400 with its field
        return filters, {}
    return filters, call("publicity_assessment", "working_calendar", first.isoformat(), last.isoformat())


def stage_time_report(start: str, end: str, county: str | None = None) -> dict:
    """The report of ``start``-``end`` (the portal's screen)."""
    filters, calendar = report_input(start, end, county)
    return call("subsidy_review", "stage_time_report", filters, calendar)


def _with_calendar(method: str, *args: object) -> dict:
    """subsidy_review's ``method`` over the holiday schedule of two years back to next year (``{}`` when
    the schedule or a service does not answer: the page still opens, just without its 超时 figures)."""
    year = clock_from_env().today_local().year
    try:
        calendar = call("publicity_assessment", "working_calendar", f"{year - 2}-01-01", f"{year + 1}-12-31")
        return call("subsidy_review", method, *args, calendar)
    except PlatformError as exc:
        if exc.status >= 500 and exc.status not in (502, 503, 504):
            raise
        return {}


def stage_clocks(application_ids: list[str]) -> dict:
    """How long each application of a to-do list has waited at its stage."""
    return _with_calendar("stage_clocks", application_ids) if application_ids else {}


def overdue_todos() -> dict:
    """其中超时 N of each of the caller's to-do counters of applications (``{key: n}``)."""
    return _with_calendar("overdue_todos")


@bp.route("/stage-times", methods=["GET"])
@bp.arguments(ReportArgs, location="query")
@bp.response(200, StageTimeReport)
def report(args):
    """环节用时统计（市人社局）：期间内各环节、各县区的用时（工作日：中位数、90分位、超时件数）与仍在等待的件数"""
    filters, calendar = report_input(args["start"], args["end"], args.get("county"))
    return call("subsidy_review", "stage_time_report", filters, calendar)


EXPORT_COLUMNS = (Col("stage", "环节"), Col("stage_name", "环节名称"), Col("authority_label", "办理部门"),
                  Col("county_name", "县区"), Col("limit_days", "办理时限（工作日）"), Col("completed", "办结次数"),
                  Col("median_days", "用时中位数（工作日）"), Col("p90_days", "用时90分位（工作日）"),
                  Col("overdue", "超时办结"), Col("open", "在办"), Col("open_overdue", "在办已超时"))


@bp.route("/stage-times/export.xlsx", methods=["GET"])
@bp.arguments(ReportArgs, location="query")
@bp.response(200, XlsxFile, content_type=XLSX)
def export_report(args):
    """导出环节用时统计（.xlsx）"""
    filters, calendar = report_input(args["start"], args["end"], args.get("county"))
    result = call("subsidy_review", "stage_time_report", filters, calendar)
    return export.download(f"环节用时统计_{result['from']}_{result['to']}", EXPORT_COLUMNS, result["items"], "xlsx")


@bp.route("/stage-limits/<city>", methods=["GET"])
@bp.response(200, StageLimits)
def get_limits(city):
    """各环节办理时限（工作日，按生效日期的版本）"""
    return call("subsidy_review", "get_stage_limits", city)


@bp.route("/stage-limits/<city>", methods=["PUT"])
@bp.arguments(SetStageLimits)
@bp.response(200, StageLimits)
def set_limits(args, city):
    """设置各环节办理时限（系统管理员）：自生效日期起新发生的环节按新时限计算"""
    return call("subsidy_review", "set_stage_limits", city, args["limits"], args["effective_from"])
