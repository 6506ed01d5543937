"""站内消息: stage events that concern a person become messages to their account (and SMS by policy)."""
from __future__ import annotations

from nameko.timer import timer

from identity import notifications
from identity.entrypoints.dependencies import Sms
from shared.service import PlatformApi, Tx, command, query, rpc, subscribe


class MessageRpcs:
    """Mixin of :class:`IdentityService`: messages and their SMS."""

    platform: PlatformApi  # the service class's ``platform = Platform()``
    sms: Sms

    # -- 站内消息: stage events that concern a person become messages to their account -------------
    @rpc
    @query()
    def my_messages(self, tx: Tx, unread_only: bool = False, page: int = 1, page_size: int = 20) -> dict:
        return notifications.my_messages(tx, bool(unread_only), page, page_size)

    @rpc
    @command()
    def mark_message_read(self, tx: Tx, message_id: str | None = None) -> dict:
        return notifications.mark_read(tx, message_id)

    @timer(interval=2)
    def deliver_message_sms(self):
        """SMS of messages whose kind the policy sends by SMS, delivered after their commit."""
        sender = self.sms.sender(self.platform.engine, self.platform.clock)
        if sender.name != "disabled":
            notifications.deliver_pending(self.platform.engine, sender, self.platform.clock, self.sms.sign)

    @timer(interval=10)
    def sweep_stuck_message_sms(self):
        """Message SMS stuck in "sending" (a crashed sender) past the policy's interval: sent again, at
        most ``notify_sms_max_attempts`` times, then "failed" with the reason."""
        notifications.sweep_stuck_sms(self.platform.engine, self.platform.clock)

    @subscribe("application.submitted")
    def on_application_submitted(self, tx: Tx, event):
        notifications.remember_owner(tx, event)

    @subscribe("application.resubmitted")
    def on_application_resubmitted(self, tx: Tx, event):
        notifications.remember_owner(tx, event)

    @subscribe("application.unit_returned")
    def on_application_unit_returned(self, tx: Tx, event):
        notifications.on_application_event(tx, event)

    @subscribe("application.county_returned")
    def on_application_county_returned(self, tx: Tx, event):
        notifications.on_application_event(tx, event)

    @subscribe("application.county_approved")
    def on_application_county_approved(self, tx: Tx, event):
        notifications.on_application_event(tx, event)

    @subscribe("application.paid")
    def on_application_paid(self, tx: Tx, event):
        notifications.on_application_event(tx, event)

    @subscribe("individual.returned")
    def on_individual_returned(self, tx: Tx, event):
        notifications.on_registration_event(tx, event)

    @subscribe("individual.approved")
    def on_individual_approved(self, tx: Tx, event):
        notifications.on_registration_event(tx, event)

    @subscribe("remittance.reminder_due")
    def on_remittance_reminder_due(self, tx: Tx, event):
        notifications.on_remittance_reminder(tx, event)
