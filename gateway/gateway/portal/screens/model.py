"""A screen as data: its columns (Col), actions (Act), filters (Filter) and the screen itself (Screen)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Col:
    """A column: ``key`` in the item (dotted for nested), how to show it (text, money, date,
    datetime, status), whether the search box matches it (highlighted) and whether it links to the
    row's detail page."""

    key: str
    label: str
    kind: str = "text"
    search: bool = False
    link: bool = False


@dataclass(frozen=True)
class Act:
    """A button. ``url``: the REST command (``{id}`` = the row's id) or, with ``page=True``, a portal
    page. ``opinion``: ``""`` (none), ``"optional"`` or ``"required"`` (the opinion dialog). ``batch``:
    the body key of the ticked ids (a batch action); ``body``: more of the body, where ``"{id}"`` is the
    row's id (``{batch}`` in ``url`` is the record's id on a detail page). ``when``: the statuses it
    applies to (the row's, or for a batch action the status filter's). ``all_when_none``: a batch
    action that, with nothing ticked, acts on every pending record (一键审核通过). ``job``: the answer
    is a job to follow. ``hide_if``: a row key that, when true, hides the action."""

    label: str
    url: str
    opinion: str = ""
    batch: str = ""
    when: tuple[str, ...] = ()
    confirm: str = ""
    style: str = "primary"
    job: bool = False
    page: bool = False
    all_when_none: bool = False
    body: dict = field(default_factory=dict)
    next: str = ""
    hide_if: str = ""
    opinion_label: str = "审核意见"
    #: the body key of the typed text (default ``opinion``, e.g. ``reason``)
    opinion_field: str = ""

    def applies(self, status: str | None, row: dict | None = None) -> bool:
        """Whether the action is offered for ``status`` (and ``row``, whose ``hide_if`` key may rule it out)."""
        if row is not None and self.hide_if and row.get(self.hide_if):
            return False
        return not self.when or status in self.when


@dataclass(frozen=True)
class Filter:
    """An extra select filter besides status and the search box."""

    name: str
    label: str
    options: dict[str, str]


@dataclass(frozen=True)
class Screen:
    path: str
    title: str
    service: str
    method: str
    columns: tuple[Col, ...]
    statuses: dict[str, str] = field(default_factory=dict)
    default_status: str = ""
    titles: dict[str, str] = field(default_factory=dict)
    search: str = ""
    filters: tuple[Filter, ...] = ()
    row_actions: tuple[Act, ...] = ()
    batch_actions: tuple[Act, ...] = ()
    id_key: str = "id"
    detail: str = ""
    new: tuple[str, str] | None = None
    empty: str = "暂无记录"
    #: the title of a kept list of ticked rows (across pages, per status filter) that the batch actions
    #: send, e.g. 待变更列表 of 批量封存/启封; empty: the batch actions send the page's ticked rows
    pending_list: str = ""

    def keeps_ticks(self, status: str | None) -> bool:
        """Whether the list shows its kept list (``pending_list``): a status filter a batch action serves."""
        return bool(self.pending_list and status and any(a.when and a.applies(status) for a in self.batch_actions))

    def title_for(self, status: str) -> str:
        return self.titles.get(status, self.title)

    def href(self, item: dict) -> str:
        return self.detail.format(id=item.get(self.id_key)) if self.detail else ""
