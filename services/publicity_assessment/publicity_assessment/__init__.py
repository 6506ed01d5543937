"""publicity_assessment: stages 5-7 of a graduate rental-subsidy application, run by the county HRSS:
publicity with objections (公示, 异议), assessment (评审) and the report to the county organisation
department (上报县组织部)."""
