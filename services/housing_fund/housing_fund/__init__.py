"""housing_fund: line B, housing-subsidy remittance (住房补贴汇缴) of employers and their employees."""
