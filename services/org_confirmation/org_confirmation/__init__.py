"""org_confirmation: stages 8-10 of the graduate rental subsidy: the county organisation department
confirms (县区组织部确认), the city HRSS aggregates (市人社局汇总), the city organisation department
confirms the aggregate and notifies city finance (市组织部确认，通知市财政局)."""
