"""Detail screens as data (like :mod:`gateway.portal.screens`): the record's fields, its sub-tables
and the actions its status allows. The application's detail with its timeline has its own view."""
from __future__ import annotations

from dataclasses import dataclass

from gateway.portal.screens import (
    AMOUNT,
    APP_NO,
    ATTACHMENT_COLUMNS,
    COUNTY,
    DEGREE,
    HISTORY_COLUMNS,
    MONTHS,
    NAME,
    STATUS,
    TRANSFER_ACTIONS,
    UNIT,
    Act,
    Col,
    _review_actions,
)


@dataclass(frozen=True)
class Table:
    title: str
    key: str
    columns: tuple[Col, ...]
    id_key: str = "id"
    detail: str = ""
    row_actions: tuple[Act, ...] = ()


@dataclass(frozen=True)
class Detail:
    path: str
    title: str
    service: str
    method: str
    fields: tuple[Col, ...]
    name_key: str = ""
    tables: tuple[Table, ...] = ()
    actions: tuple[Act, ...] = ()
    back: str = ""
    pdf: str = ""            # 打印（PDF）: the printed form's route, ``{id}`` the record's id


CASES = Table("申请明细", "cases", (APP_NO, NAME, COUNTY, UNIT, DEGREE, MONTHS, AMOUNT, STATUS),
              id_key="application_id", detail="/portal/applications/{id}")

DETAILS: dict[tuple[str, str], Detail] = {}


def _add(roles: tuple[str, ...], detail: Detail) -> None:
    for role in roles:
        DETAILS[(role, detail.path)] = detail


#: the 用户须知 the registrant accepted (version and time), in the reviewer's detail
TERMS, TERMS_AT = Col("terms_version", "已同意用户须知版本"), Col("terms_accepted_at", "同意用户须知时间", "datetime")
_INDIVIDUAL_FIELDS = (
    Col("name", "姓名"), Col("id_type_label", "证件类型"), Col("id_number", "证件号码"), Col("mobile", "手机号码"),
    Col("degree_label", "学历"), Col("graduated_on", "毕业时间", "date"), Col("unit_name", "所在单位"),
    Col("bank_account.holder", "户名"), Col("bank_account.bank", "开户行"), Col("bank_account.number", "银行卡号"),
    Col("created_at", "注册时间", "datetime"), TERMS, TERMS_AT, STATUS, Col("opinion", "审核意见"))
ATTACHMENTS = Table("证明材料", "attachments", ATTACHMENT_COLUMNS, detail="/api/v1/attachments/{id}")
ROUNDS = Table("审核记录", "history", HISTORY_COLUMNS)
_add(("unit_admin",), Detail("individuals", "个人注册详情", "unit_registry", "get_individual", _INDIVIDUAL_FIELDS,
                             name_key="name", actions=_review_actions("/api/v1/individuals", ("pending",)),
                             tables=(ATTACHMENTS, ROUNDS), back="/portal/individuals?status=pending"))
_add(("county_hrss",), Detail(
    "units", "单位注册详情", "unit_registry", "get_unit",
    (Col("name", "单位名称"), Col("uscc", "统一社会信用代码"), Col("org_code", "组织机构代码"),
     Col("region_name", "行政区划"), Col("supervisor_region_name", "主管部门（县区）"), Col("leader", "单位负责人"),
     Col("leader_phone", "负责人联系方式"), Col("round", "提交轮次"), Col("created_at", "注册时间", "datetime"),
     TERMS, TERMS_AT, STATUS, Col("opinion", "审核意见")),
    name_key="name", actions=_review_actions("/api/v1/units", ("pending",)), back="/portal/units?status=pending",
    tables=(Table("单位材料", "attachments", ATTACHMENT_COLUMNS, detail="/api/v1/attachments/{id}"), ROUNDS,
            Table("单位信息变更申请", "changes",
                  (Col("change_summary", "变更内容"), Col("created_at", "申请时间", "datetime"), STATUS,
                   Col("opinion", "审核意见")), detail="/portal/unit-changes/{id}"))))
_add(("county_hrss",), Detail(
    "unit-changes", "单位信息变更详情", "unit_registry", "get_unit_change",
    (Col("unit_name", "单位名称"), Col("uscc", "统一社会信用代码"), Col("change_summary", "变更内容"),
     Col("created_at", "申请时间", "datetime"), STATUS, Col("opinion", "审核意见")),
    name_key="unit_name", actions=_review_actions("/api/v1/unit-changes", ("pending",)),
    back="/portal/unit-changes?status=pending",
    tables=(Table("变更证明材料", "attachments", ATTACHMENT_COLUMNS, detail="/api/v1/attachments/{id}"), ROUNDS)))
_add(("county_hrss",), Detail(
    "publicity-batches", "公示批次详情", "publicity_assessment", "get_batch",
    (Col("batch_no", "公示批次号"), COUNTY, Col("starts_on", "公示开始", "date"), Col("ends_on", "公示截止", "date"),
     Col("case_count", "申请数"), Col("pending_objections", "待处理异议"), STATUS),
    name_key="batch_no", tables=(CASES,), back="/portal/publicity-batches",
    pdf="/api/v1/publicity-batches/{id}/notice.pdf",
    actions=(Act("结束公示", "/api/v1/publicity-batches/{id}/end", when=("open",),
                 confirm="公示期已满且异议均已处理，结束公示？"),)))
_CITY_BATCH_FIELDS = (Col("batch_no", "批次号"), Col("count", "申请数"), Col("amount_fen", "汇总金额", "money"),
                      Col("created_by_name", "汇总人"), Col("created_at", "汇总时间", "datetime"), STATUS,
                      Col("opinion", "意见"), Col("decided_by_name", "确认人"),
                      Col("decided_at", "确认时间", "datetime"))
_COUNTY_TOTALS = Table("各县区合计", "counties", (COUNTY, Col("count", "申请数"), Col("amount_fen", "金额", "money")),
                       id_key="county")
CITY_TABLE_PDF = "/api/v1/city-batches/{id}/table.pdf"
_add(("city_hrss",), Detail("city-batches", "汇总批次详情", "org_confirmation", "get_batch", _CITY_BATCH_FIELDS,
                            name_key="batch_no", tables=(_COUNTY_TOTALS, CASES), back="/portal/city-batches",
                            pdf=CITY_TABLE_PDF))
#: 市组织部 returns one application of the batch (the rest stays to be confirmed)
_CITY_ORG_CASES = Table(CASES.title, CASES.key, CASES.columns + (Col("opinion", "审核意见"),), id_key=CASES.id_key,
                        detail=CASES.detail,
                        row_actions=(Act("退回该申请", "/api/v1/city-batches/{batch}/applications/{id}/return",
                                         opinion="required", when=("city_aggregated",), style="danger"),))
_add(("city_org",), Detail(
    "city-batches", "汇总批次详情", "org_confirmation", "get_batch", _CITY_BATCH_FIELDS, name_key="batch_no",
    tables=(_COUNTY_TOTALS, _CITY_ORG_CASES), back="/portal/city-batches?status=aggregated", pdf=CITY_TABLE_PDF,
    actions=(Act("确认并通知市财政局", "/api/v1/city-batches/{id}/confirm", opinion="optional", when=("aggregated",)),
             Act("退回", "/api/v1/city-batches/{id}/return", opinion="required", when=("aggregated",),
                 style="danger"))))
_add(("city_finance",), Detail(
    "disbursement-batches", "拨付批次详情", "finance_disbursement", "get_batch",
    (Col("batch_no", "批次号"), Col("expected_count", "申请数"), Col("amount_fen", "拨付金额", "money"),
     Col("arrived_count", "已到达申请数"), Col("received_at", "接收时间", "datetime"), STATUS),
    name_key="batch_no", back="/portal/disbursement-batches?status=ready",
    tables=(Table("各县区拨付", "counties",
                  (COUNTY, Col("count", "申请数"), Col("amount_fen", "金额", "money"),
                   Col("arrived_count", "已到达"), Col("transfer_no", "拨付单号"),
                   Col("transfer_status_label", "拨付状态"), Col("released_at", "拨付时间", "datetime")),
                  id_key="county",
                  row_actions=(Act("确认拨付", "/api/v1/disbursement-batches/{batch}/release", body={"county": "{id}"},
                                   hide_if="released", confirm="确认将该县区的补助资金拨付至县财政局？"),)),
            Table("申请明细", "items", (APP_NO, NAME, COUNTY, UNIT, AMOUNT, Col("bank_name", "开户行"),
                                    Col("bank_number", "银行卡号"), STATUS),
                  id_key="application_id", detail="/portal/applications/{id}"))))
_add(("county_finance",), Detail(
    "county-transfers", "拨付单详情", "finance_disbursement", "get_transfer",
    (Col("transfer_no", "拨付单号"), Col("batch_no", "批次号"), COUNTY, Col("count", "人数"),
     Col("amount_fen", "金额", "money"), Col("released_at", "市财政拨付时间", "datetime"),
     Col("arrival_confirmed_at", "确认到账时间", "datetime"), Col("paid_at", "支付时间", "datetime"), STATUS),
    name_key="transfer_no", back="/portal/county-transfers",
    pdf="/api/v1/county-transfers/{id}/detail.pdf",
    tables=(Table("支付明细", "items", (APP_NO, NAME, UNIT, AMOUNT, Col("bank_holder", "户名"),
                                    Col("bank_name", "开户行"), Col("bank_number", "银行卡号"),
                                    Col("failure_reason", "失败原因"), STATUS),
                  id_key="application_id", detail="/portal/applications/{id}",
                  row_actions=(Act("登记追回", "/api/v1/disbursement-items/{id}/clawback", opinion="required",
                                   opinion_label="追回原因", opinion_field="reason", style="danger",
                                   when=("paid", "receipt_confirmed", "receipt_disputed"),
                                   confirm="登记追回后，该笔补助在对账中另列为追回，是否继续？"),)),
            Table("银行回盘导入记录", "bank_results",
                  (Col("filename", "文件名"), Col("imported_at", "导入时间", "datetime"), Col("paid", "支付成功"),
                   Col("failed", "支付失败"), Col("unchanged", "未变更"), Col("rejected", "未处理（有误）")))),
    actions=TRANSFER_ACTIONS + (
        Act("下载银行支付文件", "/api/v1/county-transfers/{id}/bank-file.xlsx", page=True, style="default",
            when=("received", "paid")),
        Act("导入银行回盘", "/portal/county-transfers/{id}/bank-result", page=True, style="default",
            when=("received", "paid")))))


def detail_for(role: str, path: str) -> Detail | None:
    return DETAILS.get((role, path))
