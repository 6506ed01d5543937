"""The admin's holiday schedule (节假日安排): days set one by one, a year confirmed."""
from gateway.api.publicity.arguments import CalendarDayForm, CalendarYearArgs
from gateway.api.publicity.common import SERVICE, bp
from gateway.api.publicity.responses import CalendarDay, CalendarYear
from gateway.context import authorised_as, call
from gateway.holidays import schedule_changed


@bp.route("/calendar-days", methods=["GET"])
@bp.arguments(CalendarYearArgs, location="query")
@bp.response(200, CalendarYear)
@authorised_as(SERVICE, "list_calendar_days")
def list_calendar_days(args):
    """某年节假日安排（法定节假日与调休上班日）"""
    return call(SERVICE, "list_calendar_days", args["year"])


@bp.route("/calendar-days/<day>", methods=["PUT"])
@bp.arguments(CalendarDayForm)
@bp.response(200, CalendarDay)
@authorised_as(SERVICE, "set_calendar_day")
def set_calendar_day(args, day):
    """维护节假日安排：新增或更正一天（系统管理员，如次年国务院放假通知公布后）"""
    answer = call(SERVICE, "set_calendar_day", day, args["kind"], args["name"])
    schedule_changed()
    return answer


@bp.route("/calendar-years/<year>/confirm", methods=["POST"])
@bp.response(200, CalendarYear)
@authorised_as(SERVICE, "confirm_calendar_year")
def confirm_calendar_year(year):
    """确认某年节假日安排已录入完整（系统管理员）：此后公示期可按工作日计算至该年；未确认的年份拒绝计算
    （calendar.year_missing），尚无法定节假日的年份不能确认（calendar.year_empty）"""
    answer = call(SERVICE, "confirm_calendar_year", path_year(year))
    schedule_changed()
    return answer


def path_year(text: str) -> int | str:
    """A year in a URL: four ASCII digits as a number, anything else as sent (the service answers 400)."""
    return int(text) if text.isascii() and text.isdigit() and len(text) == 4 else text
