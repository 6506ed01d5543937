"""The shared pieces the services' use cases lean on: the fake unit of work, the opinion check and the
jurisdiction rule (in memory, as the fakes use it)."""
import pytest
from sqlalchemy import Column, MetaData, String, Table, select
from sqlalchemy.dialects import postgresql

from shared.auth.principal import Principal
from shared.errors import Forbidden, InvalidInput
from shared.jurisdiction import area_of, sees, within
from shared.opinions import check_opinion
from shared.pagination import narrowed
from shared.testing.fake_tx import FakeTx, InMemoryRepository

COUNTY = Principal(account_id="a", role="county_hrss", region="440703")
CITY = Principal(account_id="b", role="city_finance", region="440700")


def test_the_fake_tx_records_events_and_audit_and_refuses_sql():
    tx = FakeTx(COUNTY, service="unit_registry")
    with pytest.raises(AssertionError, match="tx.session.execute"):
        tx.session.execute("SELECT 1")
    with pytest.raises(InvalidInput):  # validated against its contract, as the outbox does
        tx.emit("individual.approved", subject="x", region="440703", data={"individual_id": "not-a-uuid"})
    with pytest.raises(ValueError):  # only the producer may emit it
        tx.emit("application.submitted", subject="x", region="440703", data={})
    tx.audit("individual.read", "individual", "x", region="440703")
    assert tx.audit_actions() == ["individual.read"] and tx.audited[0].actor is COUNTY and tx.emitted == []
    with pytest.raises(AssertionError, match="no fake for InMemoryRepository"):
        tx.repository(InMemoryRepository)


def test_in_memory_rows_are_copies():
    repo = InMemoryRepository([{"id": "1", "tags": ["a"]}])
    found = repo.find("1")
    found["tags"].append("b")
    assert repo.find("1")["tags"] == ["a"] and repo.patch("1", {"x": 1}) == {"id": "1", "tags": ["a"], "x": 1}


def test_one_opinion_check():
    assert check_opinion("  同意 ", required=False) == "同意" and check_opinion(None, required=False) is None
    for value, required, code in [(" ", True, "opinion.required"), ("意" * 501, False, "opinion.too_long"),
                                  (5, False, "opinion.format")]:
        with pytest.raises(InvalidInput) as info:
            check_opinion(value, required=required)
        assert info.value.code == code
    with pytest.raises(InvalidInput) as info:
        check_opinion(5, required=True, code="payment.opinion_", not_text="required")
    assert info.value.code == "payment.opinion_required"


def test_jurisdiction_in_memory_and_in_sql():
    row = {"county": "440704", "city": "440700", "unit_id": "u", "account_id": "a"}
    assert not sees(COUNTY, row, county="county") and sees(CITY, row, county="county", city="city")
    assert sees(CITY, row, county="county") and "440704" in area_of(CITY) and area_of(COUNTY) == ["440703"]
    assert sees(Principal(account_id="a", role="individual"), row, county="county", account="account_id")
    with pytest.raises(Forbidden):
        sees(Principal(account_id="a", role="individual"), row, county="county")
    table = Table("t", MetaData(), Column("county", String), Column("city", String), Column("name", String))
    stmt = narrowed(select(table).where(within(CITY, county=table.c.county, city=table.c.city)),
                    {"county": "440703", "q": "50%", "status": ""}, equal={"county": table.c.county,
                                                                          "status": table.c.city},
                    search=(table.c.name,))
    sql = str(stmt.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
    assert "t.city = '440700'" in sql and "t.county = '440703'" in sql
    assert "t.name ILIKE '%%50\\%%%%'" in sql  # the "%" typed is searched literally
    assert sql.count("ILIKE") == 1 and sql.count("t.city =") == 1
