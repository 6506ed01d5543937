"""环节用时统计 (the city HRSS's report of working days per stage and county, with a server-drawn bar
chart: the CSP allows no external script) and 各环节办理时限 (the admin's limits per stage)."""
from __future__ import annotations

from flask import abort, current_app, render_template, request

from gateway.api import stage_times as api  # a module (not its names): the api package imports the portal
from gateway.context import authorised_as, call, principal
from gateway.portal.blueprint import bp
from gateway.portal.guard import login_required, role
from shared import regions
from shared.clock import clock_from_env
from shared.errors import PlatformError

BAR_WIDTH = 360      # pixels of the longest bar
ROW_HEIGHT = 34


def chart(items: list[dict]) -> dict:
    """Geometry of the horizontal bars: median and p90 per stage and county, the limit as a tick."""
    rows = [i for i in items if i.get("completed")]
    top = max([max(i["p90_days"] or 0, i.get("limit_days") or 0) for i in rows] + [1])
    scale = BAR_WIDTH / top
    bars = []
    for n, item in enumerate(rows):
        limit = item.get("limit_days")
        bars.append({"y": n * ROW_HEIGHT, "label": f"{item['stage']} {item['stage_name']} · {item['county_name']}",
                     "median": item["median_days"], "p90": item["p90_days"],
                     "median_w": round(item["median_days"] * scale, 1), "p90_w": round(item["p90_days"] * scale, 1),
                     "limit_x": round(limit * scale, 1) if limit else None, "late": bool(item["overdue"])})
    return {"bars": bars, "height": max(1, len(bars)) * ROW_HEIGHT + 24, "max": top, "width": BAR_WIDTH}


@bp.route("/portal/stage-times", methods=["GET"])
@login_required
def stage_times():
    """环节用时统计: a period (this month by default), optionally one county."""
    if role() != "city_hrss":
        abort(403)
    today = clock_from_env().today_local()
    start = request.args.get("from") or today.replace(day=1).isoformat()
    end = request.args.get("to") or today.isoformat()
    county = request.args.get("county") or None
    error, report = None, None
    try:
        report = api.stage_time_report(start, end, county)
    except PlatformError as exc:   # a bad period or a year without a holiday schedule: said on the page
        if exc.status >= 500:
            raise
        error = exc.message
    counties = [{"code": r.code, "name": r.name} for r in regions.counties_of(principal().region or "")]
    return render_template("portal/stage_times.html", report=report, error=error, start=start, end=end,
                           county=county or "", counties=counties, chart=chart(report["items"]) if report else None)


@bp.route("/portal/stage-limits", methods=["GET"])
@login_required
@authorised_as("subsidy_review", "get_stage_limits")
def stage_limits():
    """各环节办理时限 of a city (the admin sets them; the others read them)."""
    own = regions.city_of(principal().region or "")
    city = request.args.get("city") or own or current_app.config.get("PORTAL_CITY", "440700")
    return render_template("portal/stage_limits.html", data=call("subsidy_review", "get_stage_limits", city),
                           today=clock_from_env().today_local().isoformat(), can_edit=role() == "sys_admin")
