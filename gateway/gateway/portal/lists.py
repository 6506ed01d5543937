"""The generic list screen (filters, search, pagination, page size, check boxes, actions) and its
export (CSV / xlsx of the same filters)."""
from __future__ import annotations

from collections.abc import Iterator

from flask import abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from gateway.api import stage_times  # a module (not its names): the api package imports the portal
from gateway.context import call
from gateway.portal import export
from gateway.portal.blueprint import bp
from gateway.portal.guard import login_required, role
from gateway.portal.screens import ALIASES, Col, Screen, screen_for
from shared.errors import PlatformError
from shared.pagination import MAX_PAGE_SIZE

PAGE_SIZES = (10, 20, 50, 100)
#: the lists whose rows are applications, or batches that wait at a stage (their service says which, since
#: when), get the 本环节用时 column: working days at the current stage against the city's limit
#: (各环节办理时限), 已超时 N 个工作日 when over it
APPLICATION_DETAIL = "/portal/applications/"
STAGE_CLOCK = Col("stage_clock", "本环节用时", "stage_clock")


def _int(name: str, default: int, lowest: int, highest: int) -> int:
    try:
        value = int(request.args.get(name, default))
    except ValueError:
        return default
    return min(max(value, lowest), highest)


def query_of(screen: Screen) -> dict[str, str]:
    """The screen's filters from the query string: only those it declares (services refuse others)."""
    wanted = {"status": request.args.get("status", screen.default_status)}
    if screen.search:
        wanted["q"] = request.args.get("q", "").strip()
    for extra in screen.filters:
        wanted[extra.name] = request.args.get(extra.name, "")
    return {k: v for k, v in wanted.items() if v}


def _screen(path: str) -> Screen:
    screen = screen_for(role(), path)
    if screen is None:
        abort(404)
    return screen


@bp.route("/portal/<screen_path>", methods=["GET"])
@login_required
def screen_list(screen_path):
    screen = _screen(screen_path)
    filters = query_of(screen)
    page, page_size = _int("page", 1, 1, 10_000), _int("page_size", 20, 1, 200)
    result, unavailable = {"items": [], "total": 0, "page": page, "page_size": page_size}, None
    try:
        result = call(screen.service, screen.method, filters, page, page_size)
    except PlatformError as exc:
        if exc.status not in (502, 503, 504):
            raise
        unavailable = exc.message  # the page and its menu stay usable while a service is down
    status = filters.get("status", "")
    columns = screen.columns
    if screen.detail.startswith(APPLICATION_DETAIL) and role() != "individual":
        clocks = stage_times.stage_clocks([str(i.get(screen.id_key)) for i in result["items"] if i.get(screen.id_key)])
        for item in result["items"]:
            item["stage_clock"] = clocks.get(str(item.get(screen.id_key)))
        columns = (*columns, STAGE_CLOCK)
    elif any("waiting" in item for item in result["items"]):   # batches whose service says what they wait at
        stage_times.with_batch_clocks(result)
        columns = (*columns, STAGE_CLOCK)
    return render_template("portal/list.html", screen=screen, result=result, filters=filters, status=status,
                           title=screen.title_for(status), unavailable=unavailable, page_sizes=PAGE_SIZES,
                           columns=columns)


@bp.route("/portal/<screen_path>/export", methods=["GET"])
@bp.route("/portal/applications/export", methods=["GET"], defaults={"screen_path": "applications"})
@login_required
def screen_export(screen_path: str) -> ResponseReturnValue:
    """导出: every page of the current filters (up to PORTAL_EXPORT_MAX_ROWS), as CSV or xlsx, read page by
    page while the file is written (never every row in memory at once)."""
    screen = _screen(screen_path)
    filters = query_of(screen)
    limit = current_app.config["PORTAL_EXPORT_MAX_ROWS"]

    def rows() -> Iterator[dict]:
        sent, page = 0, 1
        while sent < limit:
            result = call(screen.service, screen.method, filters, page, MAX_PAGE_SIZE, purpose="export")
            yield from result["items"][:limit - sent]
            sent += len(result["items"])
            if page * MAX_PAGE_SIZE >= result["total"] or not result["items"]:
                break
            page += 1

    title = screen.title_for(filters.get("status", ""))
    kind = request.args.get("format", "csv")
    return export.download(title, screen.columns, rows(), kind)


@bp.route("/portal/publicity/<part>", methods=["GET"])
@login_required
def alias(part):
    """The services' to-do links name a few screens differently; they open the same screen."""
    target = ALIASES.get(f"publicity/{part}")
    if target is None:
        abort(404)
    return redirect(url_for("portal.screen_list", screen_path=target, **request.args))


@bp.route("/portal/<path:anything>", methods=["GET"])
@login_required
def not_found(anything):
    abort(404)
