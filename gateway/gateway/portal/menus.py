"""The side menu of each role, grouped as in the manuals (业务办理, 查询统计, 信息维护). The function
search box of the top bar searches these labels."""
from __future__ import annotations

from typing import NamedTuple


class Item(NamedTuple):
    label: str
    href: str


class Group(NamedTuple):
    label: str
    items: tuple[Item, ...]


HOME = Group("首页", (Item("首页", "/portal/"), Item("公示名单", "/gongshi")))

MENUS: dict[str, tuple[Group, ...]] = {
    "individual": (
        Group("业务办理", (Item("个人注册", "/portal/register/individual"),
                       Item("补助申请", "/portal/applications/new"),
                       Item("我的申请", "/portal/applications"),
                       Item("补助拨付确认", "/portal/payments"))),
    ),
    "unit_admin": (
        Group("业务办理", (Item("个人注册审核", "/portal/individuals?status=pending"),
                       Item("个人补助申请审核", "/portal/applications?status=pending_unit_review"),
                       Item("个人补助申请上报", "/portal/applications?status=pending_report"))),
        Group("查询统计", (Item("补助申报查询统计", "/portal/applications"),
                       Item("个人注册查询", "/portal/individuals"),
                       Item("资金拨付查询统计", "/portal/disbursement-statistics"))),
        Group("信息维护", (Item("单位信息管理", "/portal/unit"),
                       Item("账号管理", "/portal/accounts"),
                       Item("新增经办人账号", "/portal/accounts/new"))),
    ),
    "county_hrss": (
        Group("业务办理", (Item("单位注册审核", "/portal/units?status=pending"),
                       Item("单位信息变更审核", "/portal/unit-changes?status=pending"),
                       Item("补助申请审核", "/portal/applications?status=pending_county_review"),
                       Item("待公示", "/portal/publicity-cases?status=awaiting_publicity"),
                       Item("公示批次", "/portal/publicity-batches"),
                       Item("公示异议处理", "/portal/objections?status=pending"),
                       Item("评审", "/portal/assessments?status=publicity_passed"),
                       Item("上报县组织部", "/portal/assessments?status=assessment_passed"))),
        Group("查询统计", (Item("补助申请查询", "/portal/applications"),
                       Item("个人注册查询", "/portal/individuals"),
                       Item("单位查询", "/portal/units"))),
    ),
    "county_org": (
        Group("业务办理", (Item("县组织部确认", "/portal/org-reviews?status=pending_county_org"),)),
        Group("查询统计", (Item("确认记录查询", "/portal/org-reviews"),
                       Item("补助申请查询", "/portal/applications"))),
    ),
    "city_hrss": (
        Group("业务办理", (Item("待汇总申请", "/portal/org-reviews?status=county_org_confirmed"),
                       Item("市级汇总批次", "/portal/city-batches"))),
        Group("查询统计", (Item("补助申请查询", "/portal/applications"),
                       Item("环节用时统计", "/portal/stage-times"),
                       Item("各环节办理时限", "/portal/stage-limits"))),
    ),
    "city_org": (
        Group("业务办理", (Item("汇总批次确认", "/portal/city-batches?status=aggregated"),)),
        Group("查询统计", (Item("汇总批次查询", "/portal/city-batches"),
                       Item("补助申请查询", "/portal/applications"))),
    ),
    "city_finance": (
        Group("业务办理", (Item("待拨付批次", "/portal/disbursement-batches?status=ready"),)),
        Group("查询统计", (Item("拨付批次查询", "/portal/disbursement-batches"),
                       Item("资金对账", "/portal/disbursement-reconciliation"),
                       Item("追回记录", "/portal/clawbacks"),
                       Item("资金拨付查询统计", "/portal/disbursement-statistics"))),
    ),
    "county_finance": (
        Group("业务办理", (Item("待确认到账", "/portal/county-transfers?status=released"),
                       Item("待拨付至个人", "/portal/county-transfers?status=received"),
                       Item("支付失败处理", "/portal/failed-payments"),
                       Item("追回管理", "/portal/clawbacks"))),
        Group("查询统计", (Item("拨付单查询", "/portal/county-transfers"),
                       Item("资金对账", "/portal/disbursement-reconciliation"),
                       Item("资金拨付查询统计", "/portal/disbursement-statistics"))),
    ),
    "housing_bureau": (
        Group("业务办理", (Item("单位注册审核", "/portal/employers?review_status=pending"),
                       Item("单位信息变更审核", "/portal/employer-changes?status=pending"),
                       Item("职工信息变更审核", "/portal/employee-changes?status=pending"),
                       Item("单位迁移导入", "/portal/housing/migration"),
                       Item("汇缴审核", "/portal/remittances?status=pending"),
                       Item("缴款历史补录审核", "/portal/backfills?status=pending"),
                       Item("支取审核", "/portal/withdrawals?status=pending"))),
        Group("住房基金管理", (Item("汇缴单位", "/portal/employers"),
                         Item("到账匹配", "/portal/housing/reconcile"),
                         Item("原路退回清单", "/portal/bank-lines?status=returned"),
                         Item("支取待支付清单", "/portal/withdrawals?status=approved"),
                         Item("级别标准", "/portal/housing/levels"))),
    ),
    # line B, seed 004's menu of the employer (基本信息, 业务办理, 住房基金管理, 设置)
    "employer": (
        Group("基本信息", (Item("单位信息", "/portal/housing/employer"),
                       Item("职工管理", "/portal/employees"))),
        Group("业务办理", (Item("员工初始化", "/portal/housing/initialise"),
                       Item("单位信息变更", "/portal/employer-changes"),
                       Item("职工开户", "/portal/housing/employees/new"),
                       Item("职工批量导入", "/portal/housing/import"),
                       Item("职工信息变更", "/portal/employee-changes"),
                       Item("批量封存", "/portal/housing/sealing"),
                       Item("批量启封", "/portal/housing/sealing?action=unseal"),
                       Item("员工转入/转出", "/portal/transfers"),
                       Item("汇缴申请", "/portal/remittances"),
                       Item("缴费通知", "/portal/payment-notices"),
                       Item("缴款历史补录", "/portal/backfills"))),
        Group("住房基金管理", (Item("职工缴存明细", "/portal/employees?status=01"),
                         Item("级别标准", "/portal/housing/levels"),
                         Item("支取申请", "/portal/withdrawals"))),
        Group("设置", (Item("修改密码", "/portal/account"),)),
    ),
    "employee": (
        Group("住房补贴", (Item("我的住房补贴账户", "/portal/housing/me"),)),
        Group("设置", (Item("修改密码", "/portal/account"),)),
    ),
    "sys_admin": (
        Group("系统管理", (Item("账号管理", "/portal/accounts"),
                       Item("新建账号", "/portal/accounts/new"),
                       Item("补贴标准设置", "/portal/policies"),
                       Item("节假日安排", "/portal/calendar"),
                       Item("各环节办理时限", "/portal/stage-limits"))),
    ),
}


#: a unit whose registration is not approved yet sees its status and nothing of line A's business
PENDING_UNIT: tuple[Group, ...] = (Group("单位注册", (Item("注册审核状态", "/portal/unit"),)),)


def menu_for(role: str, unit_status: str | None = None) -> tuple[Group, ...]:
    """The role's menu, the home group first; a unit clerk's depends on the unit's review status."""
    if role == "unit_admin" and unit_status not in (None, "approved"):
        return (HOME,) + PENDING_UNIT
    return (HOME,) + MENUS.get(role, ())
