"""The portal's server side without services (a fake RPC pool): login and its CSRF check, the idle
timeout's message, Chinese error pages beside the API's JSON errors, to-do notices for a service
that is down, and exports that never hand a spreadsheet a formula. Milliseconds each."""
from __future__ import annotations

import csv
import io
import re
import time
from urllib.parse import parse_qs, urlparse

import pytest

from gateway.portal.formatting import cn_date, cn_datetime, cny, highlight
from gateway.testing import gateway_over_fake_pool
from shared.errors import NotFound, Unauthenticated, Unavailable


@pytest.fixture
def app(jwks_file):
    app = gateway_over_fake_pool(jwks_file)
    pool = app.extensions["rpc_pool"]
    # every list of applications (or of batches) asks how long each has waited at its stage (no flags here)
    pool.answers.update({"publicity_assessment.working_calendar": {"holidays": [], "workdays": [], "years": []},
                         "subsidy_review.stage_clocks": {}, "subsidy_review.overdue_todos": {},
                         "subsidy_review.batch_clocks": {}})
    yield app
    pool.assert_declared()


@pytest.fixture
def pool(app):
    return app.extensions["rpc_pool"]


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


@pytest.fixture
def logged_in(client, pool, issue):
    """Log in through the login form as ``role`` (the fake identity answers with a signed token)."""
    def login(role="county_hrss", region="440703", unit_id=None, on=None):
        browser = on or client
        bearer, claims = issue(role=role, region=region, unit_id=unit_id, name="测试经办人")
        pool.answers["identity.login"] = {
            "access_token": bearer.removeprefix("Bearer "), "refresh_token": "r", "expires_at": int(time.time()) + 1800,
            "account": {"id": claims["sub"], "username": "tester", "name": "测试经办人", "role": role,
                        "role_label": "县区人社局", "region": region, "region_name": "蓬江区", "unit_id": unit_id,
                        "must_change_password": False}}
        page = browser.get("/")
        response = browser.post("/", data={"username": "tester", "password": "x", "csrf_token": csrf_of(page.text)})
        assert response.status_code == 302 and response.headers["Location"] == "/portal/"
        return csrf_of(browser.get("/portal/account").text) if "identity.me" in pool.answers else None
    pool.answers["identity.me"] = {"username": "tester", "name": "测试经办人", "role_label": "县区人社局"}
    return login


def test_login_page_offers_both_modes_and_the_registration_entries(client, pool):
    pool.answers["unit_registry.current_terms"] = lambda kind: {
        "kind": kind, "version": "2026.1", "title": "单位注册用户须知" if kind == "unit" else "个人注册用户须知",
        "body": "一、第一条\n二、第二条", "effective_from": "2026-01-01T00:00:00+08:00"}
    html = client.get("/").text
    assert "账号密码登录" in html
    assert 'id="tab-sms"' in html and not re.search(r'id="tab-sms"[^>]*disabled', html)
    assert 'data-api="/api/v1/auth/sms-codes"' in html and "暂未开通" not in html
    for href, label in [("/portal/register/unit", "注册新单位"), ("/portal/register/start", "个人注册"),
                        ("/gongshi", "公示名单")]:
        assert f'<a href="{href}">{label}</a>' in html
    unit_page = client.get("/portal/register/unit").text
    assert "单位注册用户须知" in unit_page and 'data-terms-agree data-version="2026.1"' in unit_page
    assert 'name="unit.terms_version" value="2026.1"' in unit_page and "江门市蓬江区" in unit_page
    assert 'value="business_license">企业营业执照' in unit_page and 'value="unit_other">其它' in unit_page
    person_page = client.get("/portal/register/start").text
    assert "个人注册用户须知" in person_page and 'data-unit-search="unit_id"' in person_page
    assert 'data-kind="proof"' in person_page


def test_login_form_without_its_csrf_token_is_refused_before_identity_is_asked(client, pool):
    client.get("/")
    response = client.post("/", data={"username": "admin", "password": "Demo2026"})
    assert response.status_code == 400 and "页面已过期" in response.text
    assert pool.calls == []


def test_wrong_password_keeps_the_username_and_says_why(client, pool):
    pool.answers["identity.login"] = Unauthenticated("用户名或密码错误", code="auth.invalid_credentials")
    page = client.get("/")
    response = client.post("/", data={"username": "rsj440703", "password": "bad", "csrf_token": csrf_of(page.text)})
    assert response.status_code == 400
    assert "用户名或密码错误" in response.text and 'value="rsj440703"' in response.text


def test_a_page_without_login_goes_to_the_login_page_and_back(client):
    response = client.get("/portal/applications?status=pending_county_review")
    assert response.status_code == 302
    location = urlparse(response.headers["Location"])
    assert location.path == "/"
    assert parse_qs(location.query)["next"] == ["/portal/applications?status=pending_county_review"]
    assert "请先登录" in client.get("/").text


def test_an_idle_session_ends_with_the_expired_message(app, client, logged_in, pool):
    logged_in()
    pool.answers["subsidy_review.todos"] = []
    with client.session_transaction() as session:
        session["last_seen"] = int(time.time()) - app.config["PORTAL_IDLE_MINUTES"] * 60 - 5
    response = client.get("/portal/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/?next=")
    assert "登录已过期，请重新登录" in client.get("/").text
    assert client.get("/portal/").status_code == 302          # the session is gone, not only hidden


def test_home_names_a_service_that_is_down_instead_of_showing_zero(client, logged_in, pool):
    logged_in()
    for service in ("unit_registry", "publicity_assessment", "org_confirmation", "finance_disbursement",
                    "housing_fund"):
        pool.answers[f"{service}.todos"] = []
    pool.answers["publicity_assessment.todos"] = [{"key": "publicity.awaiting", "count": 2,
                                                   "label": "您有【2】个申请待公示",
                                                   "href": "/portal/publicity/cases?status=awaiting_publicity"}]
    pool.answers["unit_registry.todos"] = [{"key": "x", "count": 1, "label": "您有【1】个单位注册待审核",
                                            "href": "/units?status=pending"}]
    pool.answers["subsidy_review.todos"] = Unavailable("服务暂不可用", code="service_unavailable")
    html = client.get("/portal/").text
    assert "补助申请审核" in html and "暂无法显示" in html
    assert '<a href="/portal/publicity/cases?status=awaiting_publicity">您有【2】个申请待公示</a>' in html
    assert 'href="/portal/units?status=pending"' in html     # the portal's prefix added


def test_portal_errors_are_chinese_pages_while_the_api_keeps_json(client, logged_in, pool):
    logged_in()
    pool.answers["subsidy_review.get_application"] = NotFound("申请不存在或不在您的管辖范围内",
                                                              code="application.not_found")
    page = client.get("/portal/applications/6f1c2a10-0000-4000-8000-000000000999")
    assert page.status_code == 404 and page.mimetype == "text/html"
    assert "申请不存在或不在您的管辖范围内" in page.text and "返回首页" in page.text
    api = client.get("/api/v1/applications/6f1c2a10-0000-4000-8000-000000000999")
    assert api.status_code == 404 and api.json["error"]["code"] == "application.not_found"
    assert client.get("/portal/no-such-screen").status_code == 404
    assert "页面或记录不存在" in client.get("/portal/no/such/page").text


def test_a_list_shows_highlighted_matches_and_keeps_its_filters_in_pagination(client, logged_in, pool):
    logged_in()
    pool.answers["subsidy_review.list_applications"] = lambda filters, page, size: {
        "items": [{"id": "a1", "application_no": "BZ1", "applicant_name": "王小明", "status": "pending_county_review",
                   "status_label": "待县人社局审核", "amount_fen": 960000, "reported_at": "2026-11-23T06:05:00+00:00"}],
        "total": 45, "page": page, "page_size": size}
    html = client.get("/portal/applications?status=pending_county_review&q=小明&page=2&page_size=20").text
    assert "王<mark>小明</mark>" in html and "¥9,600.00" in html and "2026年11月23日" in html
    assert "补助申请审核" in html                                   # the title of the filtered list
    assert "page=3" in html and "q=%E5%B0%8F%E6%98%8E" in html     # next page keeps the search
    listed = [c for c in pool.calls if c[1] == "list_applications"]  # (the top bar and 超时 flags ask too)
    assert listed[-1][2] == ({"status": "pending_county_review", "q": "小明"}, 2, 20)


def test_export_neutralises_formulas_in_csv_and_xlsx(client, logged_in, pool):
    logged_in()
    pool.answers["subsidy_review.list_applications"] = lambda filters, page, size: {
        "items": [{"id": "a1", "application_no": "BZ1", "applicant_name": "=HYPERLINK(\"http://x\")",
                   "id_number": "+86", "unit_name": "@SUM(A1)", "degree_label": "-1", "amount_fen": 120000,
                   "status": "paid", "status_label": "已拨付"}], "total": 1, "page": page, "page_size": size}
    response = client.get("/portal/applications/export?format=csv&status=paid")
    assert response.mimetype == "text/csv" and response.text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert rows[0][:2] == ["申请编号", "姓名"]
    assert rows[1][1:5] == ["'=HYPERLINK(\"http://x\")", "'+86", "'@SUM(A1)", "'-1"]
    assert "1,200.00" in rows[1]
    assert [c for c in pool.calls if c[1] != "my_messages"][-1][2] == ({"status": "paid"}, 1, 200)
    from openpyxl import load_workbook

    response = client.get("/portal/applications/export?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert [c.value for c in sheet[2]][1] == "'=HYPERLINK(\"http://x\")" and sheet[2][1].data_type == "s"


def test_export_reads_every_page_and_stops_at_the_limit(app, client, logged_in, pool):
    """The export reads the list page by page (200 a page) while it writes the file, every row of the
    filter, and no more than PORTAL_EXPORT_MAX_ROWS."""
    logged_in()
    total = 450
    pool.answers["subsidy_review.list_applications"] = lambda filters, page, size: {
        "items": [{"id": f"a{i}", "application_no": f"BZ{i}", "applicant_name": "王小明", "amount_fen": 100}
                  for i in range((page - 1) * size, min(total, page * size))], "total": total, "page": page,
        "page_size": size}
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(client.get("/portal/applications/export?format=xlsx").data)).active
    assert sheet.max_row == 1 + total and sheet.cell(row=1 + total, column=1).value == f"BZ{total - 1}"
    pages = [c[2][1] for c in pool.calls if c[1] == "list_applications"]
    assert pages == [1, 2, 3]
    app.config["PORTAL_EXPORT_MAX_ROWS"] = 250
    try:
        text = client.get("/portal/applications/export?format=csv").text
    finally:
        app.config["PORTAL_EXPORT_MAX_ROWS"] = 100_000
    assert len(list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))) == 1 + 250


def test_chinese_dates_and_money():
    assert cny(120000) == "¥1,200.00" and cny(-500) == "-¥5.00" and cny(None) == ""
    assert cn_date("2026-11-23") == "2026年11月23日"
    assert cn_datetime("2026-11-23T06:05:00+00:00") == "2026年11月23日 14:05"   # shown in Shanghai time
    assert str(highlight("<b>王小明</b>", "小明")) == "&lt;b&gt;王<mark>小明</mark>&lt;/b&gt;"


PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")


def test_attachments_api_stores_bytes_and_asks_the_owning_service(app, logged_in, tmp_path, pool):
    """The real /api/v1/attachments: the bytes go to the store, the record to the kind's service; a
    download is served only when that service, verifying the token, says so (401 for a revoked one)."""
    app.config["ATTACHMENT_ROOT"] = str(tmp_path)
    records = {}
    pool.answers["unit_registry.record_attachment"] = lambda meta: records.setdefault(meta["id"], {
        **meta, "kind_label": "证明材料"})
    pool.answers["unit_registry.attachment_for_download"] = lambda attachment_id: records[attachment_id]
    owner = app.test_client()
    csrf = logged_in(role="individual", region=None, on=owner)
    uploaded = owner.post("/api/v1/attachments", data={"file": (io.BytesIO(PNG), "证明.png"), "kind": "proof"},
                          headers={"X-CSRF-Token": csrf}, content_type="multipart/form-data")
    assert uploaded.status_code == 201, uploaded.text
    body = uploaded.json
    assert body["id"].startswith("ur-") and body["content_type"] == "image/png" and body["size"] == len(PNG)
    assert "upload_key" not in body  # a logged-in upload is tied to its uploader, not to a key
    assert owner.get(f"/api/v1/attachments/{body['id']}").data == PNG
    # the service refuses (outsider, or a revoked token): nothing is served
    pool.answers["unit_registry.attachment_for_download"] = NotFound("附件不存在", code="attachment.not_found")
    assert owner.get(f"/api/v1/attachments/{body['id']}").status_code == 404
    pool.answers["unit_registry.attachment_for_download"] = Unauthenticated("已注销登录", code="auth.token_revoked")
    assert owner.get(f"/api/v1/attachments/{body['id']}").status_code == 401
    pool.answers["unit_registry.record_attachment"] = Unauthenticated("已注销登录", code="auth.token_revoked")
    again = owner.post("/api/v1/attachments", data={"file": (io.BytesIO(PNG), "证明.png"), "kind": "proof"},
                       headers={"X-CSRF-Token": csrf}, content_type="multipart/form-data")
    assert again.status_code == 401
    assert owner.get("/api/v1/attachments/not-an-id").status_code == 404


def test_registration_forms_upload_without_login_and_preview_with_their_key(app, client, tmp_path, pool):
    app.config["ATTACHMENT_ROOT"] = str(tmp_path)
    records = {}
    pool.answers["unit_registry.record_public_attachment"] = lambda meta: records.setdefault(meta["id"], meta)
    pool.answers["unit_registry.public_attachment"] = lambda attachment_id: records[attachment_id]
    uploaded = client.post("/api/v1/attachments", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(PNG), "执照.png"), "kind": "business_license"})
    assert uploaded.status_code == 201, uploaded.text
    attachment_id, key = uploaded.json["id"], uploaded.json["upload_key"]
    assert client.get(f"/api/v1/attachments/{attachment_id}?key={key}").data == PNG
    assert client.get(f"/api/v1/attachments/{attachment_id}?key={'0' * 32}").status_code == 401
    assert client.get(f"/api/v1/attachments/{attachment_id}").status_code == 401
    # kinds that need an account, unknown kinds, a renamed .exe, an oversize file: refused, nothing recorded
    refused = [
        ({"file": (io.BytesIO(PNG), "材料.png"), "kind": "application_material"}, 401, "auth.unauthenticated"),
        ({"file": (io.BytesIO(PNG), "材料.png"), "kind": "virus"}, 400, "attachment.kind_unknown"),
        ({"file": (io.BytesIO(b"MZ\x90\x00" + b"\x00" * 200), "营业执照.pdf"), "kind": "business_license"}, 400,
         "attachment.type_not_allowed"),
        ({"file": (io.BytesIO(b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024)), "big.pdf"), "kind": "business_license"},
         400, "attachment.too_large"),
        ({"kind": "business_license"}, 400, None),
    ]
    for data, status, code in refused:
        response = client.post("/api/v1/attachments", content_type="multipart/form-data", data=data)
        assert response.status_code == status, response.text
        if code:
            assert response.json["error"]["code"] == code
    assert len(records) == 1
