"""The individual's screens (the applicant)."""
from __future__ import annotations

from gateway.portal.screens.common import AMOUNT, DEGREE, MONTHS, STATUS
from gateway.portal.screens.labels import APPLICATION_LABELS
from gateway.portal.screens.model import Act, Col, Screen
from gateway.portal.screens.registry import _add
from shared.contracts.finance_disbursement import PAYMENT_LABELS

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
