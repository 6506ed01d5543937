"""housing_fund's RPCs of 汇缴申请 (with the monthly reminder) and 缴费通知."""
from __future__ import annotations

import os

from nameko.timer import timer
from sqlalchemy.orm import Session

from housing_fund.entrypoints.roles import BUREAU, EMPLOYER
from housing_fund.use_cases import payment_notices, remittances
from shared.auth.principal import Principal
from shared.service import PlatformApi, Tx, command, query, rpc


class RemittanceRpcs:
    """Mixin of :class:`HousingFundService`: remittances and payment notices."""

    platform: PlatformApi  # the service class's ``platform = Platform()``

    # -- 汇缴申请 (remittance and back-payment) ------------------------------------------------------
    @rpc
    @query(roles=EMPLOYER)
    def remittance_roster(self, tx: Tx, month: str, mode: str = "remit") -> dict:
        """The active roster with the amount to remit in ``month`` (指定汇缴 copied forward)."""
        return remittances.roster(tx, month, mode)

    @rpc
    @command(roles=EMPLOYER)
    def submit_remittance(self, tx: Tx, data: dict) -> dict:
        """新增汇缴申请 (mode remit) or 补缴 (mode back_pay, monthly or lump_sum)."""
        return remittances.submit(tx, data)

    @rpc
    @command(roles=EMPLOYER)
    def resubmit_remittance(self, tx: Tx, remittance_id: str, data: dict) -> dict:
        """A returned remittance corrected and submitted again (round + 1, every round kept)."""
        return remittances.resubmit(tx, remittance_id, data)

    @rpc
    @query(roles=BUREAU + EMPLOYER)
    def list_remittances(self, tx: Tx, filters: dict | None = None, page: int = 1, page_size: int = 20) -> dict:
        return remittances.list_(tx, filters or {}, page, page_size)

    @rpc
    @query(roles=BUREAU + EMPLOYER)
    def get_remittance(self, tx: Tx, remittance_id: str) -> dict:
        return remittances.get(tx, remittance_id)

    @rpc
    @command(roles=BUREAU)
    def approve_remittance(self, tx: Tx, remittance_id: str, opinion: str | None = None) -> dict:
        """The bureau approves: a payment notice with its payment code is issued."""
        return remittances.approve(tx, remittance_id, opinion)

    @rpc
    @command(roles=BUREAU)
    def return_remittance(self, tx: Tx, remittance_id: str, opinion: str | None = None) -> dict:
        return remittances.return_(tx, remittance_id, opinion)

    @rpc
    @command(roles=BUREAU)
    def send_remittance_reminders(self, tx: Tx, month: str | None = None) -> dict:
        """The monthly reminder now (the timer sends it on its own from the reminder day on)."""
        return {"sent": remittances.send_reminders(tx, month)}

    @timer(interval=float(os.environ.get("REMIT_REMINDER_INTERVAL_SECONDS", "3600")))
    def remind_employers(self) -> None:
        """From the reminder day of each month (REMIT_REMINDER_DAY, default 20) employers that have not
        remitted get one reminder per month."""
        provider = self.platform.provider
        day = int(provider.container.config.get("REMIT_REMINDER_DAY") or 20)
        with Session(provider.engine, expire_on_commit=False) as session:
            with session.begin():
                tx = provider.new_tx(session, Principal.system(provider.service_name), correlation_id="timer:remind")
                if tx.now.astimezone(remittances.SHANGHAI).day < day:
                    return
                remittances.send_reminders(tx)
        provider.after_commit(tx)

    # -- 缴费通知 (payment notices) -----------------------------------------------------------------
    @rpc
    @query(roles=BUREAU + EMPLOYER)
    def list_payment_notices(self, tx: Tx, filters: dict | None = None, page: int = 1, page_size: int = 20) -> dict:
        return payment_notices.list_notices(tx, filters or {}, page, page_size)

    @rpc
    @query(roles=BUREAU + EMPLOYER)
    def get_payment_notice(self, tx: Tx, remittance_id: str) -> dict:
        return payment_notices.get_notice(tx, remittance_id)

    @rpc
    @query(roles=BUREAU + EMPLOYER)
    def get_payment_receipt(self, tx: Tx, remittance_id: str) -> dict:
        """缴款凭证 of a paid notice (the gateway prints it as PDF); 409 before the money arrived."""
        return payment_notices.get_receipt(tx, remittance_id)

    @rpc
    @query(public=True)
    def verify_remittance(self, tx: Tx, remittance_id: str) -> dict:
        """扫码核验 of a printed 缴款通知书 / 缴款凭证: payment code, status, count, amount; nothing else."""
        return payment_notices.verify_remittance(tx, remittance_id)

    @rpc
    @command(roles=BUREAU)
    def set_receiving_account(self, tx: Tx, data: dict) -> dict:
        return payment_notices.set_receiving_account(tx, data)

    @rpc
    @query(roles=BUREAU)
    def get_receiving_account(self, tx: Tx) -> dict:
        return payment_notices.get_receiving_account(tx)
