"""Records of line B's attachments (the bytes are the gateway's store)."""

from housing_fund.adapters.orm.base import metadata
from shared import attachment_records

# Records of line B's attachments (the bytes are the gateway's store): linked to an employer, a change
# request, an employee, an employee change or a transfer, and readable like it.
attachments = attachment_records.table(metadata)
