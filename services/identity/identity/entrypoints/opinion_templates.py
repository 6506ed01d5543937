"""常用审核意见: the caller's own saved opinions (the rules in identity/opinion_templates.py)."""
from __future__ import annotations

from identity import opinion_templates
from shared.service import Tx, command, query, rpc

OFFICERS = opinion_templates.OFFICERS


class OpinionTemplateRpcs:
    """Mixin of :class:`IdentityService`: an officer's saved opinions (own only)."""

    @rpc
    @query(roles=OFFICERS)
    def list_opinion_templates(self, tx: Tx, kind: str | None = None) -> dict:
        return opinion_templates.list_templates(tx, kind)

    @rpc
    @command(roles=OFFICERS)
    def create_opinion_template(self, tx: Tx, data: dict) -> dict:
        return opinion_templates.create_template(tx, data)

    @rpc
    @command(roles=OFFICERS)
    def update_opinion_template(self, tx: Tx, template_id: str, data: dict) -> dict:
        return opinion_templates.update_template(tx, template_id, data)

    @rpc
    @command(roles=OFFICERS)
    def delete_opinion_template(self, tx: Tx, template_id: str) -> dict:
        return opinion_templates.delete_template(tx, template_id)
