"""Stages 9-10: the city HRSS aggregates confirmed applications into a city batch; the city
organisation department confirms the batch (to city finance) or returns it."""
from __future__ import annotations

import uuid
from typing import Any

from org_confirmation import views
from org_confirmation.adapters.repository import BatchRepository, CaseRepository
from org_confirmation.domain import batches as batch_rules
from org_confirmation.domain.cases import CITY_AGGREGATED, advance, check_application_ids, check_opinion
from org_confirmation.use_cases.common import (
    batch_event_data,
    batch_with_cases,
    cases_for_decision,
    emit_case,
    load_batch,
    move,
)
from shared.clock import to_local
from shared.service import Tx


def _next_batch_no(tx: Tx, city: str) -> str:
    """The next ``HZ<city>-<local date>-NN`` of the city."""
    day = to_local(tx.now).date()
    existing = tx.repository(BatchRepository).numbers_starting(batch_rules.batch_no_prefix(city, day))
    return batch_rules.batch_no(city, day, batch_rules.next_seq(existing, city, day))


def aggregate(tx: Tx, application_ids: Any) -> dict:
    """市人社局汇总: the ticked county-confirmed applications of the city form one city batch with
    totals per county; each application moves to city_aggregated."""
    ids = check_application_ids(application_ids)
    rows = cases_for_decision(tx, ids)
    moves = [(row, advance(row, "aggregate")) for row in rows]
    totals = batch_rules.totals((row["county"], row["amount_fen"]) for row in rows)
    city = tx.principal.region or ""
    batch = tx.repository(BatchRepository).add({
        "id": str(uuid.uuid4()), "batch_no": _next_batch_no(tx, city), "city": city, "count": totals.count,
        "amount_fen": totals.amount_fen, "counties": [c.as_dict() for c in totals.counties], "application_ids": ids,
        "status": batch_rules.AGGREGATED, "created_by": tx.principal.account_id,
        "created_by_name": tx.principal.name, "created_at": tx.now})
    for row, status in moves:
        move(tx, row, status, "aggregate", city_batch_id=batch["id"])
        emit_case(tx, "application.city_aggregated", row, status, batch_id=batch["id"])
    tx.emit("city_batch.aggregated", subject=batch["id"], region=city,
            data={**batch_event_data(batch), "application_ids": ids})
    tx.audit("city_batch.aggregate", "city_batch", batch["id"], after=views.batch(batch), region=city)
    return batch_with_cases(tx, batch)


def _batch_decision(tx: Tx, batch_id: str, action: str) -> tuple[Any, str, list]:
    """Lock the batch and its cases and check that ``action`` is allowed for all of them."""
    batch = load_batch(tx, batch_id, lock=True)
    status = batch_rules.advance(batch, action)
    rows = tx.repository(CaseRepository).locked_in_batch(batch["id"], CITY_AGGREGATED)
    return batch, status, [(row, advance(row, action)) for row in rows]


def _decide_batch(tx: Tx, batch: Any, status: str, opinion: str | None) -> Any:
    values = {"status": status, "opinion": opinion, "decided_by": tx.principal.account_id,
              "decided_by_name": tx.principal.name, "decided_at": tx.now}
    tx.repository(BatchRepository).update(batch["id"], values)
    tx.audit(f"city_batch.{status}", "city_batch", batch["id"], before={"status": batch["status"]},
             after={"status": status, "opinion": opinion}, region=batch["city"])
    return {**batch, **values}


def city_confirm(tx: Tx, batch_id: str, opinion: Any = None) -> dict:
    """市组织部确认 a batch: its applications go to city finance (each with its snapshot first, so
    finance has them all when ``city_batch.confirmed`` tells it the batch is complete)."""
    opinion = check_opinion(opinion, required=False)
    batch, status, moves = _batch_decision(tx, batch_id, "city_confirm")
    for row, case_status in moves:
        move(tx, row, case_status, "city_confirm", opinion=opinion)
        emit_case(tx, "application.city_org_confirmed", row, case_status, batch_id=batch["id"],
                  snapshot=row["snapshot"], opinion=opinion)
    decided = _decide_batch(tx, batch, status, opinion)
    tx.emit("city_batch.confirmed", subject=batch["id"], region=batch["city"],
            data={**batch_event_data(batch), "opinion": opinion})
    return batch_with_cases(tx, decided)


def city_return(tx: Tx, batch_id: str, opinion: Any) -> dict:
    """市组织部退回 a batch with an opinion: every application in it goes back to stage 4."""
    opinion = check_opinion(opinion, required=True)
    batch, status, moves = _batch_decision(tx, batch_id, "city_return")
    for row, case_status in moves:
        move(tx, row, case_status, "city_return", opinion=opinion)
        emit_case(tx, "application.city_org_returned", row, case_status, batch_id=batch["id"], opinion=opinion)
    decided = _decide_batch(tx, batch, status, opinion)
    tx.emit("city_batch.returned", subject=batch["id"], region=batch["city"],
            data={**batch_event_data(batch), "opinion": opinion})
    return batch_with_cases(tx, decided)


def city_return_application(tx: Tx, batch_id: str, application_id: Any, opinion: Any) -> dict:
    """市组织部退回 one application of a batch with an opinion: it goes back to the county HRSS review
    (stage 4, like a whole-batch return) and the rest of the batch stays for confirmation, its totals
    now without the returned one, so city finance is never told of it. Returning the last one left
    returns the batch."""
    opinion = check_opinion(opinion, required=True)
    batch = load_batch(tx, batch_id, lock=True)
    batch_rules.advance(batch, "return_application")
    rows = tx.repository(CaseRepository).locked_in_batch(batch["id"], CITY_AGGREGATED)
    wanted = str(application_id).strip().lower()
    row = next((r for r in rows if r["application_id"] == wanted), None)
    if row is None:
        case = tx.repository(CaseRepository).get(wanted) if wanted in batch["application_ids"] else None
        if case is not None and case["city_batch_id"] == batch["id"]:
            advance(case, "city_return")   # 409 naming its status: already returned from this batch
        raise batch_rules.not_a_member(batch, wanted)
    case_status = advance(row, "city_return")
    move(tx, row, case_status, "city_return", opinion=opinion)
    emit_case(tx, "application.city_org_returned", row, case_status, batch_id=batch["id"], opinion=opinion)
    remaining = [r for r in rows if r["application_id"] != wanted]
    if not remaining:
        decided = _decide_batch(tx, batch, batch_rules.advance(batch, "city_return"), opinion)
        tx.emit("city_batch.returned", subject=batch["id"], region=batch["city"],
                data={**batch_event_data(batch), "opinion": opinion})
        return batch_with_cases(tx, decided)
    totals = batch_rules.totals((r["county"], r["amount_fen"]) for r in remaining)
    values = {"count": totals.count, "amount_fen": totals.amount_fen,
              "counties": [c.as_dict() for c in totals.counties]}
    tx.repository(BatchRepository).update(batch["id"], values)
    tx.audit("city_batch.application_returned", "city_batch", batch["id"], region=batch["city"],
             before={"count": batch["count"], "amount_fen": batch["amount_fen"]},
             after={**values, "application_id": wanted, "opinion": opinion})
    return batch_with_cases(tx, {**batch, **values})
