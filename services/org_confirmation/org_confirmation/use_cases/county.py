"""Stage 8: the county organisation department confirms or returns applications."""
from __future__ import annotations

from typing import Any

from org_confirmation import views
from org_confirmation.adapters.repository import CaseRepository
from org_confirmation.domain.cases import advance, check_application_ids, check_opinion
from org_confirmation.use_cases.common import cases_for_decision, emit_case, load_case, move
from shared.service import Tx


def county_confirm(tx: Tx, application_ids: Any, opinion: Any = None) -> dict:
    """县区组织部确认 the ticked applications (all or none): pending_county_org -> county_org_confirmed."""
    ids = check_application_ids(application_ids)
    opinion = check_opinion(opinion, required=False)
    rows = cases_for_decision(tx, ids)
    moves = [(row, advance(row, "county_confirm")) for row in rows]
    for row, status in moves:
        move(tx, row, status, "county_confirm", opinion=opinion)
        emit_case(tx, "application.county_org_confirmed", row, status, opinion=opinion)
    by_id = {r["application_id"]: r for r in tx.repository(CaseRepository).shown(ids)}
    return {"count": len(ids), "items": [views.case(by_id[i]) for i in ids]}


def county_return(tx: Tx, application_id: str, opinion: Any) -> dict:
    """县区组织部退回 one application with an opinion: it goes back to the county HRSS review (stage 4)."""
    opinion = check_opinion(opinion, required=True)
    [row] = cases_for_decision(tx, [str(application_id)])
    status = advance(row, "county_return")
    move(tx, row, status, "county_return", opinion=opinion)
    emit_case(tx, "application.county_org_returned", row, status, opinion=opinion)
    return views.case(load_case(tx, row["application_id"]))
