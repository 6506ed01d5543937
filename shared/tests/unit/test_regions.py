"""The GB/T 2260 table: the codes deployments rely on, the odd cases of the hierarchy, and the
consistency of the whole table."""
from __future__ import annotations

import pytest

from shared import errors, regions, validators


@pytest.mark.parametrize(("code", "name", "level", "parent"), [
    ("440000", "广东省", "province", None),
    ("440700", "江门市", "city", "440000"),
    ("440703", "蓬江区", "county", "440700"),
    ("440704", "江海区", "county", "440700"),
    ("440705", "新会区", "county", "440700"),
    ("441900", "东莞市", "city", "440000"),
    ("442000", "中山市", "city", "440000"),
    ("429004", "仙桃市", "county", "420000"),
    ("110000", "北京市", "province", None),
    ("110100", "北京市", "city", "110000"),
    ("110105", "朝阳区", "county", "110100"),
])
def test_required_rows(code, name, level, parent):
    assert regions.get(code) == regions.Region(code, name, level, parent)
    assert regions.exists(code)
    assert regions.name_of(code) == name


def test_unknown_codes():
    assert regions.get("999999") is None
    assert not regions.exists("999999")
    assert regions.name_of("429000") is None  # 仙桃's digits suggest a city that does not exist
    assert regions.full_name("999999") is None
    assert regions.city_of("999999") is None


def test_full_name():
    assert regions.full_name("440703") == "广东省江门市蓬江区"
    assert regions.full_name("441900") == "广东省东莞市"
    assert regions.full_name("429004") == "湖北省仙桃市"
    assert regions.full_name("110105") == "北京市朝阳区"


@pytest.mark.parametrize(("code", "city"), [
    ("440703", "440700"),
    ("440700", "440700"),
    ("441900", "441900"),
    ("442000", "442000"),
    ("429004", "429004"),
    ("110105", "110100"),
    ("440000", None),
])
def test_city_of(code, city):
    assert regions.city_of(code) == city


def test_province_of():
    assert regions.province_of("440703") == "440000"
    assert regions.province_of("429004") == "420000"
    assert regions.province_of("110105") == "110000"
    assert regions.province_of("440000") == "440000"


def test_counties_of():
    codes = [r.code for r in regions.counties_of("440700")]
    assert {"440703", "440704", "440705"} <= set(codes)
    assert all(c.startswith("4407") for c in codes)
    assert [r.code for r in regions.counties_of("441900")] == ["441900"]
    assert [r.code for r in regions.counties_of("429004")] == ["429004"]
    assert "110105" in [r.code for r in regions.counties_of("110100")]
    assert regions.counties_of("440000") == []
    assert regions.counties_of("440703") == []  # a county under a city is not a city
    assert regions.counties_of("999999") == []


def test_children():
    assert "440700" in [r.code for r in regions.children("440000")]
    assert "429004" in [r.code for r in regions.children("420000")]
    assert regions.children("440703") == []


def test_is_within():
    assert regions.is_within("440703", "440703")
    assert regions.is_within("440703", "440700")
    assert regions.is_within("440703", "440000")
    assert not regions.is_within("440703", "440704")  # a county officer never sees the neighbour
    assert not regions.is_within("440700", "440703")
    assert regions.is_within("429004", "420000")
    assert not regions.is_within("429004", "429000")
    assert not regions.is_within("999999", "440000")
    assert not regions.is_within("440703", "999999")


def test_search():
    names = [r.name for r in regions.search("江门")]
    assert names == ["江门市"]
    assert [r.code for r in regions.search("蓬江")] == ["440703"]
    assert regions.search("4407")[0].code == "440700"
    assert regions.search("") == []
    assert len(regions.search("区", limit=5)) == 5


def test_whole_table_is_consistent():
    rows = regions.all_regions()
    assert len(rows) > 3000
    by_code = {r.code: r for r in rows}
    assert len(by_code) == len(rows)
    for r in rows:
        assert len(r.code) == 6 and r.code.isdigit()
        assert r.level in {"province", "city", "county"}
        if r.level == "province":
            assert r.parent is None
            continue
        assert r.parent in by_code, r
        chain = regions.ancestors(r.code)
        assert chain[-1].level == "province", r
        assert len(chain) <= 3
        # a county's city is a city or the county itself; never a province
        city = regions.get(regions.city_of(r.code))
        assert city is not None and city.level in {"city", "county"}
        assert regions.is_within(r.code, city.code)


def test_every_province_level_unit_is_present():
    provinces = {r.code for r in regions.all_regions() if r.level == "province"}
    assert len(provinces) == 34
    assert {"110000", "500000", "650000", "710000", "810000", "820000"} <= provinces


def test_region_code_validator_refuses_unknown():
    with pytest.raises(errors.InvalidInput) as info:
        validators.region_code("999999")
    assert info.value.code == "region.unknown"
    assert validators.region_code("429004") == "429004"
