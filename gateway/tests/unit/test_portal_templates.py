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
