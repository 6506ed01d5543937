"""Employers: registration, changes, status and the lists of the bureau."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import func, insert, or_, select, update

from housing_fund.adapters.orm import (
    employer_changes,
    employer_rounds,
    employers,
)
from housing_fund.adapters.repository.common import View, _own_or_area, _page
from shared.db.repository import TableRepository
from shared.jobs import JobRepository as JobRepository  # the use cases' job reads, as every service's
from shared.pagination import narrowed


class EmployerRepository(TableRepository):
    table = employers

    def add(self, values: Mapping[str, Any]) -> None:
        self.session.execute(insert(employers).values(**values))

    def registered_as(self, uscc: str, org_code: str, *, except_id: str) -> bool:
        """Whether another employer holds the 统一社会信用代码 or its 组织机构代码."""
        return self.session.execute(select(employers.c.id).where(
            or_(employers.c.uscc == uscc, employers.c.org_code == org_code), employers.c.id != except_id)
        ).first() is not None

    def with_uscc(self, uscc: str) -> Any:
        """The employer holding the 统一社会信用代码, or None."""
        return self.session.execute(select(employers).where(employers.c.uscc == uscc)).mappings().first()

    def trade_code_taken(self, code: str) -> bool:
        return self.session.execute(select(employers.c.id).where(employers.c.trade_code == code)).first() is not None

    def registered_by(self, mobile: str) -> list[Any]:
        """The registrations with this contact mobile, newest first."""
        return list(self.session.execute(select(employers).where(
            employers.c.contact_mobile == mobile, employers.c.source == "registered")
            .order_by(employers.c.created_at.desc())).mappings())

    def top_trade_code(self) -> str | None:
        """The highest trade code given so far, under a lock held until the transaction ends (two
        officers approving at once would otherwise draw the same code)."""
        self.session.execute(select(func.pg_advisory_xact_lock(func.hashtext("housing_fund.trade_code"))))
        return self.session.execute(select(func.max(employers.c.trade_code))).scalar_one()

    def names(self, ids: Iterable[str]) -> dict[str, str]:
        wanted = set(ids)
        if not wanted:
            return {}
        return dict(self.session.execute(select(employers.c.id, employers.c.name)
                                         .where(employers.c.id.in_(wanted))).all())

    def change_pending(self, employer_id: str) -> bool:
        """Whether a 单位信息变更 of the employer waits for the bureau."""
        return self.session.execute(select(employer_changes.c.id).where(
            employer_changes.c.employer_id == employer_id, employer_changes.c.status == "pending")).first() is not None

    def add_change(self, values: Mapping[str, Any]) -> None:
        self.session.execute(insert(employer_changes).values(**values))

    def changes(self, employer_id: str) -> list[Any]:
        """The employer's 单位变更记录, newest first."""
        return list(self.session.execute(select(employer_changes).where(employer_changes.c.employer_id == employer_id)
                                         .order_by(employer_changes.c.submitted_at.desc())).mappings())

    def change(self, change_id: str, *, lock: bool = False) -> Any:
        stmt = select(employer_changes).where(employer_changes.c.id == change_id)
        return self.session.execute(stmt.with_for_update() if lock else stmt).mappings().first()

    def update_change(self, change_id: str, values: Mapping[str, Any]) -> None:
        self.session.execute(update(employer_changes).where(employer_changes.c.id == change_id).values(**values))

    def add_round(self, values: Mapping[str, Any]) -> None:
        self.session.execute(insert(employer_rounds).values(**values))

    def decide_round(self, employer_id: str, round_: int, values: Mapping[str, Any]) -> None:
        self.session.execute(update(employer_rounds).where(employer_rounds.c.employer_id == employer_id,
                                                           employer_rounds.c.round == round_).values(**values))

    def rounds(self, employer_id: str) -> list[Any]:
        return list(self.session.execute(select(employer_rounds).where(employer_rounds.c.employer_id == employer_id)
                                         .order_by(employer_rounds.c.round)).mappings())

    def page(self, area: list[str], filters: dict, page: Any, page_size: Any, view: View) -> dict:
        """Employers in ``area``, newest first; ``filters`` (checked) status, review_status, region and q
        (name, org code or trade code)."""
        stmt = narrowed(select(employers).where(employers.c.region.in_(area)), filters,
                        equal={"status": employers.c.status, "review_status": employers.c.review_status,
                               "region": employers.c.region},
                        search=(employers.c.name, employers.c.org_code, employers.c.trade_code))
        return _page(self.session, stmt.order_by(employers.c.created_at.desc(), employers.c.id), page, page_size,
                     view)

    def receiving_page(self, except_id: str, q: Any, page: Any, page_size: Any, view: View) -> dict:
        """Approved employers in status 正常 or 缓缴 other than ``except_id``, by name; ``q`` name or org code."""
        stmt = select(employers.c.id, employers.c.name, employers.c.org_code, employers.c.region,
                      employers.c.status).where(employers.c.review_status == "approved",
                                                employers.c.status.in_(("01", "03")), employers.c.id != except_id)
        stmt = narrowed(stmt, {"q": q}, search=(employers.c.name, employers.c.org_code))
        return _page(self.session, stmt.order_by(employers.c.name, employers.c.id), page, page_size, view)

    def changes_page(self, employer_id: str | None, area: list[str], filters: dict, page: Any, page_size: Any,
                     view: View) -> dict:
        """单位信息变更 with the employer's name, newest first: the employer's own or ``area``'s; ``status``."""
        stmt = select(employer_changes, employers.c.name.label("employer_name")).join(
            employers, employers.c.id == employer_changes.c.employer_id).where(
            _own_or_area(employer_changes.c.employer_id, employer_changes.c.region, employer_id, area))
        stmt = narrowed(stmt, filters, equal={"status": employer_changes.c.status})
        return _page(self.session, stmt.order_by(employer_changes.c.submitted_at.desc()), page, page_size, view)

    def pending_review_count(self, regions: Iterable[str]) -> int:
        """How many registrations in ``regions`` wait for the bureau's review."""
        return int(self.session.execute(select(func.count()).where(
            employers.c.region.in_(list(regions)), employers.c.review_status == "pending")).scalar_one())

    def pending_change_count(self, regions: Iterable[str]) -> int:
        """How many 单位信息变更 in ``regions`` wait for the bureau."""
        return int(self.session.execute(select(func.count()).where(
            employer_changes.c.region.in_(list(regions)), employer_changes.c.status == "pending")).scalar_one())
