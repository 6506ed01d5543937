"""Individuals (个人): registration, its review by the unit, the bank account."""
from gateway.api.registry.common import SERVICE, bp
from gateway.api.registry.individual_schemas import BankAccount, Individual, IndividualFilter, IndividualRegistration
from gateway.api.registry.review import ApproveArgs, BulkApproveArgs, BulkApproveResult, ReturnArgs
from gateway.api.schemas import list_args, page_of
from gateway.context import authorised_as, call


# -- individuals -----------------------------------------------------------------------------------
@bp.route("/individuals", methods=["POST"])
@bp.arguments(IndividualRegistration)
@bp.response(201, Individual)
@authorised_as(SERVICE, "register_individual")
def register_individual(args):
    """个人注册：提交个人信息与银行账户，待单位审核"""
    return call(SERVICE, "register_individual", args)


@bp.route("/individuals/mine", methods=["GET"])
@bp.response(200, Individual)
@authorised_as(SERVICE, "my_registration")
def my_registration():
    """我的注册信息及审核状态"""
    return call(SERVICE, "my_registration")


@bp.route("/individuals/mine/resubmit", methods=["POST"])
@bp.arguments(IndividualRegistration)
@bp.response(200, Individual)
@authorised_as(SERVICE, "resubmit_individual")
def resubmit_individual(args):
    """修改被退回的注册信息并重新提交"""
    return call(SERVICE, "resubmit_individual", args)


@bp.route("/individuals/mine/bank-account", methods=["PUT"])
@bp.arguments(BankAccount)
@bp.response(200, Individual)
@authorised_as(SERVICE, "change_bank_account")
def change_bank_account(args):
    """修改银行账户（注册审核通过后）：户名须为本人；支付失败的补助由县财政局按更正后的账户重新支付"""
    return call(SERVICE, "change_bank_account", args)


@bp.route("/individuals", methods=["GET"])
@bp.arguments(IndividualFilter, location="query")
@bp.response(200, page_of(Individual))
@authorised_as(SERVICE, "list_individuals")
def list_individuals(args):
    """个人注册列表（单位经办人：本单位；县区人社局：本县区），证件号码与手机号码脱敏"""
    return call(SERVICE, "list_individuals", *list_args(args))


@bp.route("/individuals/bulk-approve", methods=["POST"])
@bp.arguments(BulkApproveArgs)
@bp.response(200, BulkApproveResult)
@authorised_as(SERVICE, "approve_all_individuals")
def approve_all_individuals(args):
    """一键审核通过：本单位全部待审核（或勾选）的个人注册"""
    return call(SERVICE, "approve_all_individuals", args.get("individual_ids"))


@bp.route("/individuals/<individual_id>", methods=["GET"])
@bp.response(200, Individual)
@authorised_as(SERVICE, "get_individual")
def get_individual(individual_id):
    """个人注册详情（完整证件号码与银行账户；查看留痕）"""
    return call(SERVICE, "get_individual", individual_id)


@bp.route("/individuals/<individual_id>/approve", methods=["POST"])
@bp.arguments(ApproveArgs)
@bp.response(200, Individual)
@authorised_as(SERVICE, "approve_individual")
def approve_individual(args, individual_id):
    """审核通过"""
    return call(SERVICE, "approve_individual", individual_id, args.get("opinion"))


@bp.route("/individuals/<individual_id>/return", methods=["POST"])
@bp.arguments(ReturnArgs)
@bp.response(200, Individual)
@authorised_as(SERVICE, "return_individual")
def return_individual(args, individual_id):
    """退回修改（须填写审核意见）"""
    return call(SERVICE, "return_individual", individual_id, args["opinion"])
