"""Onboarding over HTTP against the platform as `make run` starts it: 单位注册 with the county's review,
个人注册 with proof materials and the unit's review, the attachments API with live-token checks (after
logout or deactivation: 401), and bad input that changes nothing."""
from __future__ import annotations

import uuid

import pytest

from shared.validators import org_code_check_char, uscc_check_char
from tests.e2e.walk import PASSWORD, new_id_number, new_mobile, sms_code, terms_version, until

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")
DEMO_UNIT = "6f1c2a10-0000-4000-8000-000000000001"


def new_uscc() -> str:
    n = uuid.uuid4().int
    org = "MA5" + "".join("0123456789ABCDEFGHJKLMNPQRTUWXY"[(n >> (5 * i)) % 31] for i in range(5))
    body = "91440703" + org + org_code_check_char(org)
    return body + uscc_check_char(body)


def upload(api, kind: str, content: bytes = PDF, name: str = "营业执照.pdf"):
    return api.post("/api/v1/attachments", files={"file": (name, content, "application/pdf")}, data={"kind": kind})


def account(api, username: str | None = None) -> dict:
    mobile = new_mobile()
    return {"username": username or f"u{uuid.uuid4().hex[:10]}", "password": PASSWORD, "name": "测试经办人",
            "mobile": mobile, "email": "test@example.com", "sms_code": sms_code(api.base, mobile)}


def unit_data(api, **patch) -> dict:
    licence = upload(api, "business_license")
    assert licence.status_code == 201, licence.text
    terms = api.get("/api/v1/public/terms/unit").json()
    data = {"name": f"江门市新注册{uuid.uuid4().hex[:4]}有限公司", "region": "440703", "supervisor_region": "440703",
            "uscc": new_uscc(), "leader": "周负责", "leader_phone": "13700000000",
            "terms_version": terms["version"], "attachment_ids": [licence.json()["id"]]}
    data.update(patch)
    return data


def test_a_unit_registers_is_returned_resubmits_and_is_approved(api):
    data = unit_data(api)
    body = {"account": account(api), "unit": data}
    registered = api.post("/api/v1/registrations/unit", json=body)
    assert registered.status_code == 201, registered.text
    unit_id = registered.json()["unit"]["id"]
    clerk = api.login(body["account"]["username"])
    mine = clerk.get("/api/v1/units/mine").json()
    assert mine["status"] == "pending" and mine["attachments"][0]["kind"] == "business_license"
    assert clerk.get(f"/api/v1/attachments/{data['attachment_ids'][0]}").content == PDF

    county, other = api.login("rsj440703"), api.login("rsj440704")
    todos = {t["key"]: t["count"] for t in county.get("/api/v1/todos").json()["items"]}
    assert todos["units.pending_review"] >= 1
    assert other.get(f"/api/v1/units/{unit_id}").status_code == 404
    assert other.get(f"/api/v1/attachments/{data['attachment_ids'][0]}").status_code == 404
    assert county.get(f"/api/v1/attachments/{data['attachment_ids'][0]}").content == PDF
    returned = county.post(f"/api/v1/units/{unit_id}/return", json={"opinion": "请上传清晰的营业执照"})
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert clerk.get("/api/v1/units/mine").json()["opinion"] == "请上传清晰的营业执照"

    # a returned registration resubmitted by someone else: 404, nothing changed
    other_clerk = api.login("dw_jianghai")
    assert other_clerk.post(f"/api/v1/units/{unit_id}/resubmit", json=unit_data(api)).status_code == 404
    again = clerk.post(f"/api/v1/units/{unit_id}/resubmit", json=unit_data(api, name=data["name"], uscc=data["uscc"]))
    assert again.status_code == 200, again.text
    assert again.json()["round"] == 2
    assert county.post(f"/api/v1/units/{unit_id}/approve", json={"opinion": "同意"}).json()["status"] == "approved"
    rounds = [h["action"] for h in clerk.get(f"/api/v1/units/{unit_id}/history").json()]
    assert rounds == ["submitted", "returned", "resubmitted", "approved"]
    assert unit_id in [u["id"] for u in api.get("/api/v1/public/units", params={"q": data["name"]}).json()["items"]]


@pytest.mark.parametrize("patch, status, code", [
    ({"uscc": "91440703MA5X12349K"}, 400, "uscc.check_digit"),
    ({"region": "449999"}, 400, "region.unknown"),
    ({"uscc": "91440703MA5X12349J"}, 409, "unit.uscc_taken"),   # the demo unit's
    ({"attachment_ids": []}, 400, "unit.business_license_required"),
])
def test_bad_unit_registrations_create_no_account(api, patch, status, code):
    body = {"account": account(api), "unit": unit_data(api, **patch)}
    response = api.post("/api/v1/registrations/unit", json=body)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code and error["message"]
    # nothing changed: the account does not exist, and the unused SMS code still registers it
    assert api.post("/api/v1/auth/login", json={"username": body["account"]["username"],
                                                "password": PASSWORD}).status_code == 401


def test_bad_attachments_are_refused(api):
    exe = upload(api, "business_license", b"MZ\x90\x00" + b"\x00" * 512, "营业执照.pdf")   # a renamed .exe
    assert exe.status_code == 400 and exe.json()["error"]["code"] == "attachment.type_not_allowed"
    big = upload(api, "business_license", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024))
    assert big.status_code == 400 and big.json()["error"]["code"] == "attachment.too_large"
    assert upload(api, "application_material").status_code == 401   # needs an account


def test_a_graduate_registers_with_proof_the_unit_returns_and_approves(api):
    proof = upload(api, "proof", name="毕业证书.pdf").json()
    preview = api.get(f"/api/v1/attachments/{proof['id']}", params={"key": proof["upload_key"]})
    assert preview.status_code == 200 and preview.content == PDF
    units = api.get("/api/v1/public/units", params={"q": "示范科技"}).json()["items"]
    assert [u["id"] for u in units] == [DEMO_UNIT]
    person = {"name": "赵六", "id_type": "resident_id", "id_number": new_id_number("440703"),
              "degree": "master", "graduated_on": "2025-06-30", "attachment_ids": [proof["id"]],
              "bank_account": {"holder": "赵六", "bank": "中国银行江门分行",
                               "number": "62166100" + str(uuid.uuid4().int % 10**11).zfill(11)}}
    acc = account(api)
    # the 个人注册用户须知 must be accepted, in its current version: refused before any account exists
    for terms, code in ((None, "terms.not_accepted"), ("2020.1", "terms.outdated")):
        refused = api.post("/api/v1/registrations/individual", json={
            "account": acc, "unit_id": DEMO_UNIT,
            "registration": {**person, "mobile": acc["mobile"], "terms_version": terms}})
        assert refused.status_code == 400 and refused.json()["error"]["code"] == code, refused.text
        details = refused.json()["error"]["details"]
        assert details["part"] == "registration" and set(details["fields"]) == {"terms_version"}
    assert api.post("/api/v1/auth/login", json={"username": acc["username"], "password": PASSWORD}).status_code == 401
    person["terms_version"] = terms_version(api.base)
    bad = api.post("/api/v1/registrations/individual", json={
        "account": acc, "unit_id": str(uuid.uuid4()), "registration": {**person, "mobile": acc["mobile"]}})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "individual.unit_not_approved"
    response = api.post("/api/v1/registrations/individual", json={
        "account": acc, "unit_id": DEMO_UNIT, "registration": {**person, "mobile": acc["mobile"]}})
    assert response.status_code == 201, response.text
    individual_id = response.json()["individual"]["id"]
    assert response.json()["individual"]["terms_version"] == person["terms_version"]
    graduate = api.login(acc["username"])
    # the key no longer opens a linked file; the unit reads it like the registration
    assert api.get(f"/api/v1/attachments/{proof['id']}", params={"key": proof["upload_key"]}).status_code == 404
    unit = api.login("dw_demo")
    detail = unit.get(f"/api/v1/individuals/{individual_id}").json()
    assert [a["filename"] for a in detail["attachments"]] == ["毕业证书.pdf"]
    assert detail["terms_version"] == person["terms_version"] and detail["terms_accepted_at"]
    assert unit.get(f"/api/v1/attachments/{proof['id']}").content == PDF
    assert api.login("dw_jianghai").get(f"/api/v1/attachments/{proof['id']}").status_code == 404
    assert unit.post(f"/api/v1/individuals/{individual_id}/return", json={"opinion": "证明材料不全"}).status_code == 200
    stranger = api.login("lisi")
    assert stranger.post("/api/v1/individuals/mine/resubmit",
                         json={**person, "mobile": "13800000004"}).status_code in (404, 409)
    resubmitted = graduate.post("/api/v1/individuals/mine/resubmit", json={**person, "mobile": acc["mobile"]})
    assert resubmitted.status_code == 200, resubmitted.text
    assert unit.post(f"/api/v1/individuals/{individual_id}/approve", json={}).json()["status"] == "approved"
    rounds = [(h["round"], h["action"]) for h in unit.get(f"/api/v1/individuals/{individual_id}").json()["history"]]
    assert rounds == [(1, "submitted"), (1, "returned"), (2, "resubmitted"), (2, "approved")]
    # the admin no longer opens graduates' accounts
    admin = api.login("admin")
    refused = admin.post("/api/v1/accounts", json={"username": f"x{uuid.uuid4().hex[:8]}", "password": PASSWORD,
                                                   "role": "individual", "name": "某人", "unit_id": DEMO_UNIT})
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "account.self_registration_required"


def test_attachment_routes_need_a_live_token(api):
    """Issue 9 item 4: after logout and after deactivation, downloads and uploads answer 401."""
    acc = account(api)
    person = {"name": "钱七", "id_type": "resident_id", "id_number": new_id_number("440703"), "mobile": acc["mobile"],
              "degree": "bachelor", "graduated_on": "2025-06-30",
              "bank_account": {"holder": "钱七", "bank": "中国银行",
                               "number": "62166100" + str(uuid.uuid4().int % 10**11).zfill(11)},
              "terms_version": terms_version(api.base)}
    registered = api.post("/api/v1/registrations/individual", json={"account": acc, "unit_id": DEMO_UNIT,
                                                                    "registration": person})
    assert registered.status_code == 201, registered.text
    graduate = api.login(acc["username"])
    material = upload(graduate, "application_material", name="租房合同.pdf")
    assert material.status_code == 201, material.text
    material_id = material.json()["id"]
    assert graduate.get(f"/api/v1/attachments/{material_id}").status_code == 200
    assert graduate.post("/api/v1/auth/logout").status_code == 200
    until(lambda: graduate.get(f"/api/v1/attachments/{material_id}").status_code == 401,
          message="a logged-out token refused by subsidy_review")
    assert upload(graduate, "application_material").status_code == 401

    again = api.login(acc["username"])
    assert again.get(f"/api/v1/attachments/{material_id}").status_code == 200
    admin = api.login("admin")
    assert admin.post(f"/api/v1/accounts/{registered.json()['account']['id']}/deactivate").status_code == 200
    until(lambda: again.get(f"/api/v1/attachments/{material_id}").status_code == 401,
          message="a deactivated account's token refused by subsidy_review")
    assert upload(again, "application_material").status_code == 401
