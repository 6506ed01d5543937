"""``@subscribe``'s entrypoint: the messages waiting in a queue go to one worker together (issue 15).

nameko spawns a worker per message, so a ticked batch's hundred events were a hundred transactions,
ten at a time. :class:`GroupedEventSubscriber` collects the messages delivered while its previous
worker was being spawned and hands them to one worker as an :class:`~shared.event_group.EventGroup`
(at most ``EVENT_GROUP_MAX``; a lone message goes alone, exactly as before), which handles them in one
transaction (``shared/event_group.py``). Each message is then settled on its own - acked, or moved to
its retry or dead-letter queue - after the commit, as :class:`EventSubscriber` settles one.

Its consumer (:class:`EventQueueConsumer`) has a connection of its own and a prefetch of
``EVENT_PREFETCH`` per queue (default 50) rather than nameko's ``max_workers`` (10), so that a queue's
hundred events can be in the process at once and several groups of one queue can run side by side.
RPC requests keep nameko's consumer and prefetch.
"""
from __future__ import annotations

import logging
import os
from functools import partial
from typing import Any

from nameko.exceptions import ContainerBeingKilled
from nameko.messaging import QueueConsumer

from shared.event_group import EventGroup
from shared.messaging.subscriber import EventSubscriber

log = logging.getLogger(__name__)

DEFAULT_PREFETCH = 50
DEFAULT_GROUP_MAX = 25


def _setting(config: dict[str, Any], name: str, default: int) -> int:
    value = config.get(name) or os.environ.get(name)
    return max(1, int(value)) if value else default


class EventQueueConsumer(QueueConsumer):
    """nameko's QueueConsumer for the event subscribers: its own connection, a larger prefetch."""

    @property
    def prefetch_count(self) -> int:
        return max(int(self.container.max_workers), _setting(self.container.config, "EVENT_PREFETCH", DEFAULT_PREFETCH))


class GroupedEventSubscriber(EventSubscriber):
    queue_consumer = EventQueueConsumer()

    def __init__(self, event_type: str, **kwargs: Any) -> None:
        super().__init__(event_type, **kwargs)
        self._waiting: list[tuple[Any, Any]] = []
        self._flushing = False
        self.group_max = DEFAULT_GROUP_MAX

    def setup(self) -> None:
        self.group_max = _setting(self.container.config, "EVENT_GROUP_MAX", DEFAULT_GROUP_MAX)  # a bad value fails here
        super().setup()

    def handle_message(self, body: Any, message: Any) -> None:
        """Called once per message (nameko's consumer thread spawns a thread for each); the first of a
        burst starts the flusher, which runs after the burst's others have queued theirs."""
        self._waiting.append((body, message))
        if not self._flushing:
            self._flushing = True
            self.container.spawn_managed_thread(self._flush, identifier=f"flush[{self.queue_name}]")

    def _flush(self) -> None:
        limit = self.group_max
        try:
            while self._waiting:
                group, self._waiting = self._waiting[:limit], self._waiting[limit:]
                # blocks while every worker is busy: meanwhile the next group fills up
                self._spawn(group)
        finally:
            self._flushing = False

    def _spawn(self, group: list[tuple[Any, Any]]) -> None:
        messages = [message for _, message in group]
        body = group[0][0] if len(group) == 1 else EventGroup(body for body, _ in group)
        try:
            self.container.spawn_worker(self, (body,), {}, context_data={},
                                        handle_result=partial(self.handle_group_result, messages))
        except ContainerBeingKilled:
            for message in messages:
                try:
                    self.queue_consumer.requeue_message(message)
                except Exception:  # noqa: BLE001 - the connection went: the broker requeues it anyway
                    log.debug("requeue failed", exc_info=True)

    def handle_group_result(self, messages: list[Any], worker_ctx: Any, result: Any = None,
                            exc_info: Any = None) -> tuple[Any, Any]:
        """A lone message, or a worker that failed as a whole: each message settles with its error. A
        group: each message settles with its own outcome (``event_group.handle_group``)."""
        if exc_info is not None or len(messages) == 1 or not isinstance(result, list):
            for message in messages:
                self.settle(message, exc_info)
            return result, exc_info
        for message, outcome in zip(messages, result, strict=True):
            self.settle(message, None if outcome is None else (type(outcome), outcome, outcome.__traceback__))
        return result, exc_info


subscribe_grouped = GroupedEventSubscriber.decorator
