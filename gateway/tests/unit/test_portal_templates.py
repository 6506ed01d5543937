"""Portal templates rendered with the shapes they get, including the empty row a repeat-form's
``<template>`` renders (``{}``): a template that only works with a full record fails the whole page."""
import pytest
from flask import render_template


@pytest.mark.parametrize("level, shown", [({}, 'value=""'), ({"code": "A", "name": "一级", "monthly_fen": 12345},
                                                              'value="123.45"')])
def test_a_level_row_renders_empty_and_full(app, level, shown):
    with app.test_request_context():
        html = render_template("portal/level_row.html", l=level)
    assert 'data-name="monthly_fen"' in html and shown in html.split('data-name="monthly_fen"', 1)[1]


def test_stage_times_page_draws_bars_and_flags_what_is_late(app):
    from gateway.portal.stage_times import chart
    items = [{"stage": 2, "stage_name": "单位审核", "authority_label": "单位经办人", "county": "440703",
              "county_name": "蓬江区", "limit_days": 3, "completed": 2, "median_days": 3.5, "p90_days": 6,
              "overdue": 1, "open": 0, "open_overdue": 0},
             {"stage": 4, "stage_name": "县人社局审核", "authority_label": "县区人社局", "county": "440703",
              "county_name": "蓬江区", "limit_days": None, "completed": 0, "median_days": None, "p90_days": None,
              "overdue": 0, "open": 1, "open_overdue": 0}]
    drawn = chart(items)
    bars = [(b["median_w"], b["p90_w"], b["limit_x"], b["late"]) for b in drawn["bars"]]
    assert bars == [(210.0, 360.0, 180.0, True)]
    with app.test_request_context("/portal/stage-times"):
        html = render_template("portal/stage_times.html", report={"items": items}, error=None, start="2026-10-01",
                               end="2026-10-31", county="", counties=[], chart=drawn)
    assert "<svg" in html and 'width="210.0"' in html and "3.5 / 6" in html
    assert html.count('class="overdue"') == 1 and "未设置" in html
    assert "/api/v1/stage-times/export.xlsx?from=2026-10-01&amp;to=2026-10-31" in html


def test_a_to_do_row_shows_its_stage_clock(app):
    from gateway.portal.lists import STAGE_CLOCK
    late = {"stage_clock": {"stage": 2, "stage_name": "单位审核", "working_days": 16, "limit_days": 3, "overdue": True,
                            "overdue_days": 13, "overdue_label": "已超时 13 个工作日"}}
    in_time = {"stage_clock": {"stage": 4, "stage_name": "县人社局审核", "working_days": 1, "limit_days": None,
                               "overdue": False}}
    with app.test_request_context():
        html = render_template("portal/macros.html")  # the macros load
        cell = app.jinja_env.get_template("portal/macros.html").module.cell
        assert "16/3个工作日" in cell(late, STAGE_CLOCK) and "已超时 13 个工作日" in cell(late, STAGE_CLOCK)
        assert "1个工作日" in cell(in_time, STAGE_CLOCK) and "超时" not in cell(in_time, STAGE_CLOCK)
        assert cell({"stage_clock": None}, STAGE_CLOCK) == "" and html is not None
