"""常用审核意见 on a fake unit of work: each officer's own, in their order, limited by the policy, no twins."""
from __future__ import annotations

import pytest

from identity import opinion_templates as templates
from shared.errors import Conflict, InvalidInput, NotFound

from .conftest import ACC


def test_templates_keep_their_order_and_a_dialog_sees_its_kind_and_the_general_ones(world):
    world.account()
    first = templates.create_template(world.tx(ACC), {"text": " 材料齐全，同意 ", "kind": "approve"})
    second = templates.create_template(world.tx(ACC), {"text": "请补充学历证明", "kind": "return"})
    general = templates.create_template(world.tx(ACC), {"text": "请核对", "sort_order": 5})
    assert (first["text"], first["sort_order"], second["sort_order"]) == ("材料齐全，同意", 0, 1)
    assert general["kind"] == "any"
    listed = templates.list_templates(world.tx(ACC), "approve")
    assert [t["text"] for t in listed["items"]] == ["材料齐全，同意", "请核对"] and listed["max"] == 50
    assert templates.list_templates(world.tx(ACC))["total"] == 3
    with pytest.raises(InvalidInput) as info:
        templates.list_templates(world.tx(ACC), "publish")
    assert info.value.code == "opinion_template.kind_invalid"


def test_no_twins_no_more_than_the_policy_allows_and_nobody_else_s(world):
    world.account()
    world.account("6f1c2a10-0000-4000-8000-0000000000a2", "jianghai01")
    world.policy.values["opinion_templates_max"] = 2
    kept = templates.create_template(world.tx(ACC), {"text": "同意"})
    with pytest.raises(Conflict) as info:
        templates.create_template(world.tx(ACC), {"text": "同意"})
    assert info.value.code == "opinion_template.duplicate"
    templates.create_template(world.tx(ACC), {"text": "退回"})
    with pytest.raises(Conflict) as info:
        templates.create_template(world.tx(ACC), {"text": "第三条"})
    assert (info.value.code, info.value.details) == ("opinion_template.limit_reached", {"max": 2})
    other = world.tx("6f1c2a10-0000-4000-8000-0000000000a2")
    with pytest.raises(NotFound):
        templates.update_template(other, kept["id"], {"text": "改掉"})
    with pytest.raises(NotFound):
        templates.delete_template(other, kept["id"])
    assert templates.create_template(other, {"text": "同意"})["text"] == "同意"   # a twin of another's is fine


def test_an_edit_changes_what_differs_and_a_delete_removes_it(world):
    world.account()
    kept = templates.create_template(world.tx(ACC), {"text": "同意"})
    templates.create_template(world.tx(ACC), {"text": "退回"})
    with pytest.raises(Conflict):
        templates.update_template(world.tx(ACC), kept["id"], {"text": "退回"})
    with pytest.raises(InvalidInput) as info:
        templates.update_template(world.tx(ACC), kept["id"], {"account_id": "x"})
    assert info.value.code == "opinion_template.field_not_editable"
    same = world.tx(ACC)
    assert templates.update_template(same, kept["id"], {"text": "同意"})["text"] == "同意" and same.audited == []
    edited = world.tx(ACC)
    assert templates.update_template(edited, kept["id"], {"text": "同意，材料齐全", "sort_order": 5})["sort_order"] == 5
    assert edited.audit_actions() == ["opinion_template.update"]
    assert templates.delete_template(world.tx(ACC), kept["id"]) == {"id": kept["id"], "deleted": True}
    assert [t["text"] for t in templates.list_templates(world.tx(ACC))["items"]] == ["退回"]
