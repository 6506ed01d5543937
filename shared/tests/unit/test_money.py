"""Money as integer fen: parsing yuan at the edge, formatting for display, no floats anywhere."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared import errors, money


@pytest.mark.parametrize(("value", "fen"), [
    ("1200", 120000),
    ("1200.5", 120050),
    ("1200.50", 120050),
    (" 0.01 ", 1),
    ("1,200.00", 120000),
    ("1.500", 150),  # trailing zeros carry no extra precision
    (".5", 50),
    ("-5", -500),
    (800, 80000),
    (Decimal("1100.10"), 110010),
])
def test_yuan_to_fen(value, fen):
    assert money.yuan_to_fen(value) == fen


@pytest.mark.parametrize("value", [1.5, True])
def test_yuan_to_fen_refuses_floats_and_bools(value):
    with pytest.raises(TypeError):
        money.yuan_to_fen(value)


@pytest.mark.parametrize("value", ["1.005", Decimal("0.125"), "0.001"])
def test_more_than_two_decimals_is_refused_unless_rounding_is_asked_for(value):
    with pytest.raises(errors.InvalidInput) as info:
        money.yuan_to_fen(value, field="standard")
    assert info.value.code == "money.precision"
    assert "standard" in info.value.details["fields"]


def test_round_half_up_only_on_request():
    assert money.yuan_to_fen("1.005", round_half_up=True) == 101
    assert money.yuan_to_fen("1.004", round_half_up=True) == 100
    assert money.yuan_to_fen(Decimal("0.125"), round_half_up=True) == 13


@pytest.mark.parametrize("value", ["", "abc", "1.2.3", "1,20.00", "¥5", "NaN", "Infinity", "1e3",
                                   Decimal("NaN"), Decimal("Infinity"), "1" * 40])
def test_yuan_to_fen_refuses_garbage(value):
    with pytest.raises(errors.InvalidInput) as info:
        money.yuan_to_fen(value)
    assert info.value.code == "money.format"


def test_fen_to_yuan_and_formatting():
    assert money.fen_to_yuan(120050) == Decimal("1200.50")
    assert str(money.fen_to_yuan(5)) == "0.05"
    assert money.format_cny(120000) == "¥1,200.00"
    assert money.format_cny(-500) == "-¥5.00"
    assert money.format_cny(0) == "¥0.00"
    assert money.format_yuan(120000) == "1,200.00"
    assert money.format_yuan(123456789) == "1,234,567.89"
    assert money.format_yuan(-1) == "-0.01"
    with pytest.raises(TypeError):
        money.fen_to_yuan(1.0)


def test_multiply_fen():
    assert money.multiply_fen(80000, 12) == 960000
    for bad in [(1.0, 2), (100, 2.5), (100, True)]:
        with pytest.raises(TypeError):
            money.multiply_fen(*bad)


def test_round_yuan_half_up():
    assert money.round_yuan_half_up(Decimal("2.675")) == Decimal("2.68")  # float would say 2.67
    assert money.round_yuan_half_up(Decimal("2.665")) == Decimal("2.67")  # not banker's rounding
    assert money.round_yuan_half_up(Decimal("-2.675")) == Decimal("-2.68")
    assert str(money.round_yuan_half_up(Decimal(3))) == "3.00"
    with pytest.raises(TypeError):
        money.round_yuan_half_up(2.675)


def test_parse_fen_field():
    assert money.parse_fen_field(120000, "amount") == 120000
    assert money.parse_fen_field(" 500 ", "amount") == 500
    assert money.parse_fen_field(0, "amount") == 0
    for value, code in [(-1, "money.negative"), ("-1", "money.negative"),
                        (1.0, "money.not_integer"), ("1.5", "money.not_integer"),
                        (True, "money.not_integer"), (None, "money.not_integer"), ("", "money.not_integer")]:
        with pytest.raises(errors.InvalidInput) as info:
            money.parse_fen_field(value, "lines[0].amount")
        assert info.value.code == code
        assert "lines[0].amount" in info.value.details["fields"]


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-10**13, max_value=10**13))
def test_round_trip(fen):
    assert money.yuan_to_fen(money.fen_to_yuan(fen)) == fen
    assert money.yuan_to_fen(str(money.fen_to_yuan(fen))) == fen
    assert money.yuan_to_fen(money.format_yuan(fen)) == fen
