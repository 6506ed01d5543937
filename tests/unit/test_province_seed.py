"""bench/province.py's generated seed: 100 counties of one province, each with its officers and one unit,
their cities with their officers, all of it what the services' own seeders and validators accept."""
from bench.province import counties_of_province, province_seed
from identity.domain.accounts import check_role_region
from shared import regions, validators


def test_a_hundred_counties_below_their_cities_of_one_province():
    counties = counties_of_province("440000", 100)
    assert len(set(counties)) == 100
    for county in counties:
        city = regions.city_of(county)
        assert city != county and regions.province_of(county) == "440000"
        assert regions.is_within(county, city)


def test_every_account_and_unit_is_valid_and_named_once():
    counties = counties_of_province("440000", 100)
    seed, people = province_seed(counties)
    usernames = [a["username"] for a in seed["accounts"]]
    assert len(usernames) == len(set(usernames))
    for account in seed["accounts"]:
        assert check_role_region(account["role"], account.get("region")) == account.get("region")
        if account.get("mobile"):
            validators.mobile(account["mobile"])
    assert [u["region"] for u in seed["units"]] == counties
    for unit in seed["units"]:
        assert validators.uscc(unit["uscc"]) == unit["uscc"]
        validators.mobile(unit["leader_phone"])
    assert len({u["uscc"] for u in seed["units"]}) == len({u["id"] for u in seed["units"]}) == 100
    # the driver's names point at the seeded accounts, in the right county or city
    by_name = {a["username"]: a for a in seed["accounts"]}
    for county, roles in people.officers.items():
        assert by_name[roles["unit"]]["unit_id"] == people.units[county]
        assert {by_name[roles[r]]["region"] for r in ("county", "county_org", "county_finance")} == {county}
    assert set(people.city_officers) == {regions.city_of(c) for c in counties} == {
        a["region"] for a in seed["accounts"] if a["role"].startswith("city_")}
    assert seed["policy"]["city"] in people.city_officers
