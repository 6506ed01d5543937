"""Every gateway route's mapping, without services: the HTTP request becomes which RPC (service, method,
arguments), and an RPC's refusal becomes which HTTP status and error body.

The routes are read from the app's url_map: a route (endpoint and method) without a row in ROUTES fails
``test_every_route_has_a_mapping_row``, so a new route cannot arrive untested. The check-order pre-check
(``authorise``, gateway.hardening) is not part of a route's mapping: the FakePool keeps it apart.
"""
from __future__ import annotations

import base64
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from unittest.mock import ANY

import openpyxl
import pytest
from nameko.exceptions import RemoteError

from gateway.api import meta
from gateway.hardening import call_targets
from gateway.tickets import issue_ticket
from shared.attachments import AttachmentStore, default_root
from shared.errors import Conflict

ID = "0b5e4a52-7c1e-4a57-9d0e-3c1f2a6b8d90"
MOBILE = "13800000000"
PAGE = {"items": [], "total": 0, "page": 1, "page_size": 20}
PDF = b"%PDF-1.4\n%test\n"
ATTACHMENT = "sr-" + "a" * 32
#: routes that are no mapping to a service: the SPA/Swagger assets, the documents (test_gateway.py)
NOT_ROUTES = {"static", "swagger_asset", "api-docs.openapi_swagger_ui"}


def xlsx() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["姓名"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


XLSX = xlsx()
XLSX_SHA = hashlib.sha256(XLSX).hexdigest()


def bank_result_xlsx() -> bytes:
    """A bank's result file (回盘) with one paid line."""
    book = openpyxl.Workbook()
    book.active.append(["序号", "支付流水号", "账号", "金额（元）", "支付结果", "失败原因"])
    book.active.append([1, "SQ1-1-1", "6222020000000011", "9600.00", "成功", None])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


BANK_RESULT = bank_result_xlsx()
BANK_LINES = [{"row": 2, "line_key": "SQ1-1-1", "bank_number": "6222020000000011", "amount": "9600.00",
               "result": "成功", "reason": None}]
BANK_FILE = {"transfer_no": "BF440703-20261201-01", "count": 1, "amount_fen": 960000, "without_account": [],
             "lines": [{"line_key": "SQ1-1-1", "application_no": "SQ1", "applicant_name": "张三", "bank_holder": "张三",
                        "bank_name": "工行", "bank_number": "6222020000000011", "amount_fen": 960000}]}
RECONCILIATION = {"lines": [], "total": {"released_count": 0, "released_amount_fen": 0}}
CSV = "交易日期,金额,付款账号,付款户名,摘要,银行流水号\n2026-12-01,1.00,1,x,m,S1\n".encode()
FILE_ANSWER = {"filename": "f.xlsx", "content_type": "application/pdf", "content_b64": base64.b64encode(PDF).decode()}

ACCOUNT = {"username": "u1", "password": "Secret-2026", "name": "张三", "mobile": MOBILE, "sms_code": "123456"}
UNIT = {"name": "单位", "region": "440703", "supervisor_region": "440703", "uscc": "91440703MA5H0001X0",
        "leader": "李四", "leader_phone": MOBILE, "terms_version": "v1", "attachment_ids": ["ur-" + "b" * 32]}
PERSON = {"name": "张三", "id_number": "440703199001011234", "mobile": MOBILE, "degree": "bachelor",
          "graduated_on": "2024-06-30", "bank_account": {"holder": "张三", "bank": "工行", "number": "622200000000"}}
LEVEL = {"code": "01", "name": "科级以下", "monthly_fen": 80000}
# as the gateway sends it on: the defaults filled in (no 用户须知 version sent: the service refuses that)
PERSON_SENT = {**PERSON, "id_type": "resident_id", "attachment_ids": [], "terms_version": None}
EMPLOYER = {"name": "单位", "uscc": "91440703MA5H0001X0", "region": "440703", "address": "路1号",
            "legal_person": "王五", "contact_name": "赵六", "bank_name": "工行", "bank_account_name": "单位",
            "bank_account_no": "6222", "attachments": ["hf-" + "c" * 32]}
EMPLOYER_LOADED = {**EMPLOYER, "nature": None, "phone": None, "email": None, "postcode": None}


def ticket(app) -> dict:
    with app.test_request_context():
        return {"X-Registration-Ticket": issue_ticket(MOBILE)}


def store_pdf(app) -> dict:
    with app.app_context():
        AttachmentStore(default_root()).put(io.BytesIO(PDF), "a.pdf", "application/pdf")
    return {}


@dataclass
class Route:
    request: str                                  # "METHOD /path?query"
    calls: list[tuple[str, str, tuple]]           # the RPCs the route makes, in order
    json: Any = None
    files: dict | None = None                     # multipart form: {"field": value or (bytes, filename)}
    results: dict[str, Any] = field(default_factory=dict)  # RPC method -> its answer (else {})
    status: int = 200
    token: bool = True                            # send a bearer token
    headers: Callable[[Any], dict] | None = None  # extra headers, built with the app
    refused: int = 409                            # the status when the (first) RPC refuses with a 409


def r(request, *calls, **kwargs) -> Route:
    return Route(request, list(calls), **kwargs)


SR, PA, OC, FD, HF, UR, IDT = ("subsidy_review", "publicity_assessment", "org_confirmation",
                               "finance_disbursement", "housing_fund", "unit_registry", "identity")
EF = "event_feed"
REMITTANCE = {"mode": "remit", "month": "202612", "back_pay_kind": None, "month_from": None, "month_to": None,
              "apply_first_page": False, "lines": [{"employee_id": "e1", "month": None, "amount_fen": None,
                                                    "amount": None, "override": False}]}
WITHDRAWAL = {"employee_id": "e1", "reason_code": "07", "amount_fen": 100, "payee_name": "张三", "payee_bank": "工行",
              "payee_account": "6222", "attachments": [{"id": "hf-" + "d" * 32}]}
APPLICATION = {"degree": "bachelor", "months": 12, "start_date": "2026-01-01",
               "work_history": [{"employer": "单位", "position": "员", "from": "2025-07", "to": "2026-06"}]}
CALENDAR = {"first": "2025-01-01", "last": "2027-12-31", "overrides": {"2026-10-01": "holiday"}, "known_years": [2026]}
PRINTED_APPLICATION = {"id": ID, "application_no": "BZ4407032026000001", "applicant_name": "张三", "amount_fen": 100,
                       "status_label": "待单位审核"}
PRINTED_BATCH = {"id": ID, "batch_no": "GS440703-20261125-01", "cases": [PRINTED_APPLICATION], "counties": []}
PRINTED_TRANSFER = {"id": ID, "transfer_no": "BF440703-20261125-01", "items": [PRINTED_APPLICATION]}
PRINTED_NOTICE = {"id": "r1", "payment_code": "A7W5", "total_fen": 170000, "employee_count": 2}
LIMIT = {"stage": 2, "working_days": 3}
APPLICATION_SENT = APPLICATION  # work_history "from"/"to" go back out as they came in

ROUTES = [
    # -- meta ----------------------------------------------------------------------------------------
    r("GET /healthz", token=False),
    r("GET /metrics", token=False),             # Prometheus (local callers only): no RPC
    r("GET /readyz", *[(s, "health", ()) for s in meta.SERVICES], token=False, refused=503),
    r("GET /.well-known/jwks.json", token=False),
    r("GET /api/v1/asyncapi.json", token=False),
    r("GET /api/v1/openapi.json", token=False),
    # -- auth and the caller's account (identity) ----------------------------------------------------
    r("POST /api/v1/auth/login", (IDT, "login", ("u1", "pw", "127.0.0.1")), json={"username": "u1", "password": "pw"},
      token=False),
    r("POST /api/v1/auth/sms-codes", (IDT, "send_sms_code", (MOBILE, "login")),
      json={"mobile": MOBILE, "purpose": "login"}, token=False),
    r("POST /api/v1/auth/sms-login", (IDT, "sms_login", (MOBILE, "123456", None)),
      json={"mobile": MOBILE, "code": "123456"}, token=False),
    r("POST /api/v1/auth/refresh", (IDT, "refresh", ("rt",)), json={"refresh_token": "rt"}, token=False),
    r("POST /api/v1/auth/logout", (IDT, "logout", ())),
    r("GET /api/v1/me", (IDT, "me", ())),
    r("PUT /api/v1/me", (IDT, "update_profile", ({"name": "张三"},)), json={"name": "张三"}),
    r("POST /api/v1/me/mobile/sms-code", (IDT, "send_change_mobile_code", (MOBILE,)), json={"mobile": MOBILE}),
    r("POST /api/v1/me/mobile", (IDT, "change_mobile", (MOBILE, "123456", "pw")),
      json={"mobile": MOBILE, "sms_code": "123456", "password": "pw"}),
    r("POST /api/v1/me/password", (IDT, "change_password", ("a", "b")),
      json={"old_password": "a", "new_password": "b"}),
    r("POST /api/v1/me/first-login/sms-code", (IDT, "send_first_login_code", ())),
    r("POST /api/v1/me/first-login", (IDT, "first_login_change_password", ("123456", "b")),
      json={"sms_code": "123456", "new_password": "b"}),
    r("GET /api/v1/messages?unread_only=true&page=2", (IDT, "my_messages", (True, 2, 20))),
    r("POST /api/v1/messages/m1/read", (IDT, "mark_message_read", ("m1",))),
    r("POST /api/v1/messages/read-all", (IDT, "mark_message_read", (None,))),
    # -- 常用审核意见: the caller's own saved opinions (identity) ----------------------------------------
    r("GET /api/v1/me/opinion-templates", (IDT, "list_opinion_templates", (None,))),
    r("GET /api/v1/me/opinion-templates?kind=return", (IDT, "list_opinion_templates", ("return",))),
    r("POST /api/v1/me/opinion-templates", (IDT, "create_opinion_template", ({"text": "同意", "kind": "approve"},)),
      json={"text": "同意", "kind": "approve"}, status=201),
    r("PUT /api/v1/me/opinion-templates/t1", (IDT, "update_opinion_template", ("t1", {"sort_order": 3})),
      json={"sort_order": 3}),
    r("DELETE /api/v1/me/opinion-templates/t1", (IDT, "delete_opinion_template", ("t1",))),
    r("GET /api/v1/dev/sms-inbox?mobile=" + MOBILE, (IDT, "dev_sms_inbox", (MOBILE,)), token=False),
    # -- accounts and the identity policy ------------------------------------------------------------
    r("GET /api/v1/accounts?role=unit_admin&page=3&page_size=5",
      (IDT, "list_accounts", ({"role": "unit_admin"}, 3, 5))),
    r("POST /api/v1/accounts", (UR, "get_unit", (ID,)),
      (IDT, "create_account", ({"username": "op", "password": "pw", "role": "unit_admin", "name": "经办人",
                                "unit_id": ID, "must_change_password": True},)),
      json={"username": "op", "password": "pw", "role": "unit_admin", "name": "经办人", "unit_id": ID}, status=201),
    r("GET /api/v1/accounts/a1", (IDT, "get_account", ("a1",))),
    r("PUT /api/v1/accounts/a1", (IDT, "update_account", ("a1", {"mobile": MOBILE})), json={"mobile": MOBILE}),
    r("POST /api/v1/accounts/a1/deactivate", (IDT, "deactivate_account", ("a1",))),
    r("POST /api/v1/accounts/a1/reactivate", (IDT, "reactivate_account", ("a1",))),
    r("POST /api/v1/accounts/a1/reset-password", (IDT, "reset_password", ("a1", "pw2")), json={"new_password": "pw2"}),
    r("GET /api/v1/identity-policy", (IDT, "get_policy", ())),
    r("PUT /api/v1/identity-policy", (IDT, "set_policy", ({"sms_code_minutes": 5},)), json={"sms_code_minutes": 5}),
    # -- self-registration (unit_registry + identity) ------------------------------------------------
    r("GET /api/v1/public/terms/unit", (UR, "current_terms", ("unit",)), token=False),
    r("POST /api/v1/registrations/unit", (UR, "check_unit_registration", (UNIT,)),
      (IDT, "register_account", ({**ACCOUNT, "email": None, "role": "unit_admin", "unit_id": ANY},)),
      (UR, "register_unit", (ANY, UNIT)), json={"account": ACCOUNT, "unit": UNIT},
      results={"register_account": {"access_token": "t"}}, status=201, token=False),
    r("POST /api/v1/registrations/individual",
      (UR, "check_individual_registration", (ID, PERSON_SENT)),
      (IDT, "register_account", ({**ACCOUNT, "email": None, "role": "individual", "unit_id": ID},)),
      (UR, "register_individual", (PERSON_SENT,)),
      json={"account": ACCOUNT, "unit_id": ID, "registration": PERSON},
      results={"register_account": {"access_token": "t"}}, status=201, token=False),
    # -- units and individuals (unit_registry) -------------------------------------------------------
    r("GET /api/v1/units?status=pending&region=440703", (UR, "list_units", ({"status": "pending", "region": "440703"},
                                                                            1, 20))),
    r("GET /api/v1/units/mine", (UR, "my_unit", ())),
    r("PATCH /api/v1/units/mine", (UR, "update_unit", ({"leader": "李四"},)), json={"leader": "李四"}),
    r("GET /api/v1/units/u1", (UR, "get_unit", ("u1",))),
    r("GET /api/v1/units/u1/history", (UR, "unit_history", ("u1",)), results={"unit_history": []}),
    r("POST /api/v1/units/u1/resubmit", (UR, "resubmit_unit", ("u1", UNIT)), json=UNIT),
    r("POST /api/v1/units/u1/approve", (UR, "approve_unit", ("u1", None)), json={}),
    r("POST /api/v1/units/u1/return", (UR, "return_unit", ("u1", "材料不全")), json={"opinion": "材料不全"}),
    r("GET /api/v1/unit-changes?status=pending", (UR, "list_unit_changes", ({"status": "pending"}, 1, 20))),
    r("GET /api/v1/unit-changes/c1", (UR, "get_unit_change", ("c1",))),
    r("POST /api/v1/unit-changes/c1/approve", (UR, "approve_unit_change", ("c1", "同意")), json={"opinion": "同意"}),
    r("POST /api/v1/unit-changes/c1/return", (UR, "return_unit_change", ("c1", "不符")), json={"opinion": "不符"}),
    r("GET /api/v1/public/units?region=440703&q=单", (UR, "list_approved_units", ("440703", "单", 1, 20)), token=False),
    r("POST /api/v1/individuals", (UR, "register_individual", (PERSON_SENT,)), json=PERSON, status=201),
    r("GET /api/v1/individuals/mine", (UR, "my_registration", ())),
    r("POST /api/v1/individuals/mine/resubmit", (UR, "resubmit_individual", (PERSON_SENT,)), json=PERSON),
    r("PUT /api/v1/individuals/mine/bank-account", (UR, "change_bank_account", (PERSON["bank_account"],)),
      json=PERSON["bank_account"]),
    r("GET /api/v1/individuals?status=pending&q=张",
      (UR, "list_individuals", ({"status": "pending", "q": "张"}, 1, 20))),
    r("POST /api/v1/individuals/bulk-approve", (UR, "approve_all_individuals", (["i1"],)),
      json={"individual_ids": ["i1"]}),
    r("GET /api/v1/individuals/i1", (UR, "get_individual", ("i1",))),
    r("POST /api/v1/individuals/i1/approve", (UR, "approve_individual", ("i1", None)), json={}),
    r("POST /api/v1/individuals/i1/return", (UR, "return_individual", ("i1", "证件不清")),
      json={"opinion": "证件不清"}),
    # -- applications (subsidy_review) ---------------------------------------------------------------
    r("POST /api/v1/applications", (SR, "submit_application", (APPLICATION_SENT,)),
      json=APPLICATION, status=201),
    r("GET /api/v1/applications?status=pending_unit_review&degree=master&page=2",
      (SR, "list_applications", ({"status": "pending_unit_review", "degree": "master"}, 2, 20))),
    r("GET /api/v1/applications/a1", (SR, "get_application", ("a1",))),
    r("GET /api/v1/applications/a1/timeline", (SR, "timeline", ("a1",))),
    r("POST /api/v1/applications/a1/approve", (SR, "approve", ("a1", "同意")), json={"opinion": "同意"}),
    r("POST /api/v1/applications/a1/return", (SR, "return_application", ("a1", "补材料")), json={"opinion": "补材料"}),
    r("POST /api/v1/applications/a1/resubmit", (SR, "resubmit_application", ("a1", APPLICATION_SENT)),
      json=APPLICATION),
    r("POST /api/v1/applications/a1/withdraw", (SR, "withdraw_application", ("a1",))),
    r("POST /api/v1/applications/a1/send-back", (SR, "send_back", ("a1",))),
    r("POST /api/v1/applications/report", (SR, "report", (["a1", "a2"],)), json={"application_ids": ["a1", "a2"]}),
    r("POST /api/v1/applications/bulk-approve", (SR, "bulk_approve_and_report", (None,)), json={}, status=202),
    r("GET /api/v1/applicant-profile", (SR, "applicant_profile", ())),
    r("GET /api/v1/application-statistics", (SR, "statistics", ({},))),
    r("GET /api/v1/policies/440700", (SR, "get_policy", ("440700",))),
    r("PUT /api/v1/policies/440700", (SR, "set_policy", ("440700", {"bachelor": 80000}, 36, "2026-01-01")),
      json={"standards_fen": {"bachelor": 80000}, "max_months": 36, "effective_from": "2026-01-01"}),
    r("GET /api/v1/policies/440700/windows", (SR, "list_windows", ("440700",))),
    r("POST /api/v1/policies/440700/windows",
      (SR, "add_window", ("440700", {"name": "2027年度", "opens_on": "2027-03-01", "closes_on": "2027-04-30",
                                     "graduated_from": None, "graduated_to": None})),
      json={"name": "2027年度", "opens_on": "2027-03-01", "closes_on": "2027-04-30"}, status=201),
    r(f"POST /api/v1/application-windows/{ID}/cancel", (SR, "cancel_window", (ID,))),
    # -- 环节用时统计 and 各环节办理时限: the holiday schedule from publicity_assessment, handed over --------
    r("GET /api/v1/stage-times?from=2026-10-01&to=2026-10-31&county=440703",
      (PA, "working_calendar", ("2025-01-01", "2027-12-31")),
      (SR, "stage_time_report", ({"from": "2026-10-01", "to": "2026-10-31", "county": "440703"}, CALENDAR)),
      results={"working_calendar": CALENDAR}),
    r("GET /api/v1/stage-times/export.xlsx?from=2026-10-01&to=2026-10-31",
      (PA, "working_calendar", ("2025-01-01", "2027-12-31")),
      (SR, "stage_time_report", ({"from": "2026-10-01", "to": "2026-10-31"}, CALENDAR)),
      results={"working_calendar": CALENDAR, "stage_time_report": {"from": "2026-10-01", "to": "2026-10-31", "items": [
          {"stage": 2, "stage_name": "单位审核", "median_days": 1.5, "completed": 2}]}}),
    r("GET /api/v1/stage-limits/440700", (SR, "get_stage_limits", ("440700",))),
    r("PUT /api/v1/stage-limits/440700", (SR, "set_stage_limits", ("440700", [LIMIT], "2026-01-01")),
      json={"limits": [LIMIT], "effective_from": "2026-01-01"}),
    # -- printed forms (the JSON route's RPC first, then the gateway draws the PDF) and 扫码核验 ----------
    r(f"GET /api/v1/applications/{ID}/form.pdf", (SR, "get_application", (ID,)),
      results={"get_application": PRINTED_APPLICATION}),
    r(f"GET /api/v1/publicity-batches/{ID}/notice.pdf", (PA, "get_batch", (ID,)),
      results={"get_batch": PRINTED_BATCH}),
    r(f"GET /api/v1/city-batches/{ID}/table.pdf", (OC, "get_batch", (ID,)), results={"get_batch": PRINTED_BATCH}),
    r(f"GET /api/v1/county-transfers/{ID}/detail.pdf", (FD, "get_transfer", (ID,)),
      results={"get_transfer": PRINTED_TRANSFER}),
    # a token the platform did not sign: 404 before any call (the signed one: test_printing.py)
    r("GET /api/v1/public/verifications/not-a-token", token=False, status=404),
    # -- attachments (the owner service keeps the record) --------------------------------------------
    r("POST /api/v1/attachments", (SR, "record_attachment", ({"id": ANY, "sha256": hashlib.sha256(PDF).hexdigest(),
                                                             "content_type": "application/pdf", "size": len(PDF),
                                                             "filename": "a.pdf", "kind": "application_material"},)),
      files={"kind": "application_material", "file": (PDF, "a.pdf")}, status=201),
    r("POST /api/v1/attachments", (UR, "record_public_attachment", (ANY,)),
      files={"kind": "business_license", "file": (PDF, "a.pdf")}, results={"record_public_attachment": {"id": "x"}},
      status=201, token=False),
    r(f"GET /api/v1/attachments/{ATTACHMENT}", (SR, "attachment_for_download", (ATTACHMENT,)),
      results={"attachment_for_download": {"kind": "application_material", "sha256": hashlib.sha256(PDF).hexdigest(),
                                           "content_type": "application/pdf", "filename": "a.pdf"}},
      headers=store_pdf),
    # -- publicity and assessment (publicity_assessment) ---------------------------------------------
    r("GET /api/v1/publicity-cases?status=in_publicity", (PA, "list_cases", ({"status": "in_publicity"}, 1, 20))),
    r("GET /api/v1/publicity-cases/a1", (PA, "get_case", ("a1",))),
    r("GET /api/v1/publicity-batches?status=open", (PA, "list_batches", ({"status": "open"}, 1, 20))),
    r("POST /api/v1/publicity-batches", (PA, "start_publicity", (["a1"],)),
      json={"application_ids": ["a1"]}, status=201),
    r("GET /api/v1/publicity-batches/b1", (PA, "get_batch", ("b1",))),
    r("POST /api/v1/publicity-batches/b1/end", (PA, "end_publicity", ("b1",))),
    r("POST /api/v1/objections", (PA, "lodge_objection", ({"application_id": None, "application_no": "SQ1",
                                                           "reason": "情况不实啊", "contact_name": "王",
                                                           "contact_phone": MOBILE}, "127.0.0.1")),
      json={"application_no": "SQ1", "reason": "情况不实啊", "contact_name": "王", "contact_phone": MOBILE},
      status=201, token=False),
    r("GET /api/v1/objections?status=pending", (PA, "list_objections", ({"status": "pending"}, 1, 20))),
    r("GET /api/v1/objections/o1", (PA, "get_objection", ("o1",))),
    r("POST /api/v1/objections/o1/uphold", (PA, "uphold_objection", ("o1", "属实")), json={"opinion": "属实"}),
    r("POST /api/v1/objections/o1/dismiss", (PA, "dismiss_objection", ("o1", "不实")), json={"opinion": "不实"}),
    r("POST /api/v1/assessments/pass", (PA, "assessment_pass", (["a1"],)), json={"application_ids": ["a1"]}),
    r("POST /api/v1/assessments/a1/fail", (PA, "assessment_fail", ("a1", "不符")), json={"opinion": "不符"}),
    r("POST /api/v1/assessments/report", (PA, "report_to_county_org", (["a1"],)), json={"application_ids": ["a1"]}),
    r("GET /api/v1/public/publicity?county=440703&page_size=50", (PA, "public_publicity", ("440703", 1, 50)),
      token=False),
    r("GET /api/v1/publicity-policies/440700", (PA, "get_policy", ("440700",))),
    r("PUT /api/v1/publicity-policies/440700", (PA, "set_policy", ("440700", 7, True)),
      json={"days": 7, "counts_working_days": True}),
    r("GET /api/v1/calendar-days?year=2026", (PA, "list_calendar_days", (2026,))),
    r("PUT /api/v1/calendar-days/2026-10-01", (PA, "set_calendar_day", ("2026-10-01", "holiday", "国庆节")),
      json={"kind": "holiday", "name": "国庆节"}),
    r("POST /api/v1/calendar-years/2027/confirm", (PA, "confirm_calendar_year", (2027,))),
    r("POST /api/v1/calendar-years/x27/confirm", (PA, "confirm_calendar_year", ("x27",))),
    r("POST /api/v1/calendar-years/２０２７/confirm", (PA, "confirm_calendar_year", ("２０２７",))),
    # -- event feed and webhooks (event_feed) --------------------------------------------------------
    r("GET /api/v1/events", (EF, "list_events", (0, None, None, 100))),
    r("GET /api/v1/events?after=42&type=application.*&region=440703&limit=20",
      (EF, "list_events", (42, "application.*", "440703", 20))),
    r("GET /api/v1/events?after=7", (EF, "list_events_by_token", ("feed_abc", 7, None, None, 100)), token=False,
      headers=lambda app: {"Authorization": "Bearer feed_abc"}),
    r("GET /api/v1/feed-tokens", (EF, "list_feed_tokens", ())),
    r("POST /api/v1/feed-tokens", (EF, "issue_feed_token", ({"name": "合作方", "region": "440700"},)),
      json={"name": "合作方", "region": "440700"}, status=201),
    r(f"POST /api/v1/feed-tokens/{ID}/revoke", (EF, "revoke_feed_token", (ID,))),
    r("GET /api/v1/webhooks", (EF, "list_webhooks", ())),
    r("POST /api/v1/webhooks", (EF, "register_webhook", ({
        "url": "https://x.example/h", "secret": "s" * 16, "types": "application.*", "region": None,
        "description": None, "from_seq": 0},)),
      json={"url": "https://x.example/h", "secret": "s" * 16, "types": "application.*", "from_seq": 0}, status=201),
    r(f"GET /api/v1/webhooks/{ID}", (EF, "get_webhook", (ID,))),
    r(f"POST /api/v1/webhooks/{ID}/enable", (EF, "enable_webhook", (ID,))),
    r(f"POST /api/v1/webhooks/{ID}/disable", (EF, "disable_webhook", (ID, "维护")), json={"reason": "维护"}),
    r(f"POST /api/v1/webhooks/{ID}/deliveries/d1/redeliver", (EF, "redeliver_webhook", (ID, "d1")), status=201),
    # -- org confirmation (org_confirmation) ---------------------------------------------------------
    r("GET /api/v1/org-reviews?status=pending_county_org&page=2&page_size=10&q=张",
      (OC, "list_cases", ({"status": "pending_county_org", "q": "张"}, 2, 10))),
    r("POST /api/v1/org-reviews/confirm", (OC, "county_confirm", ([ID], "同意")),
      json={"application_ids": [ID], "opinion": "同意"}),
    r(f"GET /api/v1/org-reviews/{ID}", (OC, "get_case", (ID,))),
    r(f"POST /api/v1/org-reviews/{ID}/return", (OC, "county_return", (ID, "材料不全")), json={"opinion": "材料不全"}),
    r("GET /api/v1/city-batches?status=aggregated", (OC, "list_batches", ({"status": "aggregated"}, 1, 20))),
    r("POST /api/v1/city-batches", (OC, "aggregate", ([ID],)), json={"application_ids": [ID]}, status=201),
    r(f"GET /api/v1/city-batches/{ID}", (OC, "get_batch", (ID,))),
    r(f"POST /api/v1/city-batches/{ID}/confirm", (OC, "city_confirm", (ID, None)), json={}),
    r(f"POST /api/v1/city-batches/{ID}/return", (OC, "city_return", (ID, "核对有误")), json={"opinion": "核对有误"}),
    r(f"POST /api/v1/city-batches/{ID}/applications/{ID}/return", (OC, "city_return_application", (ID, ID, "核对有误")),
      json={"opinion": "核对有误"}),
    # -- disbursement (finance_disbursement) ---------------------------------------------------------
    r("GET /api/v1/disbursement-batches?status=ready&page=2", (FD, "list_batches", ({"status": "ready"}, 2, 20))),
    r("GET /api/v1/disbursement-batches/b1", (FD, "get_batch", ("b1",))),
    r("POST /api/v1/disbursement-batches/b1/release", (FD, "release", ("b1", "440703")), json={"county": "440703"}),
    r("POST /api/v1/disbursement-batches/b1/release", (FD, "release", ("b1", None))),
    r("GET /api/v1/county-transfers?status=released", (FD, "list_transfers", ({"status": "released"}, 1, 20))),
    r("GET /api/v1/county-transfers/t1", (FD, "get_transfer", ("t1",))),
    r("POST /api/v1/county-transfers/t1/pay", (FD, "pay", ("t1",))),
    r("POST /api/v1/county-transfers/t1/confirm-arrival", (FD, "confirm_arrival", ("t1",))),
    r("GET /api/v1/county-transfers/t1/bank-file.xlsx", (FD, "bank_file", ("t1",)), results={"bank_file": BANK_FILE}),
    r("POST /api/v1/county-transfers/t1/bank-results",
      (FD, "import_bank_result", ("t1", hashlib.sha256(BANK_RESULT).hexdigest(), "回盘.xlsx", BANK_LINES)),
      files={"file": (BANK_RESULT, "回盘.xlsx")}),
    r("GET /api/v1/failed-payments?transfer_id=t1", (FD, "list_failed", ({"transfer_id": "t1"}, 1, 20))),
    r("POST /api/v1/failed-payments/a1/retry", (FD, "retry_payment", ("a1", PERSON["bank_account"])),
      json={"bank_account": PERSON["bank_account"]}),
    # no account typed: the one the graduate corrected (individual.bank_account_changed)
    r("POST /api/v1/failed-payments/a1/retry", (FD, "retry_payment", ("a1", None)), json={}),
    r("POST /api/v1/failed-payments/a1/return", (FD, "return_payment", ("a1", "本人放弃")),
      json={"reason": "本人放弃"}),
    r("POST /api/v1/disbursement-items/a1/clawback", (FD, "record_clawback", ("a1", "重复领取")),
      json={"reason": "重复领取"}, status=201),
    r("GET /api/v1/clawbacks?status=recorded", (FD, "list_clawbacks", ({"status": "recorded"}, 1, 20))),
    r("POST /api/v1/clawbacks/c1/recover", (FD, "recover_clawback", ("c1",))),
    r("GET /api/v1/disbursement-reconciliation?batch_id=b1", (FD, "reconciliation", ({"batch_id": "b1"},))),
    r("GET /api/v1/disbursement-reconciliation.xlsx?county=440703", (FD, "reconciliation", ({"county": "440703"},)),
      results={"reconciliation": RECONCILIATION}),
    r("GET /api/v1/payments", (FD, "my_payments", ({}, 1, 20))),
    r("POST /api/v1/payments/p1/confirm-receipt", (FD, "confirm_receipt", ("p1",))),
    r("POST /api/v1/payments/p1/dispute", (FD, "dispute_receipt", ("p1", "未到账")), json={"opinion": "未到账"}),
    r("GET /api/v1/disbursement-statistics?county=440703", (FD, "statistics", ({"county": "440703"},))),
    # -- line B: employers (housing_fund) ------------------------------------------------------------
    r("POST /api/v1/employer-registrations/verify", (IDT, "consume_sms_code", (MOBILE, "employer_register", "123456")),
      (HF, "my_registrations", (MOBILE,)), json={"mobile": MOBILE, "sms_code": "123456"},
      results={"consume_sms_code": {"mobile": MOBILE}, "my_registrations": {"items": []}}, token=False),
    r("GET /api/v1/employer-registrations", (HF, "my_registrations", (MOBILE,)), headers=ticket, token=False),
    r("POST /api/v1/employer-registrations", (HF, "register_employer", (MOBILE, EMPLOYER_LOADED)), json=EMPLOYER,
      headers=ticket, token=False, status=201),
    r("POST /api/v1/employer-registrations/e1/resubmit", (HF, "resubmit_employer", (MOBILE, "e1", EMPLOYER_LOADED)),
      json=EMPLOYER, headers=ticket, token=False),
    r("GET /api/v1/employers?review_status=pending", (HF, "list_employers", ({"review_status": "pending"}, 1, 20))),
    r("GET /api/v1/employers/mine", (HF, "my_employer", ())),
    r("GET /api/v1/employers/e1", (HF, "get_employer", ("e1",))),
    r("POST /api/v1/employers/e1/approve", (HF, "approve_employer", ("e1", None)), json={}),
    r("POST /api/v1/employers/e1/return", (HF, "return_employer", ("e1", "缺执照")), json={"opinion": "缺执照"}),
    r("GET /api/v1/housing-levels?region=440703", (HF, "get_levels", ("440703",))),
    r("PUT /api/v1/housing-levels", (HF, "set_levels", ("202701", [LEVEL], None)),
      json={"effective_month": "202701", "items": [LEVEL]}),
    r("POST /api/v1/employers/e1/status", (HF, "set_employer_status", ("e1", "seal", "停业")),
      json={"action": "seal", "reason": "停业"}),
    r("POST /api/v1/employer-changes", (HF, "request_employer_change", ({"phone": "1"}, ["hf-x"], None)),
      json={"data": {"phone": "1"}, "attachments": ["hf-x"]}, status=201),
    r("GET /api/v1/employer-changes?status=pending", (HF, "list_employer_changes", ({"status": "pending"}, 1, 20))),
    r("GET /api/v1/employer-changes/c1", (HF, "get_employer_change", ("c1",))),
    r("POST /api/v1/employer-changes/c1/approve", (HF, "approve_employer_change", ("c1", "可")),
      json={"opinion": "可"}),
    r("POST /api/v1/employer-changes/c1/return", (HF, "return_employer_change", ("c1", "否")), json={"opinion": "否"}),
    r("GET /api/v1/employer-migrations/template.xlsx", (HF, "migration_template", ()),
      results={"migration_template": FILE_ANSWER}),
    r("POST /api/v1/employer-migrations", (HF, "migrate", ("m.xlsx", XLSX_SHA)), files={"file": (XLSX, "m.xlsx")},
      status=201),
    r("GET /api/v1/employer-migrations?page=2", (HF, "list_migrations", (2, 20))),
    # -- line B: employees -----------------------------------------------------------------------------
    r("GET /api/v1/employees?status=01", (HF, "list_employees", ({"status": "01"}, 1, 20))),
    r("GET /api/v1/employees/export.xlsx?status=01", (HF, "list_employees", ({"status": "01"}, 1, 200)),
      results={"list_employees": PAGE}),
    r("POST /api/v1/employees", (HF, "open_employee", ({"name": "张三", "id_type": "resident_id",
                                                       "id_number": "440703199001011234", "mobile": MOBILE,
                                                       "level": "L1", "monthly_fen": None, "start_month": "202601",
                                                       "accumulated_periods": None, "accumulated_fen": None,
                                                       "post": None, "attachments": []},)),
      json={"name": "张三", "id_number": "440703199001011234", "mobile": MOBILE, "level": "L1",
            "start_month": "202601"}, status=201),
    r("GET /api/v1/employees/import-template.xlsx", (HF, "employee_template", ()),
      results={"employee_template": FILE_ANSWER}),
    r("POST /api/v1/employees/import", (HF, "import_employees", ("z.xlsx", XLSX_SHA, ["hf-x"])),
      files={"file": (XLSX, "z.xlsx"), "attachments": '["hf-x"]'}, status=202),
    r("GET /api/v1/employees/me", (HF, "my_account", ())),
    r("GET /api/v1/employees/e1", (HF, "get_employee", ("e1",))),
    r("POST /api/v1/employees/e1/reset-password", (HF, "reset_employee_password", ("e1",))),
    r("GET /api/v1/employer-initialisation?page=2", (HF, "initialisation", ({}, 2, 20))),
    r("POST /api/v1/employer-initialisation/employees/e1",
      (HF, "check_employee", ("e1", {"mobile": MOBILE, "level": "L1", "monthly_fen": 100, "accumulated_periods": None,
                                     "accumulated_fen": None})),
      json={"mobile": MOBILE, "level": "L1", "monthly_fen": 100}),
    r("POST /api/v1/employer-initialisation/submit", (HF, "submit_initialisation", ())),
    r("POST /api/v1/employees/e1/changes", (HF, "request_employee_change", ("e1", {"mobile": MOBILE}, [], "换号")),
      json={"data": {"mobile": MOBILE}, "reason": "换号"}, status=201),
    r("GET /api/v1/employee-changes?status=pending", (HF, "list_employee_changes", ({"status": "pending"}, 1, 20))),
    r("GET /api/v1/employee-changes/c1", (HF, "get_employee_change", ("c1",))),
    r("POST /api/v1/employee-changes/c1/approve", (HF, "approve_employee_change", ("c1", None)), json={}),
    r("POST /api/v1/employee-changes/c1/return", (HF, "return_employee_change", ("c1", "不符")),
      json={"opinion": "不符"}),
    r("POST /api/v1/employees/bulk-seal", (HF, "change_status", ("seal", ["e1"], "离职", "202612")),
      json={"employee_ids": ["e1"], "reason": "离职", "effective_month": "202612"}),
    r("POST /api/v1/employees/bulk-unseal", (HF, "change_status", ("unseal", ["e1"], None, None)),
      json={"employee_ids": ["e1"]}),
    r("GET /api/v1/employers/receiving?q=单&page=2", (HF, "receiving_employers", ("单", 2, 20))),
    r("POST /api/v1/transfers", (HF, "transfer_out", (["e1"], "r1", None, []),),
      json={"employee_ids": ["e1"], "to_employer_id": "r1"}, status=201),
    r("GET /api/v1/transfers?direction=in", (HF, "list_transfers", ({"direction": "in"}, 1, 20))),
    r("GET /api/v1/transfers/t1", (HF, "get_transfer", ("t1",))),
    r("POST /api/v1/transfers/t1/accept", (HF, "accept_transfer", ("t1",))),
    r("POST /api/v1/transfers/t1/reject", (HF, "reject_transfer", ("t1", "不接收")), json={"opinion": "不接收"}),
    # -- line B: remittances, notices, reconciliation, back-fills, withdrawals ------------------------------
    r("GET /api/v1/remittances?status=pending&page=2", (HF, "list_remittances", ({"status": "pending"}, 2, 20))),
    r("GET /api/v1/remittances/roster?month=202612", (HF, "remittance_roster", ("202612", "remit"))),
    r("POST /api/v1/remittances", (HF, "submit_remittance", (REMITTANCE,)),
      json={"mode": "remit", "month": "202612", "lines": [{"employee_id": "e1"}]}, status=201),
    r("POST /api/v1/remittances/r1/resubmit", (HF, "resubmit_remittance", ("r1", REMITTANCE)),
      json={"mode": "remit", "month": "202612", "lines": [{"employee_id": "e1"}]}),
    r("POST /api/v1/remittances/reminders", (HF, "send_remittance_reminders", (None,)), json={}),
    r("GET /api/v1/remittances/r1", (HF, "get_remittance", ("r1",))),
    r("POST /api/v1/remittances/r1/approve", (HF, "approve_remittance", ("r1", None)), json={}),
    r("POST /api/v1/remittances/r1/return", (HF, "return_remittance", ("r1", "人数有误")),
      json={"opinion": "人数有误"}),
    r("GET /api/v1/payment-notices", (HF, "list_payment_notices", ({}, 1, 20))),
    r("GET /api/v1/payment-notices/r1", (HF, "get_payment_notice", ("r1",))),
    # printed like line A's forms: the JSON route's RPC first, then the gateway draws the PDF
    r("GET /api/v1/payment-notices/r1/form.pdf", (HF, "get_payment_notice", ("r1",)),
      results={"get_payment_notice": PRINTED_NOTICE}),
    r("GET /api/v1/payment-notices/r1/receipt.pdf", (HF, "get_payment_receipt", ("r1",)),
      results={"get_payment_receipt": PRINTED_NOTICE}),
    r("GET /api/v1/receiving-account", (HF, "get_receiving_account", ())),
    r("PUT /api/v1/receiving-account", (HF, "set_receiving_account", ({"account_name": "住建局", "account_no": "1",
                                                                        "bank_name": "工行"},)),
      json={"account_name": "住建局", "account_no": "1", "bank_name": "工行"}),
    r("POST /api/v1/bank-statements", (HF, "upload_bank_statement", (hashlib.sha256(CSV).hexdigest(), "对账单.csv")),
      files={"file": (CSV, "对账单.csv")}, status=202),
    r("GET /api/v1/bank-statements?page=2", (HF, "list_bank_statements", ({}, 2, 20))),
    r("GET /api/v1/bank-statements/report?statement_id=s1", (HF, "reconciliation_report", ("s1",))),
    r("GET /api/v1/bank-statements/report.xlsx?statement_id=s1", (HF, "reconciliation_report_xlsx", ("s1",)),
      results={"reconciliation_report_xlsx": FILE_ANSWER}),
    r("GET /api/v1/bank-statements/s1", (HF, "get_bank_statement", ("s1",))),
    r("GET /api/v1/bank-lines?status=returned", (HF, "list_bank_lines", ({"status": "returned"}, 1, 20))),
    r("POST /api/v1/backfills", (HF, "submit_backfill", ({"rows": [{"employee_id": "e1", "month": "202601",
                                                                    "amount_fen": 100, "periods": 1}],
                                                          "attachments": [{"id": "hf-x", "filename": None,
                                                                           "kind": None}], "reason": None},)),
      json={"rows": [{"employee_id": "e1", "month": "202601", "amount_fen": 100}], "attachments": [{"id": "hf-x"}]},
      status=201),
    r("GET /api/v1/backfills?status=pending", (HF, "list_backfills", ({"status": "pending"}, 1, 20))),
    r("GET /api/v1/backfills/b1", (HF, "get_backfill", ("b1",))),
    r("POST /api/v1/backfills/b1/approve", (HF, "approve_backfill", ("b1", None)), json={}),
    r("POST /api/v1/backfills/b1/return", (HF, "return_backfill", ("b1", "不符")), json={"opinion": "不符"}),
    r("POST /api/v1/withdrawals", (HF, "submit_withdrawal", ({**WITHDRAWAL, "note": None, "attachments": [
        {"id": "hf-" + "d" * 32, "filename": None, "kind": None}]},)), json=WITHDRAWAL,
      status=201),
    r("GET /api/v1/withdrawals?status=pending", (HF, "list_withdrawals", ({"status": "pending"}, 1, 20))),
    r("GET /api/v1/withdrawals/w1", (HF, "get_withdrawal", ("w1",))),
    r("POST /api/v1/withdrawals/w1/approve", (HF, "approve_withdrawal", ("w1", None)), json={}),
    r("POST /api/v1/withdrawals/w1/reject", (HF, "reject_withdrawal", ("w1", "材料不全")),
      json={"opinion": "材料不全"}),
    r("POST /api/v1/withdrawals/w1/pay", (HF, "pay_withdrawal", ("w1",))),
    # -- what spans services ---------------------------------------------------------------------------
    # the services that count for the caller's role (a county HRSS officer: shared.contracts.todos)
    r("GET /api/v1/todos", *[(s, "todos", ()) for s in ("unit_registry", "subsidy_review", "publicity_assessment")],
      results={"todos": []}, refused=200),
    r(f"GET /api/v1/jobs/{ID}", (SR, "get_job", (ID,))),
]


def _id(route: Route) -> str:
    return route.request + ("" if route.token else " (public)")


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    """/readyz also connects to the broker itself: here a connection that opens."""
    monkeypatch.setattr(meta, "connect", lambda uri, timeout: type("Conn", (), {"release": lambda self: None})())


@pytest.fixture
def token(issue):
    return issue(role="county_hrss", region="440703")[0]


def send(app, route: Route, token: str):
    method, path = route.request.split(" ", 1)
    headers = {"Authorization": token} if route.token else {}
    if route.headers:
        headers.update(route.headers(app))
    kwargs: dict[str, Any] = {"headers": headers}
    if route.files is not None:
        kwargs["data"] = {k: (io.BytesIO(v[0]), v[1]) if isinstance(v, tuple) else v for k, v in route.files.items()}
        kwargs["content_type"] = "multipart/form-data"
    elif route.json is not None:
        kwargs["json"] = route.json
    return app.test_client().open(path, method=method, **kwargs)


def endpoint_of(app, route: Route) -> tuple[str, str]:
    method, path = route.request.split(" ", 1)
    endpoint, _ = app.url_map.bind("localhost").match(path.split("?")[0], method=method)
    return endpoint, method


def test_every_route_has_a_mapping_row(app):
    """Generated from the url_map: each (endpoint, method) of the gateway outside the portal has a row."""
    served = {(rule.endpoint, method) for rule in app.url_map.iter_rules()
              for method in rule.methods - {"HEAD", "OPTIONS"}
              if rule.endpoint not in NOT_ROUTES and not rule.endpoint.startswith("portal.")}
    tested = {endpoint_of(app, route) for route in ROUTES}
    assert served - tested == set(), "routes without a row in ROUTES"
    assert tested - served == set(), "rows of routes that do not exist"


@pytest.mark.parametrize("route", ROUTES, ids=_id)
def test_the_request_becomes_these_rpcs(app, pool, token, route):
    pool.result = {"items": []}  # not {}: a dict's own .items would be read as the field "items"
    pool.results.update(route.results)
    response = send(app, route, token)
    assert response.status_code == route.status, response.get_data(as_text=True)[:500]
    assert pool.calls == route.calls
    bearer = [c.get("authorization") for c in pool.contexts]
    if route.token:  # the caller's token travels with each RPC (a self-registration's own token after it)
        assert bearer[0] == token
    else:
        assert all(b in (None, "Bearer t") for b in bearer)


@pytest.mark.parametrize("route", [route for route in ROUTES if route.calls], ids=_id)
def test_a_refusal_of_the_service_becomes_its_status_and_body(app, pool, token, route):
    """The service's PlatformError (nameko RemoteError) comes out with its status, code, Chinese message
    and details; only the routes that gather several services answer otherwise (``refused``)."""
    refusal = Conflict("该记录当前状态不允许此操作", code="route.refused", details={"reason": "test"})
    pool.results.update(route.results)
    pool.error = RemoteError("Conflict", str(refusal))
    response = send(app, route, token)
    assert response.status_code == route.refused, response.get_data(as_text=True)[:500]
    assert len(pool.calls) >= 1 and pool.calls[0] == route.calls[0]
    if route.refused == 409:
        error = response.json["error"]
        assert (error["code"], error["message"]) == ("route.refused", refusal.message)
        assert error["details"]["reason"] == "test"


def test_a_refusal_of_a_gathering_route_is_named_not_hidden(app, pool, token):
    pool.error = RemoteError("Conflict", str(Conflict()))
    assert app.test_client().get("/api/v1/todos", headers={"Authorization": token}).json["unavailable"] == [
        "unit_registry", "subsidy_review", "publicity_assessment"]
    assert app.test_client().get("/readyz").json["checks"]["identity"] == "unavailable: RemoteError"


def test_a_feed_token_with_bad_input_gets_its_400_not_a_401_of_the_account_check(app, pool):
    """An integrator's feed token is no JWT: the authorise-first check (accounts) is skipped for it, so its
    mistakes are named; with a valid query the token goes to event_feed, which checks it."""
    from shared.errors import Unauthenticated
    client = app.test_client()
    pool.authorise = Unauthenticated(code="auth.token_invalid")       # what identity's JWT check would say
    bad = client.get("/api/v1/events?after=-1", headers={"Authorization": "Bearer feed_abc"})
    assert bad.status_code == 400 and bad.json["error"]["details"]["fields"].get("after")
    assert pool.prechecks == [] and pool.calls == []
    jwt = client.get("/api/v1/events?after=-1", headers={"Authorization": "Bearer not-a-feed-token"})
    assert jwt.status_code == 401 and [c[:2] for c in pool.prechecks] == [("event_feed", "list_events")]


def test_each_declared_target_is_a_call_of_its_route(app):
    """The check order's pre-check asks the service about the RPC a view declares (``@authorised_as``):
    it is one its route makes (in one of the route's rows: a feed token's row calls another RPC, and
    is not pre-checked), so the 401/403 asked first is the one the call would give."""
    called: dict[str, set] = {}
    for route in ROUTES:
        called.setdefault(endpoint_of(app, route)[0], set()).update((s, m) for s, m, _ in route.calls)
    wrong = {endpoint: target for endpoint, target in call_targets(app).items()
             if endpoint in called and target not in called[endpoint]}
    assert wrong == {}
    assert len(call_targets(app).keys() & called.keys()) > 150  # the API's routes, not a vacuous pass
