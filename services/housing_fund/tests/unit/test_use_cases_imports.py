"""One item of a 职工批量导入 job on a fake unit of work: its rows join the roster at once, the last item
completes the run, and a 证件号码 that reached a roster since the check fails the item whole."""
from __future__ import annotations

import pytest

from housing_fund.use_cases.imports import import_chunk
from shared.errors import InvalidInput

from .conftest import id_number, new_id

_n = iter(range(500, 600))


def person(name: str, **patch) -> dict:
    return {"name": name, "id_type": "resident_id", "id_number": id_number(next(_n)), "mobile": "13900000000",
            "level": "03", "monthly_fen": 100000, "start_month": "202601", "post": None,
            "accumulated_periods": 2, "accumulated_fen": 200000, **patch}


@pytest.fixture
def run(world):
    employer = world.employer()
    import_id = new_id()
    world.import_runs.add({"id": import_id, "kind": "employees", "owner": employer, "rows": 3, "attachments": [],
                           "summary": {"imported": 0, "rows": 3, "filename": "职工.xlsx"}})
    return employer, import_id


def test_the_items_of_an_import_join_the_roster_and_the_last_completes_the_run(world, run):
    employer, import_id = run
    first = world.tx(world.clerk(employer))
    assert import_chunk(first, {"import_id": import_id, "label": "第2–3行",
                                "rows": [(2, person("甲")), (3, person("乙"))]})["imported"] == 2
    assert first.event_types() == ["employee.opened", "employee.opened"]
    last = world.tx(world.clerk(employer))
    import_chunk(last, {"import_id": import_id, "label": "第4–4行", "rows": [(4, person("丙"))]})
    assert last.event_types() == ["employee.opened", "employee.imported"]
    assert world.import_runs.rows[import_id]["summary"]["imported"] == 3
    assert world.employees.count_of(employer) == 3
    opened = next(iter(world.employees.rows))
    assert world.ledger.balance(opened) == (2, 200000)
    assert [c["kind"] for c in world.employees.changes(opened)] == ["open"]


def test_a_row_whose_id_number_reached_a_roster_since_the_check_fails_its_item_whole(world, run):
    employer, import_id = run
    taken = world.employees.rows[world.employee(world.employer("另一单位"))]["id_number"]
    tx = world.tx(world.clerk(employer))
    with pytest.raises(InvalidInput) as info:
        import_chunk(tx, {"import_id": import_id, "label": "第2–3行",
                          "rows": [(2, person("甲")), (3, person("乙", id_number=taken))]})
    assert [(e["row"], e["code"]) for e in info.value.details["errors"]] == [(3, "employee.duplicate")]
    assert world.employees.count_of(employer) == 0 and tx.emitted == []
    assert world.import_runs.rows[import_id]["summary"]["imported"] == 0
