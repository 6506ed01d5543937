"""A documenting response schema (``Documented``) hands a service's dict answer back without dumping it
field by field (issue 15: that dump was most of the gateway's own time on a list page). The body must be
exactly what marshmallow's full dump (laid over by the answer) gives, for every such schema the gateway
registers; a schema whose fields could add to the answer (a default, a renamed key, a computed field)
takes the full dump."""
import marshmallow as ma
import pytest

import gateway.app  # noqa: F401 - every blueprint, so every response schema is defined
from gateway.api.applications.responses import Application
from gateway.api.schemas import Documented


def documented() -> list[type[Documented]]:
    found, todo = [], [Documented]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.append(sub)
            todo.append(sub)
    return found


def answers(schema: ma.Schema) -> list[dict]:
    names = list(schema.dump_fields)
    return [{}, {"undocumented": {"kept": [1, "二"]}},
            {name: None for name in names},
            {**{name: None for name in names[::2]}, "undocumented": 3}]


@pytest.mark.parametrize("cls", documented(), ids=lambda c: c.__name__)
def test_the_answer_goes_out_as_the_full_dump_would_give_it(cls):
    schema = cls()
    for answer in answers(schema):
        assert schema.dump(answer) == ma.Schema.dump(schema, answer), answer
        assert cls(many=True).dump([answer, answer]) == ma.Schema.dump(cls(many=True), [answer, answer])


def test_the_list_items_pass_through_and_a_renamed_field_does_not():
    assert Application()._passes_through()

    class Renamed(Documented):
        start = ma.fields.String(data_key="from")

    class Defaulted(Documented):
        kind = ma.fields.String(dump_default="x")

    assert not Renamed()._passes_through() and not Defaulted()._passes_through()
    assert Defaulted().dump({}) == {"kind": "x"}
