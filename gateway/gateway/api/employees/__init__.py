"""/api/v1 line B employees (housing_fund): 职工管理, 职工开户, 职工批量导入, 职工信息初始化, 职工信息变更,
批量封存/启封, 员工转入/转出, and the employee's own account.

One module per screen group registers its routes on the one blueprint ``bp``; this package is their
single entry."""
# the routes are registered in the order of the OpenAPI document (roster, changes, transfers)
# isort: off
from gateway.api.employees.common import MAX_UPLOAD, SERVICE, XLSX, bp, form_attachments, uploaded_file, xlsx_response
from gateway.api.employees import roster  # noqa: F401
from gateway.api.employees import changes  # noqa: F401
from gateway.api.employees import transfers  # noqa: F401
# isort: on

__all__ = ["MAX_UPLOAD", "SERVICE", "XLSX", "bp", "form_attachments", "uploaded_file", "xlsx_response"]
