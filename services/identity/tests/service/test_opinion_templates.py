"""常用审核意见: an officer's own saved opinions. Text normalised and 1-200 characters, kind approve /
return / any, at most the policy's number per officer (409), no duplicate text (409), another officer's
template is 404, every change audited, bad input changes nothing."""
import eventlet
from nameko.exceptions import RemoteError

from shared.errors import from_remote
from shared.testing.helpers import refusal, rows, rpc_client, scalar

UNIT = "6f1c2a10-0000-4000-8000-000000000001"


def client(config, token=None):
    return rpc_client(config["AMQP_URI"], "identity", token)


def login(config, username, password="Demo2026"):
    with client(config) as svc:
        return "Bearer " + svc.login(username, password)["access_token"]


def count(url) -> int:
    return scalar(url, "SELECT count(*) FROM opinion_templates")


def test_an_officer_keeps_own_templates_with_their_rules(identity, identity_config, identity_url):
    admin = login(identity_config, "admin")
    with client(identity_config, admin) as svc:
        svc.create_account({"username": "clerk2", "password": "Other-2026x", "role": "county_hrss",
                            "region": "440704", "name": "另一经办人"})
        svc.create_account({"username": "person1", "password": "Person-2026x", "role": "individual",
                            "unit_id": UNIT, "name": "张三"})
    clerk, other = login(identity_config, "clerk"), login(identity_config, "clerk2", "Other-2026x")
    person = login(identity_config, "person1", "Person-2026x")

    with client(identity_config, clerk) as me:
        # saved, normalised (NFC, trimmed), appended in order; the kind defaults to any
        first = me.create_opinion_template({"text": "  材料齐全，同意。 "})
        assert (first["text"], first["kind"], first["kind_label"], first["sort_order"]) == (
            "材料齐全，同意。", "any", "通用", 0)
        decomposed = "学历证明不清晰，请重新上传" + "e\u0301"          # é as e + combining accent
        back = me.create_opinion_template({"text": decomposed, "kind": "return"})
        assert back["text"].endswith("\u00e9") and back["kind_label"] == "退回" and back["sort_order"] == 1
        approve = me.create_opinion_template({"text": "同意", "kind": "approve", "sort_order": 0})

        # bad input: 400, nothing stored
        before = count(identity_url)
        for data, code in [({"text": ""}, "opinion_template.text_required"),
                           ({"text": " \u3000\u200b "}, "opinion_template.text_required"),
                           ({}, "opinion_template.text_format"),
                           ({"text": 12}, "opinion_template.text_format"),
                           ({"text": "x" * 201}, "opinion_template.text_too_long"),
                           ({"text": "a\x00b"}, "input.control_character"),
                           ({"text": "好", "kind": "maybe"}, "opinion_template.kind_invalid"),
                           ({"text": "好", "sort_order": -1}, "input.number_out_of_range"),
                           ({"text": "好", "sort_order": 1.5}, "input.integer_required")]:
            assert refusal(me.create_opinion_template, data) == (400, code), data
        assert me.create_opinion_template({"text": "y" * 200})["text"] == "y" * 200   # 200 is allowed
        # the same text again (another kind, surrounding spaces) is a duplicate
        assert refusal(me.create_opinion_template, {"text": " 同意 ", "kind": "return"}) == (
            409, "opinion_template.duplicate")
        assert count(identity_url) == before + 1

        # the list: in sort order; a dialog's kind keeps its own and the general ones
        listed = me.list_opinion_templates()
        assert [t["text"] for t in listed["items"]][:3] == ["材料齐全，同意。", "同意", back["text"]]
        assert listed["max"] == 50 and listed["total"] == 4
        assert {t["kind"] for t in me.list_opinion_templates("return")["items"]} == {"any", "return"}
        assert {t["kind"] for t in me.list_opinion_templates("approve")["items"]} == {"any", "approve"}
        assert refusal(me.list_opinion_templates, "later") == (400, "opinion_template.kind_invalid")

        # update: text, kind, order; duplicates and unknown fields refused
        updated = me.update_opinion_template(approve["id"], {"text": "同意上报。", "sort_order": 5})
        assert (updated["text"], updated["sort_order"], updated["kind"]) == ("同意上报。", 5, "approve")
        assert refusal(me.update_opinion_template, approve["id"], {"text": "材料齐全，同意。"}) == (
            409, "opinion_template.duplicate")
        assert refusal(me.update_opinion_template, approve["id"], {"account_id": "x"}) == (
            400, "opinion_template.field_not_editable")
        assert refusal(me.update_opinion_template, approve["id"], {"text": ""}) == (
            400, "opinion_template.text_required")
        assert me.update_opinion_template(approve["id"], {"text": "同意上报。"})["text"] == "同意上报。"  # unchanged

    # another officer sees none of them and reaches none (404), an applicant has none (403)
    with client(identity_config, other) as them:
        assert them.list_opinion_templates()["items"] == []
        assert refusal(them.update_opinion_template, approve["id"], {"text": "改"}) == (
            404, "opinion_template.not_found")
        assert refusal(them.delete_opinion_template, approve["id"]) == (404, "opinion_template.not_found")
        assert them.create_opinion_template({"text": "同意上报。"})["text"] == "同意上报。"  # own list: no duplicate
    with client(identity_config, person) as applicant:
        assert refusal(applicant.list_opinion_templates)[0] == 403
        assert refusal(applicant.create_opinion_template, {"text": "自拟"})[0] == 403

    with client(identity_config, clerk) as me:
        assert me.delete_opinion_template(first["id"]) == {"id": first["id"], "deleted": True}
        assert refusal(me.delete_opinion_template, first["id"]) == (404, "opinion_template.not_found")
        assert refusal(me.update_opinion_template, "not-an-id", {"text": "x"}) == (404, "opinion_template.not_found")

    audit = rows(identity_url, "SELECT action, subject_id, before, after FROM platform_audit_log "
                               "WHERE subject_type='opinion_template' ORDER BY at, action")
    actions = [a["action"] for a in audit]
    assert actions.count("opinion_template.create") == 5 and actions.count("opinion_template.update") == 1
    [changed] = [a for a in audit if a["action"] == "opinion_template.update"]
    assert changed["before"]["text"] == "同意" and changed["after"] == {"text": "同意上报。", "kind": "approve",
                                                                        "sort_order": 5}
    [deleted] = [a for a in audit if a["action"] == "opinion_template.delete"]
    assert deleted["subject_id"] == first["id"] and deleted["before"]["text"] == "材料齐全，同意。"


def test_the_number_per_officer_is_the_policy_s(identity, identity_config, identity_url):
    with client(identity_config, login(identity_config, "admin")) as admin:
        admin.set_policy({"opinion_templates_max": 3})
    with client(identity_config, login(identity_config, "clerk")) as me:
        for n in range(3):
            me.create_opinion_template({"text": f"意见{n}"})
        assert refusal(me.create_opinion_template, {"text": "意见3"}) == (409, "opinion_template.limit_reached")
        assert me.list_opinion_templates()["total"] == 3 and count(identity_url) == 3
        # one deleted makes room again
        me.delete_opinion_template(me.list_opinion_templates()["items"][0]["id"])
        assert me.create_opinion_template({"text": "意见3"})["sort_order"] == 3


def test_two_saves_at_once_at_the_limit_leave_one(identity, identity_config, identity_url):
    """The account row is locked while counting: two saves racing for the last place cannot both pass."""
    with client(identity_config, login(identity_config, "admin")) as admin:
        admin.set_policy({"opinion_templates_max": 2})
    token = login(identity_config, "clerk")
    with client(identity_config, token) as me:
        me.create_opinion_template({"text": "意见0"})

    def save(text):
        try:
            with client(identity_config, token) as svc:
                return svc.create_opinion_template({"text": text})["text"]
        except RemoteError as exc:
            return from_remote(exc.exc_type, exc.value).code

    outcomes = list(eventlet.GreenPool(2).imap(save, ["意见A", "意见B"]))
    assert outcomes.count("opinion_template.limit_reached") == 1, outcomes
    assert {"意见A", "意见B"} & set(outcomes) and count(identity_url) == 2
