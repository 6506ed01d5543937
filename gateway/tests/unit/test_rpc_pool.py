"""The one private nameko attribute the gateway's RPC pool relies on (gateway/gateway/rpc.py).

nameko 2.14.1 fixes a standalone proxy's context data (the user's token, idempotency key, correlation id)
when the proxy is built, with no public way to change it; the pool reuses started proxies across requests
and swaps ``ClusterRpcProxy._worker_ctx.data`` for each one. If a nameko upgrade renames that attribute,
stops sharing it with the proxy that ``start()`` returns, or copies the data when the proxy is built, calls
would carry another request's token or none: these tests fail first, saying so.
"""
from __future__ import annotations

from unittest import mock

from nameko.rpc import MethodProxy
from nameko.standalone.rpc import ClusterRpcProxy, SingleThreadedReplyListener

WHY = ("gateway/gateway/rpc.py sets each request's context on a pooled proxy through "
       "ClusterRpcProxy._worker_ctx.data; nameko no longer works that way: change RpcPool.proxy")


def started_without_broker() -> tuple[ClusterRpcProxy, object]:
    holder = ClusterRpcProxy({"AMQP_URI": "memory://"}, timeout=1)
    with mock.patch.object(SingleThreadedReplyListener, "setup"):  # no reply queue, no connection
        return holder, holder.start()


def test_a_started_cluster_proxy_sends_the_context_set_on_its_private_worker_context() -> None:
    holder, cluster = started_without_broker()
    assert hasattr(holder, "_worker_ctx"), WHY
    for context in ({"authorization": "Bearer one", "correlation_id": "c-1"}, {"authorization": "Bearer two"}):
        holder._worker_ctx.data = dict(context)
        method = cluster["subsidy_review"].approve
        assert isinstance(method, MethodProxy), WHY
        assert method.worker_ctx is holder._worker_ctx, WHY
        headers = method.get_message_headers(method.worker_ctx)
        sent = {key.removeprefix("nameko."): value for key, value in headers.items()}
        assert {k: sent.get(k) for k in context} == context, WHY
        assert ("correlation_id" in sent) == ("correlation_id" in context), WHY  # the previous data is gone


def test_a_broker_gone_while_publishing_is_503_broker_unavailable_and_the_proxy_is_thrown_away() -> None:
    """kombu raises its OperationalError (no OSError) when the broker went away as the request was sent
    and could not be reached again: the caller gets 503 ``broker_unavailable`` (never a 500) and the
    broken proxy is not handed to the next request (seen under issue 14's broker cut)."""
    import pytest
    from kombu.exceptions import OperationalError

    from gateway.rpc import RpcPool
    from shared.errors import Unavailable

    pool = RpcPool("memory://", size=1, timeout=1)
    holder, cluster = started_without_broker()
    pool._idle.append((holder, cluster))
    with mock.patch.object(holder, "stop") as stopped, pytest.raises(Unavailable) as info:
        with pool.proxy({}):
            raise OperationalError("[Errno 111] Connection refused")
    assert (info.value.status, info.value.code) == (503, "broker_unavailable")
    assert stopped.called and pool._idle == []
