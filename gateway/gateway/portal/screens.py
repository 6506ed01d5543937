"""What each list and detail screen shows, as data: one generic view and one table macro render them
all, so a feature issue adds a screen by adding an entry here.

A screen reads through a service's list RPC (``filters, page, page_size``) and acts through the REST
API: ``Act.url`` is a ``/api/v1`` path with ``{id}`` for the row; the page's JavaScript calls it with
the session cookie and the CSRF header.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from shared.auth.roles import LABELS as ROLE_LABEL_OF
from shared.contracts.finance_disbursement import BATCH_LABELS as FINANCE_BATCH_LABELS
from shared.contracts.finance_disbursement import CLAWBACK_LABELS, PAYMENT_LABELS, TRANSFER_LABELS
from shared.contracts.housing_fund import (
    CHANGE_STATUSES,
    EMPLOYEE_STATUSES,
    EMPLOYER_STATUSES,
    REVIEW_STATUSES,
    TRANSFER_STATUSES,
)
from shared.contracts.identity import ACCOUNT_LABELS
from shared.contracts.org_confirmation import BATCH_LABELS as CITY_BATCH_LABELS
from shared.contracts.org_confirmation import CASE_LABELS as ORG_CASE_LABELS
from shared.contracts.publicity_assessment import BATCH_LABELS as PUBLICITY_BATCH_LABELS
from shared.contracts.publicity_assessment import CASE_LABELS, OBJECTION_LABELS
from shared.contracts.statuses import APPLICATION_STATUSES, DEGREES
from shared.contracts.unit_registry import REVIEW_LABELS

APPLICATION_LABELS = {k: v for k, (_, v) in APPLICATION_STATUSES.items()}
ASSESSMENT_LABELS = {k: CASE_LABELS[k] for k in ("publicity_passed", "assessment_passed", "assessment_failed",
                                                 "reported")}
EMPLOYER_LABELS = EMPLOYER_STATUSES
ROLE_LABELS = {str(role): label for role, label in ROLE_LABEL_OF.items()}


@dataclass(frozen=True)
class Col:
    """A column: ``key`` in the item (dotted for nested), how to show it (text, money, date,
    datetime, status), whether the search box matches it (highlighted) and whether it links to the
    row's detail page."""

    key: str
    label: str
    kind: str = "text"
    search: bool = False
    link: bool = False


@dataclass(frozen=True)
class Act:
    """A button. ``url``: the REST command (``{id}`` = the row's id) or, with ``page=True``, a portal
    page. ``opinion``: ``""`` (none), ``"optional"`` or ``"required"`` (the opinion dialog). ``batch``:
    the body key of the ticked ids (a batch action); ``body``: more of the body, where ``"{id}"`` is the
    row's id (``{batch}`` in ``url`` is the record's id on a detail page). ``when``: the statuses it
    applies to (the row's, or for a batch action the status filter's). ``all_when_none``: a batch
    action that, with nothing ticked, acts on every pending record (一键审核通过). ``job``: the answer
    is a job to follow. ``hide_if``: a row key that, when true, hides the action."""

    label: str
    url: str
    opinion: str = ""
    batch: str = ""
    when: tuple[str, ...] = ()
    confirm: str = ""
    style: str = "primary"
    job: bool = False
    page: bool = False
    all_when_none: bool = False
    body: dict = field(default_factory=dict)
    next: str = ""
    hide_if: str = ""
    opinion_label: str = "审核意见"
    #: the body key of the typed text (default ``opinion``, e.g. ``reason``)
    opinion_field: str = ""

    def applies(self, status: str | None, row: dict | None = None) -> bool:
        """Whether the action is offered for ``status`` (and ``row``, whose ``hide_if`` key may rule it out)."""
        if row is not None and self.hide_if and row.get(self.hide_if):
            return False
        return not self.when or status in self.when


@dataclass(frozen=True)
class Filter:
    """An extra select filter besides status and the search box."""

    name: str
    label: str
    options: dict[str, str]


@dataclass(frozen=True)
class Screen:
    path: str
    title: str
    service: str
    method: str
    columns: tuple[Col, ...]
    statuses: dict[str, str] = field(default_factory=dict)
    default_status: str = ""
    titles: dict[str, str] = field(default_factory=dict)
    search: str = ""
    filters: tuple[Filter, ...] = ()
    row_actions: tuple[Act, ...] = ()
    batch_actions: tuple[Act, ...] = ()
    id_key: str = "id"
    detail: str = ""
    new: tuple[str, str] | None = None
    empty: str = "暂无记录"
    #: the title of a kept list of ticked rows (across pages, per status filter) that the batch actions
    #: send, e.g. 待变更列表 of 批量封存/启封; empty: the batch actions send the page's ticked rows
    pending_list: str = ""

    def keeps_ticks(self, status: str | None) -> bool:
        """Whether the list shows its kept list (``pending_list``): a status filter a batch action serves."""
        return bool(self.pending_list and status and any(a.when and a.applies(status) for a in self.batch_actions))

    def title_for(self, status: str) -> str:
        return self.titles.get(status, self.title)

    def href(self, item: dict) -> str:
        return self.detail.format(id=item.get(self.id_key)) if self.detail else ""


# --- columns used by several screens -----------------------------------------------------------------
APP_NO = Col("application_no", "申请编号", search=True)
NAME = Col("applicant_name", "姓名", search=True)
ID_NUMBER = Col("id_number", "证件号码", search=True)
UNIT = Col("unit_name", "单位名称")
COUNTY = Col("county_name", "县区")
DEGREE = Col("degree_label", "学历")
MONTHS = Col("months", "补贴月数")
STANDARD = Col("standard_fen", "补贴标准（元/月）", "money")
AMOUNT = Col("amount_fen", "合计金额", "money")
STATUS = Col("status_label", "状态", "status")

START = Col("start_date", "补助申领起始日期", "date")
#: what the unit's lists show, as seed 000 lists it (its own unit needs no column)
UNIT_APPLICATION_COLUMNS = (APP_NO, NAME, ID_NUMBER, DEGREE, START, MONTHS, STANDARD, AMOUNT,
                            Col("submitted_at", "上报时间", "date"), STATUS)
APPLICATION_COLUMNS = (APP_NO, NAME, ID_NUMBER, UNIT, DEGREE, START, MONTHS, AMOUNT,
                       Col("reported_at", "上报时间", "date"), STATUS)
CASE_COLUMNS = (APP_NO, NAME, ID_NUMBER, UNIT, DEGREE, MONTHS, AMOUNT, Col("received_at", "接收日期", "date"), STATUS)
ORG_COLUMNS = (APP_NO, NAME, COUNTY, UNIT, DEGREE, MONTHS, AMOUNT, Col("city_batch_no", "汇总批次"),
               Col("received_at", "接收日期", "date"), STATUS)
CITY_BATCH_COLUMNS = (Col("batch_no", "批次号", search=True), Col("count", "申请数"),
                      Col("amount_fen", "汇总金额", "money"), Col("created_by_name", "汇总人"),
                      Col("created_at", "汇总时间", "datetime"), STATUS, Col("opinion", "意见"))

#: sub-tables of registration details: the materials (预览/下载) and every round of the review
ATTACHMENT_COLUMNS = (Col("kind_label", "附件类型"), Col("filename", "文件名", link=True), Col("size", "大小（字节）"))
HISTORY_COLUMNS = (Col("round", "轮次"), Col("action_label", "操作"), Col("actor_name", "操作人"),
                   Col("at", "时间", "datetime"), Col("opinion", "审核意见"))
CHANGE_COLUMNS = (Col("change_summary", "变更内容"), Col("created_at", "申请时间", "datetime"), STATUS,
                  Col("opinion", "审核意见"), Col("decided_at", "审核时间", "datetime"))

APPROVE = "审核通过"
RETURN = "退回修改"


def _review_actions(prefix: str, statuses: tuple[str, ...]) -> tuple[Act, ...]:
    return (Act(APPROVE, prefix + "/{id}/approve", opinion="optional", when=statuses),
            Act(RETURN, prefix + "/{id}/return", opinion="required", when=statuses, style="danger"))


def _applications_readonly(role_title: str) -> Screen:
    return Screen("applications", role_title, "subsidy_review", "list_applications", APPLICATION_COLUMNS,
                  statuses=APPLICATION_LABELS, search="姓名 / 证件号码 / 申请编号", detail="/portal/applications/{id}",
                  filters=(Filter("degree", "学历", DEGREES),))


SCREENS: dict[tuple[str, str], Screen] = {}


def _add(role: str, screen: Screen) -> None:
    SCREENS[(role, screen.path)] = screen


# --- individual ------------------------------------------------------------------------------------
_add("individual", Screen(
    "applications", "我的申请", "subsidy_review", "list_applications",
    (Col("application_no", "申请编号", ), DEGREE, MONTHS, AMOUNT, Col("submitted_at", "提交时间", "datetime"),
     STATUS, Col("opinion", "审核意见")),
    statuses=APPLICATION_LABELS, detail="/portal/applications/{id}", new=("补助申请", "/portal/applications/new"),
    titles={"unit_returned,county_returned": "被退回的申请"},
    row_actions=(Act("修改后再次提交", "/portal/applications/{id}/edit", page=True,
                     when=("unit_returned", "county_returned")),),
    empty="您还没有补助申请"))
_add("individual", Screen(
    "payments", "补助拨付确认", "finance_disbursement", "my_payments",
    (Col("application_no", "申请编号"), Col("amount_fen", "拨付金额", "money"), Col("bank_name", "开户行"),
     Col("bank_number", "银行卡号"), Col("paid_on", "拨付日期", "date"), STATUS,
     Col("confirmed_at", "确认时间", "datetime")),
    statuses=PAYMENT_LABELS,
    row_actions=(Act("确认收到", "/api/v1/payments/{id}/confirm-receipt", when=("paid",),
                     confirm="请核对银行账户确已收到该笔补助，确认收到？"),
                 Act("反馈未收到", "/api/v1/payments/{id}/dispute", opinion="required", when=("paid",),
                     style="danger", opinion_label="情况说明", confirm="请说明未收到的情况，县财政局将核查。")),
    empty="暂无补助拨付记录"))

# --- unit clerk (stages 2 and 3, the registrations of its people) ---------------------------------------
_add("unit_admin", Screen(
    "applications", "补助申报查询统计", "subsidy_review", "list_applications", UNIT_APPLICATION_COLUMNS,
    statuses=APPLICATION_LABELS, search="姓名 / 证件号码 / 申请编号", detail="/portal/applications/{id}",
    titles={"pending_unit_review": "个人补助申请审核", "pending_report": "个人补助申请上报"},
    filters=(Filter("degree", "学历", DEGREES),),
    row_actions=_review_actions("/api/v1/applications", ("pending_unit_review",)) + (
        Act("退回到单位待审核", "/api/v1/applications/{id}/send-back", when=("pending_report",), style="danger",
            confirm="将该申请退回到单位待审核？"),),
    batch_actions=(
        Act("一键审核通过", "/api/v1/applications/bulk-approve", batch="application_ids", job=True,
            when=("pending_unit_review",), all_when_none=True,
            confirm="勾选的申请将审核通过并上报县区人社局（未勾选则为全部待审核申请），是否继续？"),
        Act("上报至县人社局", "/api/v1/applications/report", batch="application_ids", when=("pending_report",),
            confirm="将勾选的申请上报至县区人社局？"))))
_add("unit_admin", Screen(
    "individuals", "个人注册查询", "unit_registry", "list_individuals",
    (Col("name", "姓名", search=True), Col("id_type_label", "证件类型"),
     Col("id_number", "证件号码", search=True), Col("mobile", "手机号码"), DEGREE,
     Col("graduated_on", "毕业时间", "date"), Col("created_at", "注册时间", "datetime"), STATUS,
     Col("opinion", "审核意见")),
    statuses=REVIEW_LABELS, search="姓名 / 证件号码", detail="/portal/individuals/{id}",
    titles={"pending": "个人注册审核"},
    row_actions=_review_actions("/api/v1/individuals", ("pending",)),
    batch_actions=(Act("一键审核通过", "/api/v1/individuals/bulk-approve", batch="individual_ids", when=("pending",),
                       all_when_none=True,
                       confirm="勾选的个人注册将全部审核通过（未勾选则为本单位全部待审核注册），是否继续？"),)))

# --- county HRSS (stages 4-7) -------------------------------------------------------------------------
_add("county_hrss", Screen(
    "applications", "补助申请查询", "subsidy_review", "list_applications", APPLICATION_COLUMNS,
    statuses=APPLICATION_LABELS, search="姓名 / 证件号码 / 申请编号", detail="/portal/applications/{id}",
    titles={"pending_county_review": "补助申请审核"}, filters=(Filter("degree", "学历", DEGREES),),
    row_actions=_review_actions("/api/v1/applications", ("pending_county_review",))))
_add("county_hrss", Screen(
    "individuals", "个人注册查询", "unit_registry", "list_individuals",
    (Col("name", "姓名", search=True), Col("unit_name", "单位名称"), Col("id_number", "证件号码", search=True),
     DEGREE, Col("created_at", "注册时间", "datetime"), STATUS),
    statuses=REVIEW_LABELS, search="姓名 / 证件号码"))
_add("county_hrss", Screen(
    "publicity-cases", "公示申请", "publicity_assessment", "list_cases", CASE_COLUMNS,
    statuses=CASE_LABELS, default_status="awaiting_publicity", search="姓名 / 申请编号",
    detail="/portal/applications/{id}", titles={"awaiting_publicity": "待公示"},
    batch_actions=(Act("开始公示", "/api/v1/publicity-batches", batch="application_ids", when=("awaiting_publicity",),
                       confirm="将勾选的申请生成公示批次并开始公示？", next="/portal/publicity-batches"),)))
_add("county_hrss", Screen(
    "assessments", "评审", "publicity_assessment", "list_cases", CASE_COLUMNS,
    statuses=ASSESSMENT_LABELS, default_status="publicity_passed", search="姓名 / 申请编号",
    detail="/portal/applications/{id}", titles={"assessment_passed": "上报县组织部"},
    row_actions=(Act("评审不通过", "/api/v1/assessments/{id}/fail", opinion="required", when=("publicity_passed",),
                     style="danger"),),
    batch_actions=(
        Act("评审通过", "/api/v1/assessments/pass", batch="application_ids", when=("publicity_passed",),
            confirm="勾选的申请评审通过？"),
        Act("上报县组织部", "/api/v1/assessments/report", batch="application_ids", when=("assessment_passed",),
            confirm="将勾选的申请上报县区组织部确认？"))))
_add("county_hrss", Screen(
    "publicity-batches", "公示批次", "publicity_assessment", "list_batches",
    (Col("batch_no", "公示批次号", search=True), COUNTY, Col("starts_on", "公示开始", "date"),
     Col("ends_on", "公示截止", "date"), Col("case_count", "申请数"), Col("pending_objections", "待处理异议"),
     STATUS),
    statuses=PUBLICITY_BATCH_LABELS, search="批次号", detail="/portal/publicity-batches/{id}",
    row_actions=(Act("结束公示", "/api/v1/publicity-batches/{id}/end", when=("open",),
                     confirm="公示期已满且异议均已处理，结束公示？"),)))
_add("county_hrss", Screen(
    "objections", "公示异议处理", "publicity_assessment", "list_objections",
    (Col("application_no", "申请编号", search=True), Col("applicant_name", "被异议人", search=True),
     Col("reason", "异议理由"), Col("contact_name", "联系人"), Col("contact_phone", "联系电话"),
     Col("lodged_at", "提出时间", "datetime"), STATUS, Col("opinion", "处理意见")),
    statuses=OBJECTION_LABELS, search="申请编号 / 姓名",
    row_actions=(Act("异议成立", "/api/v1/objections/{id}/uphold", opinion="required", when=("pending",),
                     style="danger", opinion_label="处理意见", confirm="异议成立后，该申请退回县区人社局重新审核。"),
                 Act("异议不成立", "/api/v1/objections/{id}/dismiss", opinion="required", when=("pending",),
                     opinion_label="处理意见"))))

_add("county_hrss", Screen(
    "units", "单位查询", "unit_registry", "list_units",
    (Col("name", "单位名称", search=True), Col("uscc", "统一社会信用代码", search=True), Col("region_name", "行政区划"),
     Col("leader", "单位负责人"), Col("round", "提交轮次"), Col("created_at", "注册时间", "datetime"), STATUS,
     Col("opinion", "审核意见")),
    statuses=REVIEW_LABELS, search="单位名称 / 统一社会信用代码", detail="/portal/units/{id}",
    titles={"pending": "单位注册审核"}, row_actions=_review_actions("/api/v1/units", ("pending",))))
_add("county_hrss", Screen(
    "unit-changes", "单位信息变更审核", "unit_registry", "list_unit_changes",
    (Col("unit_name", "单位名称", search=True), Col("change_summary", "变更内容"),
     Col("created_at", "申请时间", "datetime"), STATUS, Col("opinion", "审核意见")),
    statuses=REVIEW_LABELS, search="单位名称 / 统一社会信用代码", detail="/portal/unit-changes/{id}",
    row_actions=_review_actions("/api/v1/unit-changes", ("pending",))))

# --- county organisation department (stage 8) ----------------------------------------------------------
_add("county_org", Screen(
    "org-reviews", "组织部确认", "org_confirmation", "list_cases", ORG_COLUMNS,
    statuses=ORG_CASE_LABELS, search="姓名 / 申请编号", id_key="application_id",
    detail="/portal/applications/{id}", titles={"pending_county_org": "县组织部确认"},
    row_actions=(Act("退回", "/api/v1/org-reviews/{id}/return", opinion="required", when=("pending_county_org",),
                     style="danger"),),
    batch_actions=(Act("确认", "/api/v1/org-reviews/confirm", batch="application_ids", when=("pending_county_org",),
                       confirm="确认勾选的申请？"),)))
_add("county_org", _applications_readonly("补助申请查询"))

# --- city HRSS (stage 9) ----------------------------------------------------------------------------
_add("city_hrss", Screen(
    "org-reviews", "县组织部已确认的申请", "org_confirmation", "list_cases", ORG_COLUMNS,
    statuses=ORG_CASE_LABELS, default_status="county_org_confirmed", search="姓名 / 申请编号",
    id_key="application_id", detail="/portal/applications/{id}", titles={"county_org_confirmed": "待汇总申请"},
    batch_actions=(Act("汇总上报市组织部", "/api/v1/city-batches", batch="application_ids",
                       when=("county_org_confirmed",), confirm="将勾选的申请汇总为市级批次并上报市组织部？",
                       next="/portal/city-batches"),)))
_add("city_hrss", Screen(
    "city-batches", "市级汇总批次", "org_confirmation", "list_batches", CITY_BATCH_COLUMNS,
    statuses=CITY_BATCH_LABELS, search="批次号", detail="/portal/city-batches/{id}"))
_add("city_hrss", _applications_readonly("补助申请查询"))

# --- city organisation department (stage 10) ------------------------------------------------------------
_add("city_org", Screen(
    "city-batches", "汇总批次查询", "org_confirmation", "list_batches", CITY_BATCH_COLUMNS,
    statuses=CITY_BATCH_LABELS, search="批次号", detail="/portal/city-batches/{id}",
    titles={"aggregated": "汇总批次确认"},
    row_actions=(Act("确认并通知市财政局", "/api/v1/city-batches/{id}/confirm", opinion="optional",
                     when=("aggregated",)),
                 Act("退回", "/api/v1/city-batches/{id}/return", opinion="required", when=("aggregated",),
                     style="danger"))))
_add("city_org", _applications_readonly("补助申请查询"))

# --- finance (stages 11 and 12) --------------------------------------------------------------------------
#: a county transfer's commands: 到账确认 first, then the payment to the individuals
TRANSFER_ACTIONS = (Act("确认到账", "/api/v1/county-transfers/{id}/confirm-arrival", when=("released",),
                        confirm="市财政局拨付的资金已到本级财政账户？确认后方可支付到个人。"),
                    Act("拨付至个人", "/api/v1/county-transfers/{id}/pay", when=("received",),
                        confirm="将该拨付单的补助支付到个人银行账户？"))
_add("city_finance", Screen(
    "disbursement-batches", "拨付批次查询", "finance_disbursement", "list_batches",
    (Col("batch_no", "批次号", search=True), Col("expected_count", "申请数"),
     Col("amount_fen", "拨付金额", "money"), Col("arrived_count", "已到达申请数"), Col("county_count", "县区数"),
     Col("released_county_count", "已拨付县区数"), Col("received_at", "接收时间", "datetime"), STATUS),
    statuses=FINANCE_BATCH_LABELS, search="批次号", detail="/portal/disbursement-batches/{id}",
    titles={"ready": "待拨付批次"},
    row_actions=(Act("查看并拨付", "/portal/disbursement-batches/{id}", page=True,
                     when=("ready", "partly_released")),)))
_add("county_finance", Screen(
    "county-transfers", "拨付单查询", "finance_disbursement", "list_transfers",
    (Col("transfer_no", "拨付单号", search=True), Col("batch_no", "批次号", search=True), COUNTY,
     Col("count", "人数"), Col("amount_fen", "金额", "money"), Col("released_at", "市财政拨付时间", "datetime"),
     Col("paid_at", "支付时间", "datetime"), STATUS),
    statuses=TRANSFER_LABELS, search="拨付单号 / 批次号", detail="/portal/county-transfers/{id}",
    titles={"released": "待确认到账", "received": "待拨付至个人"},
    row_actions=TRANSFER_ACTIONS))
_add("county_finance", Screen(
    "failed-payments", "支付失败处理", "finance_disbursement", "list_failed",
    (APP_NO, NAME, UNIT, AMOUNT, Col("bank_name", "开户行"), Col("bank_number", "银行卡号"),
     Col("failure_reason", "失败原因"), Col("attempt", "支付次数"),
     Col("corrected_bank_account.number", "个人已更正账户"), Col("corrected_bank_account.bank", "更正后开户行"),
     STATUS),
    search="申请编号 / 姓名", id_key="application_id",
    row_actions=(Act("按个人已更正账户重新支付", "/api/v1/failed-payments/{id}/retry", hide_if="account_not_corrected",
                     confirm="按个人在注册信息中更正的银行账户重新支付，是否继续？"),
                 Act("更正账户重新支付", "/portal/failed-payments/{id}/retry", page=True),
                 Act("退回", "/api/v1/failed-payments/{id}/return", opinion="required", opinion_label="退回原因",
                     opinion_field="reason", style="danger", confirm="退回后该笔补助不再支付，是否继续？")),
    empty="没有支付失败待处理的申请"))
CLAWBACK_COLUMNS = (Col("application_no", "申请编号", search=True), Col("applicant_name", "姓名"), UNIT, COUNTY,
                    Col("batch_no", "批次号"), Col("amount_fen", "追回金额", "money"), Col("reason", "追回原因"),
                    Col("recorded_at", "登记时间", "datetime"), STATUS, Col("recovered_at", "追回到账时间", "datetime"))
_add("county_finance", Screen(
    "clawbacks", "追回管理", "finance_disbursement", "list_clawbacks", CLAWBACK_COLUMNS, statuses=CLAWBACK_LABELS,
    row_actions=(Act("确认追回到账", "/api/v1/clawbacks/{id}/recover", when=("recorded",),
                     confirm="追回款项已到县财政账户？"),),
    empty="暂无追回记录"))
_add("city_finance", Screen(
    "clawbacks", "追回记录", "finance_disbursement", "list_clawbacks", CLAWBACK_COLUMNS, statuses=CLAWBACK_LABELS,
    empty="暂无追回记录"))
for _role in ("county_finance", "city_finance"):
    _add(_role, _applications_readonly("补助申请查询"))

# --- platform admin and housing bureau ---------------------------------------------------------------------
ACCOUNT_ACTIONS = (Act("注销", "/api/v1/accounts/{id}/deactivate", when=("active",), style="danger",
                       confirm="注销后该账号立即无法登录，已登录的会话同时失效，是否继续？"),
                   Act("撤销注销", "/api/v1/accounts/{id}/reactivate", when=("deactivated",),
                       confirm="撤销注销后该账号可以重新登录（此前的会话仍然无效），是否继续？"))
_add("sys_admin", Screen(
    "accounts", "账号管理", "identity", "list_accounts",
    (Col("username", "用户名", search=True, link=True), Col("name", "姓名", search=True), Col("role_label", "角色"),
     Col("region_name", "行政区划"), Col("mobile", "手机号码"), Col("last_login_at", "最后登录", "datetime"), STATUS),
    statuses=ACCOUNT_LABELS, search="用户名 / 姓名", filters=(Filter("role", "角色", ROLE_LABELS),),
    new=("新建账号", "/portal/accounts/new"), detail="/portal/accounts/{id}", row_actions=ACCOUNT_ACTIONS))
# 信息维护-账号管理 of a unit: its individuals' and operators' accounts (identity scopes the list to the unit)
_add("unit_admin", Screen(
    "accounts", "账号管理", "identity", "list_accounts",
    (Col("username", "用户名", search=True, link=True), Col("name", "姓名", search=True), Col("role_label", "角色"),
     Col("mobile", "手机号码"), Col("last_login_at", "最后登录", "datetime"), STATUS),
    statuses=ACCOUNT_LABELS, search="用户名 / 姓名",
    filters=(Filter("role", "角色", {k: ROLE_LABELS[k] for k in ("individual", "unit_admin")}),),
    new=("新增经办人账号", "/portal/accounts/new"), detail="/portal/accounts/{id}", row_actions=ACCOUNT_ACTIONS))
_add("sys_admin", _applications_readonly("补助申请查询"))
_add("housing_bureau", Screen(
    "employers", "汇缴单位", "housing_fund", "list_employers",
    (Col("name", "单位名称", search=True, link=True), Col("org_code", "组织机构代码", search=True),
     Col("trade_code", "单位交易代码", search=True), Col("region_name", "行政区划"), Col("contact_name", "联系人"),
     Col("contact_mobile", "联系人手机"), Col("source_label", "来源"), Col("review_status_label", "注册审核"),
     Col("round", "提交次数"), Col("created_at", "提交时间", "datetime"), STATUS),
    statuses=EMPLOYER_LABELS, search="单位名称 / 组织机构代码 / 交易代码", detail="/portal/housing/employers/{id}",
    filters=(Filter("review_status", "注册审核", REVIEW_STATUSES),),
    row_actions=(Act(APPROVE, "/api/v1/employers/{id}/approve", opinion="optional", hide_if="review_done"),
                 Act(RETURN, "/api/v1/employers/{id}/return", opinion="required", style="danger",
                     hide_if="review_done"))))

# --- line B: employers and their employees (housing_fund) -------------------------------------------------
EMPLOYEE_COLUMNS = (Col("name", "姓名", search=True, link=True), Col("id_number", "证件号码", search=True),
                    Col("gender", "性别"), Col("mobile", "手机号码"), Col("level", "级别"),
                    Col("monthly_fen", "每月缴费金额", "money"), Col("start_month", "汇缴开始月份"),
                    Col("periods", "累计缴纳期数"), Col("balance_fen", "累计缴纳金额", "money"), STATUS)
_add("employer", Screen(
    "employees", "职工管理", "housing_fund", "list_employees", EMPLOYEE_COLUMNS,
    statuses=EMPLOYEE_STATUSES, search="姓名 / 证件号码", detail="/portal/housing/employees/{id}",
    new=("新增职工", "/portal/housing/employees/new"), titles={"01": "职工缴存明细"}, pending_list="待变更列表",
    row_actions=(Act("重置密码", "/api/v1/employees/{id}/reset-password", style="link",
                     confirm="将该职工的个人平台密码重置为初始密码（证件号码后6位），是否继续？"),),
    batch_actions=(Act("批量封存", "/api/v1/employees/bulk-seal", batch="employee_ids", when=("01",),
                       confirm="将待变更列表中的职工封存（生效月份为本月）？"),
                   Act("批量启封", "/api/v1/employees/bulk-unseal", batch="employee_ids", when=("02",),
                       confirm="将待变更列表中的职工启封（生效月份为本月）？"))))
_EMPLOYEE_CHANGE_COLUMNS = (Col("employee_name", "姓名", search=True), Col("id_number", "证件号码", search=True),
                            Col("summary", "变更内容"), Col("reason", "变更原因"), Col("by_name", "经办人"),
                            Col("at", "提交时间", "datetime"), STATUS, Col("opinion", "审核意见"))
_add("employer", Screen(
    "employee-changes", "职工信息变更", "housing_fund", "list_employee_changes", _EMPLOYEE_CHANGE_COLUMNS,
    statuses=CHANGE_STATUSES, search="姓名 / 证件号码", new=("新增变更信息", "/portal/employees")))
_add("housing_bureau", Screen(
    "employee-changes", "职工信息变更审核", "housing_fund", "list_employee_changes",
    (Col("employer_name", "单位"),) + _EMPLOYEE_CHANGE_COLUMNS, statuses=CHANGE_STATUSES,
    default_status="pending", search="姓名 / 证件号码",
    row_actions=(Act(APPROVE, "/api/v1/employee-changes/{id}/approve", opinion="optional", when=("pending",)),
                 Act(RETURN, "/api/v1/employee-changes/{id}/return", opinion="required", when=("pending",),
                     style="danger"))))
_EMPLOYER_CHANGE_COLUMNS = (Col("summary", "变更内容"), Col("reason", "变更原因"),
                            Col("submitted_at", "提交时间", "datetime"), STATUS, Col("opinion", "审核意见"))
_add("employer", Screen(
    "employer-changes", "单位信息变更", "housing_fund", "list_employer_changes", _EMPLOYER_CHANGE_COLUMNS,
    statuses=REVIEW_STATUSES, detail="/portal/housing/employer-changes/{id}",
    new=("新增变更信息", "/portal/housing/employer-changes/new")))
_add("housing_bureau", Screen(
    "employer-changes", "单位信息变更审核", "housing_fund", "list_employer_changes",
    (Col("employer_name", "单位名称"),) + _EMPLOYER_CHANGE_COLUMNS, statuses=REVIEW_STATUSES,
    default_status="pending", detail="/portal/housing/employer-changes/{id}",
    row_actions=(Act(APPROVE, "/api/v1/employer-changes/{id}/approve", opinion="optional", when=("pending",)),
                 Act(RETURN, "/api/v1/employer-changes/{id}/return", opinion="required", when=("pending",),
                     style="danger"))))
_add("employer", Screen(
    "transfers", "员工转入/转出", "housing_fund", "list_transfers",
    (Col("employee_name", "姓名"), Col("id_number", "证件号码"), Col("from_employer_name", "转出单位"),
     Col("to_employer_name", "转入单位"), Col("balance_fen", "转移余额", "money"),
     Col("requested_at", "申请时间", "datetime"), STATUS, Col("opinion", "意见")),
    statuses=TRANSFER_STATUSES, new=("新增职工转出", "/portal/housing/transfer-out"),
    filters=(Filter("direction", "方向", {"in": "转入（待本单位审阅）", "out": "转出"}),),
    titles={"pending": "员工转入/转出"},
    row_actions=(Act("审阅通过，立即提交", "/api/v1/transfers/{id}/accept", hide_if="not_decidable",
                     confirm="确认该职工信息无误，转入本单位？职工余额及缴存记录将一并转入。"),
                 Act("退回", "/api/v1/transfers/{id}/reject", opinion="required", style="danger",
                     hide_if="not_decidable"))))

#: the to-do links of the services name these paths; they show the screen of the same records
ALIASES = {"publicity/cases": "publicity-cases", "publicity/objections": "objections",
           "publicity/batches": "publicity-batches"}


def screen_for(role: str, path: str) -> Screen | None:
    return SCREENS.get((role, ALIASES.get(path, path)))
