"""单位注册 with the county's review, 单位信息管理 and the attachment records, against real RabbitMQ and
PostgreSQL."""
import hashlib
import uuid

import pytest

from shared.attachments import new_attachment_id
from shared.testing import rabbit
from shared.testing.helpers import rows, scalar, wait_for
from shared.testing.service import callers
from shared.validators import org_code_check_char, uscc_check_char

SERVICE = "unit_registry"


rpc, error_of = callers(SERVICE)




def make_uscc(n: int) -> str:
    org = f"MA5H{n:04d}"
    body = "91440703" + org + org_code_check_char(org)
    return body + uscc_check_char(body)


def meta(kind="business_license", content_type="application/pdf", size=1000, filename="营业执照.pdf"):
    return {"id": new_attachment_id("unit_registry"), "sha256": hashlib.sha256(uuid.uuid4().bytes).hexdigest(),
            "content_type": content_type, "size": size, "filename": filename, "kind": kind}


@pytest.fixture
def unit_form(unit_registry_config):
    """Valid unit registration data with a freshly uploaded licence (from the registration form, no login)."""
    def _form(n=1, **patch):
        licence = rpc(unit_registry_config, "record_public_attachment", meta())
        terms = rpc(unit_registry_config, "current_terms", "unit")["version"]
        data = {"name": f"江门市测试单位{n}有限公司", "region": "440703", "supervisor_region": "440703",
                "uscc": make_uscc(n), "leader": "赵负责", "leader_phone": "0750-3201234",
                "terms_version": terms, "attachment_ids": [licence["id"]]}
        data.update(patch)
        return data
    return _form


@pytest.fixture
def new_clerk(issue):
    """The token of an account identity has just created for a new unit: (token, unit_id, account_id)."""
    def _new():
        unit_id, account_id = str(uuid.uuid4()), str(uuid.uuid4())
        return issue(role="unit_admin", region=None, unit_id=unit_id, account_id=account_id)[0], unit_id, account_id
    return _new


def drain(tap, subject, count, skip=()):
    """The first ``count`` events about ``subject`` (types in ``skip``, e.g. the seed's, left out)."""
    found = []
    wait_for(lambda: found.extend(m["body"] for m in tap.drain()
                                  if m["body"]["subject"] == subject and m["body"]["type"] not in skip)
             or len(found) >= count, timeout=5, message=f"{count} events about {subject}")
    return found


def test_terms_are_versioned_data(unit_registry, unit_registry_config):
    terms = rpc(unit_registry_config, "current_terms", "unit")
    assert terms["version"] == "2026.1" and terms["title"] == "单位注册用户须知" and "营业执照" in terms["body"]
    assert rpc(unit_registry_config, "current_terms", "individual")["title"] == "个人注册用户须知"
    assert error_of(unit_registry_config, "current_terms", "other") == (400, "terms.kind_unknown")


def test_a_unit_registers_is_returned_resubmits_and_is_approved(unit_registry, unit_registry_config, unit_registry_db,
                                                                vhost, issue, unit_form, new_clerk, clerk):
    cfg = unit_registry_config
    tap = rabbit.Tap(vhost, ["unit_registry.events"], "unit.*")
    data = unit_form()
    assert rpc(cfg, "check_unit_registration", data) == {"ok": True}
    token, unit_id, account_id = new_clerk()
    unit = rpc(cfg, "register_unit", unit_id, data, token=token)
    assert unit["status"] == "pending" and unit["status_label"] == "待审核" and unit["round"] == 1
    assert unit["admin_account_id"] == account_id and unit["terms_version"] == "2026.1" and unit["terms_accepted_at"]
    assert [a["kind_label"] for a in unit["attachments"]] == ["企业营业执照"]
    assert error_of(cfg, "register_unit", unit_id, data, token=token) == (409, "unit.already_registered")
    assert rpc(cfg, "my_unit", token=token)["status"] == "pending"  # a pending unit sees its status

    county, other_county = issue(role="county_hrss", region="440703")[0], issue(role="county_hrss", region="440704")[0]
    assert {"key": "units.pending_review", "count": 1, "label": "您有【1】个单位注册待审核",
            "href": "/portal/units?status=pending"} in rpc(cfg, "todos", token=county)
    assert [u["id"] for u in rpc(cfg, "list_units", {"status": "pending"}, 1, 20, token=county)["items"]] == [unit_id]
    assert rpc(cfg, "list_units", {"status": "pending"}, 1, 20, token=other_county)["total"] == 0
    assert error_of(cfg, "get_unit", unit_id, token=other_county) == (404, "unit.not_found")
    assert error_of(cfg, "approve_unit", unit_id, None, token=other_county) == (404, "unit.not_found")
    assert error_of(cfg, "approve_unit", unit_id, None, token=clerk()) == (403, "auth.forbidden")
    assert error_of(cfg, "return_unit", unit_id, "  ", token=county) == (400, "opinion.required")

    returned = rpc(cfg, "return_unit", unit_id, "营业执照不清晰，请重新上传", token=county)
    assert returned["status"] == "returned" and returned["opinion"] == "营业执照不清晰，请重新上传"
    mine = rpc(cfg, "my_unit", token=token)
    assert mine["status_label"] == "退回修改" and mine["opinion"] == "营业执照不清晰，请重新上传"

    # someone else (another unit's clerk) cannot resubmit it; a new round needs the terms and a licence again
    other_token = new_clerk()[0]
    assert error_of(cfg, "resubmit_unit", unit_id, unit_form(2), token=other_token) == (404, "unit.not_found")
    assert error_of(cfg, "resubmit_unit", unit_id, unit_form(1, terms_version=None), token=token) == (
        400, "terms.not_accepted")
    again = rpc(cfg, "resubmit_unit", unit_id, unit_form(1, name="江门市测试单位一有限公司"), token=token)
    assert again["status"] == "pending" and again["round"] == 2 and again["name"] == "江门市测试单位一有限公司"
    assert error_of(cfg, "resubmit_unit", unit_id, unit_form(1), token=token) == (409, "unit.illegal_transition")

    approved = rpc(cfg, "approve_unit", unit_id, "审核通过", token=county)
    assert approved["status"] == "approved" and approved["approved_at"]
    assert [(h["round"], h["action"], h["opinion"]) for h in rpc(cfg, "unit_history", unit_id, token=token)] == [
        (1, "submitted", None), (1, "returned", "营业执照不清晰，请重新上传"), (2, "resubmitted", None),
        (2, "approved", "审核通过")]
    seen = [e["type"] for e in drain(tap, unit_id, 4)]
    assert seen == ["unit.registered", "unit.returned", "unit.resubmitted", "unit.approved"]
    assert scalar(unit_registry_db, "SELECT count(*) FROM platform_audit_log WHERE subject_id=:u", u=unit_id) == 4
    # the approved unit is now one a graduate may choose
    assert unit_id in [u["id"] for u in rpc(cfg, "list_approved_units", None, "测试单位一", 1, 50)["items"]]


def _unit_state(db):
    return (rows(db, "SELECT id, status, name, round FROM units ORDER BY id"),
            scalar(db, "SELECT count(*) FROM platform_outbox"), scalar(db, "SELECT count(*) FROM platform_audit_log"),
            scalar(db, "SELECT count(*) FROM attachments WHERE subject_id IS NOT NULL"),
            scalar(db, "SELECT count(*) FROM review_history"))


@pytest.mark.parametrize("patch, expected", [
    ({"uscc": "check digit"}, (400, "uscc.check_digit")),
    ({"uscc": "123"}, (400, "uscc.length")),
    ({"region": "999999"}, (400, "region.unknown")),
    ({"region": "44070"}, (400, "region.format")),
    ({"region": "440700"}, (400, "region.not_county")),
    ({"supervisor_region": "440106"}, (400, "unit.supervisor_outside_city")),
    ({"uscc": "91440703MA5X12349J"}, (409, "unit.uscc_taken")),  # the demo unit's
    ({"terms_version": None}, (400, "terms.not_accepted")),
    ({"terms_version": "2020.1"}, (400, "terms.outdated")),
    ({"attachment_ids": []}, (400, "unit.business_license_required")),
    ({"attachment_ids": ["ur-" + "0" * 32]}, (400, "attachment.unknown")),
    ({"leader_phone": "12345"}, (400, "phone.format")),
])
def test_bad_unit_data_is_refused_and_changes_nothing(unit_registry, unit_registry_config, unit_registry_db,
                                                      unit_form, new_clerk, patch, expected):
    cfg = unit_registry_config
    data = unit_form(3, **patch)
    if expected[1] == "uscc.check_digit":
        data["uscc"] = make_uscc(3)[:-1] + ("0" if make_uscc(3)[-1] != "0" else "1")
    before = _unit_state(unit_registry_db)
    assert error_of(cfg, "check_unit_registration", data)[1] == expected[1]
    token, unit_id, _ = new_clerk()
    assert error_of(cfg, "register_unit", unit_id, data, token=token) == expected
    assert _unit_state(unit_registry_db) == before


def test_an_attachment_of_someone_else_or_of_the_wrong_kind_is_refused(unit_registry, unit_registry_config,
                                                                      unit_form, new_clerk, graduate):
    cfg = unit_registry_config
    token, unit_id, _ = new_clerk()
    someone = graduate()[0]
    private = rpc(cfg, "record_attachment", meta(), token=someone)  # another user's upload
    assert error_of(cfg, "register_unit", unit_id, unit_form(4, attachment_ids=[private["id"]]), token=token) == (
        400, "attachment.unknown")
    proof = rpc(cfg, "record_public_attachment", meta(kind="proof"))
    assert error_of(cfg, "register_unit", unit_id, unit_form(4, attachment_ids=[proof["id"]]), token=token) == (
        400, "attachment.kind_not_allowed")
    # types and sizes the kind does not accept, kinds this service does not keep
    assert error_of(cfg, "record_attachment", meta(content_type="application/x-msdownload"), token=token) == (
        400, "attachment.type_not_allowed")
    assert error_of(cfg, "record_attachment", meta(size=6 * 1024 * 1024), token=token) == (400, "attachment.too_large")
    assert error_of(cfg, "record_attachment", meta(kind="application_material"), token=token) == (
        400, "attachment.kind_unknown")


def test_attachments_are_readable_like_the_record_that_refers_to_them(unit_registry, unit_registry_config, issue,
                                                                     unit_form, new_clerk, clerk, graduate):
    cfg = unit_registry_config
    data = unit_form(5)
    [licence] = data["attachment_ids"]
    assert rpc(cfg, "public_attachment", licence)["kind"] == "business_license"  # previewable right after upload
    token, unit_id, _ = new_clerk()
    rpc(cfg, "register_unit", unit_id, data, token=token)
    assert error_of(cfg, "public_attachment", licence) == (404, "attachment.not_found")  # linked: no longer public
    county = issue(role="county_hrss", region="440703")[0]
    city = issue(role="city_hrss", region="440700")[0]
    assert rpc(cfg, "attachment_for_download", licence, token=token)["id"] == licence
    assert rpc(cfg, "attachment_for_download", licence, token=county)["filename"] == "营业执照.pdf"
    assert rpc(cfg, "attachment_for_download", licence, token=city)["id"] == licence
    for outsider in (issue(role="county_hrss", region="440704")[0], clerk(), graduate()[0],
                     issue(role="county_org", region="440703")[0]):
        assert error_of(cfg, "attachment_for_download", licence, token=outsider) == (404, "attachment.not_found")
    # an upload of a logged-in user is theirs alone until linked
    own = rpc(cfg, "record_attachment", meta(kind="proof"), token=token)
    assert rpc(cfg, "attachment_for_download", own["id"], token=token)["id"] == own["id"]
    assert error_of(cfg, "attachment_for_download", own["id"], token=county) == (404, "attachment.not_found")
    assert error_of(cfg, "attachment_for_download", "../../etc/passwd", token=token) == (404, "attachment.not_found")


def test_unit_information_changes(unit_registry, unit_registry_config, unit_registry_db, vhost, issue, clerk, demo):
    cfg = unit_registry_config
    unit_id = demo["units"][0]["id"]
    county, other_county = issue(role="county_hrss", region="440703")[0], issue(role="county_hrss", region="440704")[0]
    tap = rabbit.Tap(vhost, ["unit_registry.events"], "unit.*")
    # the leader's contact changes at once
    result = rpc(cfg, "update_unit", {"leader": "王新", "leader_phone": "13800000019"}, token=clerk())
    assert result["applied"] == ["leader", "leader_phone"] and result["change"] is None
    assert result["unit"]["leader"] == "王新"
    # a new name waits for the county; the current name stays in force
    result = rpc(cfg, "update_unit", {"name": "江门市蓬江区示范科技集团有限公司"}, token=clerk())
    change = result["change"]
    assert change["status"] == "pending" and change["change_summary"] == (
        "单位名称：江门市蓬江区示范科技有限公司 → 江门市蓬江区示范科技集团有限公司")
    assert rpc(cfg, "my_unit", token=clerk())["name"] == "江门市蓬江区示范科技有限公司"
    assert error_of(cfg, "update_unit", {"uscc": make_uscc(9)}, token=clerk()) == (409, "unit_change.pending_exists")
    unchanged = {"name": "江门市蓬江区示范科技有限公司"}
    assert error_of(cfg, "update_unit", unchanged, token=clerk()) == (400, "unit.unchanged")
    assert {"key": "unit_changes.pending_review", "count": 1, "label": "您有【1】个单位信息变更待审核",
            "href": "/portal/unit-changes?status=pending"} in rpc(cfg, "todos", token=county)
    assert error_of(cfg, "approve_unit_change", change["id"], None, token=other_county) == (
        404, "unit_change.not_found")
    assert error_of(cfg, "get_unit_change", change["id"], token=clerk(demo["units"][1]["id"],
                                                                        demo["units"][1]["admin_account_id"])) == (
        404, "unit_change.not_found")
    approved = rpc(cfg, "approve_unit_change", change["id"], "同意变更", token=county)
    assert approved["status"] == "approved"
    assert rpc(cfg, "my_unit", token=clerk())["name"] == "江门市蓬江区示范科技集团有限公司"
    # a change to a USCC another unit holds is refused; a returned change leaves the data as it was
    assert error_of(cfg, "update_unit", {"uscc": demo["units"][1]["uscc"]}, token=clerk()) == (409, "unit.uscc_taken")
    change = rpc(cfg, "update_unit", {"region": "440704", "supervisor_region": "440704"}, token=clerk())["change"]
    rpc(cfg, "return_unit_change", change["id"], "请补充迁址证明", token=county)
    unit = rpc(cfg, "my_unit", token=clerk())
    assert unit["region"] == "440703" and [c["status"] for c in unit["changes"]] == ["returned", "approved"]
    actions = [(h["action"], h["opinion"]) for h in rpc(cfg, "unit_history", unit_id, token=clerk())]
    assert actions[-2:] == [("changed", None), ("changed", "同意变更")]
    types = [e["type"] for e in drain(tap, unit_id, 5, skip=("unit.registered", "unit.approved"))]
    assert types == ["unit.changed", "unit.change_requested", "unit.changed", "unit.change_requested",
                     "unit.change_returned"]


def test_a_pending_unit_cannot_change_its_data_or_take_people(unit_registry, unit_registry_config, unit_form,
                                                             new_clerk, graduate, registration):
    cfg = unit_registry_config
    token, unit_id, _ = new_clerk()
    rpc(cfg, "register_unit", unit_id, unit_form(6), token=token)
    assert error_of(cfg, "update_unit", {"leader": "某某"}, token=token) == (409, "unit.not_approved")
    person = graduate(unit_id)[0]
    assert error_of(cfg, "register_individual", registration(7), token=person) == (
        400, "individual.unit_not_approved")
    assert error_of(cfg, "check_individual_registration", unit_id, registration(7)) == (
        400, "individual.unit_not_approved")
    assert error_of(cfg, "check_individual_registration", "not-a-unit", registration(7)) == (
        400, "individual.unit_not_approved")


def test_proof_materials_go_with_the_registration_and_every_round_is_kept(unit_registry, unit_registry_config,
                                                                          issue, clerk, demo, registration):
    cfg = unit_registry_config
    proof = rpc(cfg, "record_public_attachment", meta(kind="proof", filename="毕业证书.pdf"))
    data = registration(21, attachment_ids=[proof["id"]])
    assert rpc(cfg, "check_individual_registration", demo["units"][0]["id"], data)["unit_name"] == (
        "江门市蓬江区示范科技有限公司")
    account_id = str(uuid.uuid4())
    token = issue(role="individual", region=None, unit_id=demo["units"][0]["id"], account_id=account_id)[0]
    mine = rpc(cfg, "register_individual", data, token=token)
    assert [a["filename"] for a in mine["attachments"]] == ["毕业证书.pdf"]
    detail = rpc(cfg, "get_individual", mine["id"], token=clerk())
    assert detail["attachments"][0]["kind_label"] == "证明材料"
    county = issue(role="county_hrss", region="440703")[0]
    other_clerk = clerk(demo["units"][1]["id"], demo["units"][1]["admin_account_id"])
    assert rpc(cfg, "attachment_for_download", proof["id"], token=clerk())["id"] == proof["id"]
    assert rpc(cfg, "attachment_for_download", proof["id"], token=county)["id"] == proof["id"]
    assert rpc(cfg, "attachment_for_download", proof["id"], token=token)["id"] == proof["id"]
    assert error_of(cfg, "attachment_for_download", proof["id"], token=other_clerk) == (404, "attachment.not_found")
    rpc(cfg, "return_individual", mine["id"], "请补充劳动合同", token=clerk())
    contract = rpc(cfg, "record_attachment", meta(kind="proof", filename="劳动合同.pdf"), token=token)
    again = rpc(cfg, "resubmit_individual", {**data, "attachment_ids": [proof["id"], contract["id"]]}, token=token)
    assert again["round"] == 2 and [a["filename"] for a in again["attachments"]] == ["毕业证书.pdf", "劳动合同.pdf"]
    rpc(cfg, "approve_individual", mine["id"], None, token=clerk())
    history = rpc(cfg, "get_individual", mine["id"], token=clerk())["history"]
    assert [(h["round"], h["action"], h["opinion"]) for h in history] == [
        (1, "submitted", None), (1, "returned", "请补充劳动合同"), (2, "resubmitted", None), (2, "approved", None)]
    # someone else's upload cannot be slipped into a registration
    stranger = rpc(cfg, "record_attachment", meta(kind="proof"), token=issue(role="individual", region=None)[0])
    other_token = issue(role="individual", region=None, unit_id=demo["units"][0]["id"])[0]
    assert error_of(cfg, "register_individual", registration(22, attachment_ids=[stranger["id"]]),
                    token=other_token) == (400, "attachment.unknown")


def test_a_units_people_follow_its_supervising_county(unit_registry, unit_registry_config, issue, unit_form,
                                                      new_clerk, graduate, registration):
    """A unit in 江海区 whose 主管部门 is 蓬江区's HRSS: 蓬江区 reviews the unit and sees its people."""
    cfg = unit_registry_config
    token, unit_id, _ = new_clerk()
    rpc(cfg, "register_unit", unit_id, unit_form(31, region="440704", supervisor_region="440703"), token=token)
    pengjiang, jianghai = issue(role="county_hrss", region="440703")[0], issue(role="county_hrss", region="440704")[0]
    assert error_of(cfg, "approve_unit", unit_id, None, token=jianghai) == (404, "unit.not_found")
    rpc(cfg, "approve_unit", unit_id, None, token=pengjiang)
    person = rpc(cfg, "register_individual", registration(32), token=graduate(unit_id)[0])
    assert person["region"] == "440703"
    assert rpc(cfg, "get_individual", person["id"], token=pengjiang)["id"] == person["id"]
    assert error_of(cfg, "get_individual", person["id"], token=jianghai) == (404, "individual.not_found")
