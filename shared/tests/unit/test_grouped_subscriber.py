"""The grouped subscriber (shared/messaging/grouped.py) settles each message of a group on its own:
acked when its event was handled, moved to its retry or dead-letter queue with its own error when it
failed; a worker that failed as a whole settles every message with that error."""
from __future__ import annotations

import sys
from unittest import mock

import pytest

from shared.event_group import EventGroup
from shared.messaging.grouped import GroupedEventSubscriber


def subscriber() -> GroupedEventSubscriber:
    entrypoint = GroupedEventSubscriber.__new__(GroupedEventSubscriber)  # no container: settling only
    entrypoint.__dict__["settle"] = mock.Mock()
    return entrypoint


def test_each_message_of_a_group_settles_with_its_own_outcome() -> None:
    entrypoint = subscriber()
    failure = RuntimeError("handler failed")
    entrypoint.handle_group_result(["m1", "m2", "m3"], None, [None, failure, None], None)
    calls = entrypoint.settle.call_args_list
    assert [c.args[0] for c in calls] == ["m1", "m2", "m3"]
    assert calls[0].args[1] is None and calls[2].args[1] is None
    assert calls[1].args[1][0] is RuntimeError and calls[1].args[1][1] is failure


def test_a_worker_that_failed_as_a_whole_settles_every_message_with_its_error() -> None:
    entrypoint = subscriber()
    try:
        raise ConnectionError("database gone")
    except ConnectionError:
        exc_info = sys.exc_info()
    entrypoint.handle_group_result(["m1", "m2"], None, None, exc_info)
    assert [c.args for c in entrypoint.settle.call_args_list] == [("m1", exc_info), ("m2", exc_info)]


def test_a_lone_message_settles_as_before() -> None:
    entrypoint = subscriber()
    entrypoint.handle_group_result(["m1"], None, {"any": "result"}, None)
    entrypoint.settle.assert_called_once_with("m1", None)


def test_a_group_is_a_list_no_json_body_can_be() -> None:
    # a body that is a JSON list stays a list: only the subscriber builds an EventGroup
    assert not isinstance([{"id": 1}], EventGroup)
    assert isinstance(EventGroup([{"id": 1}]), list)


class _DeadChannelMessage:
    """A message whose connection went after its handler committed: nameko's ``ack_message`` sees a live
    ``channel.connection`` object and the socket write raises."""

    def __init__(self) -> None:
        self.channel = mock.Mock()
        self.headers: dict = {}

    def ack(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_connection_lost_while_acking_leaves_the_message_to_the_broker_and_the_service_running(caplog) -> None:
    from nameko.messaging import QueueConsumer

    entrypoint = GroupedEventSubscriber.__new__(GroupedEventSubscriber)  # the real settle, no container
    entrypoint.event_type = "application.reported"
    entrypoint.queue_consumer = QueueConsumer.__new__(QueueConsumer)
    message = _DeadChannelMessage()
    with caplog.at_level("WARNING"):
        entrypoint.handle_group_result([message, _DeadChannelMessage()], None, [None, None], None)
    assert [r.getMessage() for r in caplog.records].count(
        "event application.reported: the connection went while settling ([Errno 32] Broken pipe); "
        "the broker delivers it again") == 2
    # nameko alone lets the socket's error through: the reason settle guards it
    with pytest.raises(BrokenPipeError):
        QueueConsumer.ack_message(entrypoint.queue_consumer, message)
