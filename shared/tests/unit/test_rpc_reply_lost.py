"""A service whose RPC reply cannot be published (the broker went away between the work and the reply)
keeps running (issue 14): nameko would let the error end the container, and the process with it."""
from __future__ import annotations

from unittest import mock

import pytest
from kombu.exceptions import OperationalError
from nameko.rpc import RpcConsumer as NamekoRpcConsumer

from shared.service import RpcConsumer


def consumer() -> RpcConsumer:
    entrypoint = RpcConsumer.__new__(RpcConsumer)     # no container: only handle_result is exercised
    entrypoint.__dict__["queue_consumer"] = mock.Mock()
    return entrypoint


@pytest.mark.parametrize("error", [OperationalError("Server unexpectedly closed connection"),
                                   OSError("Server unexpectedly closed connection")])
def test_a_reply_lost_with_the_broker_is_dropped_and_the_request_acknowledged(error) -> None:
    entrypoint = consumer()
    with mock.patch.object(NamekoRpcConsumer, "handle_result", side_effect=error):
        assert entrypoint.handle_result("message", {"ok": 1}, None) == ({"ok": 1}, None)
    entrypoint.queue_consumer.ack_message.assert_called_once_with("message")


def test_an_ack_that_fails_too_is_left_to_the_broker() -> None:
    entrypoint = consumer()
    entrypoint.queue_consumer.ack_message.side_effect = OSError("closed")
    with mock.patch.object(NamekoRpcConsumer, "handle_result", side_effect=OperationalError("gone")):
        assert entrypoint.handle_result("message", None, ("exc",)) == (None, ("exc",))


def test_other_errors_still_surface() -> None:
    with mock.patch.object(NamekoRpcConsumer, "handle_result", side_effect=ValueError("a bug")), \
            pytest.raises(ValueError):
        consumer().handle_result("message", None, None)
