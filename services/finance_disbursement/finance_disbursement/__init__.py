"""finance_disbursement: stages 11-13 of line A (city release, county payment, receipt), exactly-once money."""
