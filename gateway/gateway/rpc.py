"""A bounded LIFO pool of started ``ClusterRpcProxy`` objects, one per concurrent request.

A proxy is not thread-safe and owns a reply queue: creating one per request halved throughput and left
hundreds of reply queues behind (field notes). Proxies are created lazily in the serving process
(after gunicorn forks), handed out with the request's context (token, idempotency key, correlation
id) and thrown away after a timeout or a connection error.

nameko 2.14.1 fixes a standalone proxy's context data when it is built (``context_data=``) and has no public
way to change it, so a pooled proxy's calls get the request's context through the private
``ClusterRpcProxy._worker_ctx.data`` (the one private attribute used here; the proxy itself is what the
public ``start()`` returns). gateway/tests/unit/test_rpc_pool.py fails if nameko stops working that way.
"""
from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from kombu.exceptions import OperationalError as BrokerError
from nameko.exceptions import RpcTimeout, UnknownService
from nameko.standalone.rpc import ClusterRpcProxy

from shared.errors import Unavailable

log = logging.getLogger(__name__)

#: a proxy that saw one of these is thrown away. kombu raises its OperationalError (not an OSError) when
#: the broker went away while the request was published and it could not reconnect (issue 14's broker cut)
BROKEN = (RpcTimeout, ConnectionError, socket.error, OSError, BrokerError)


class RpcPool:
    def __init__(self, amqp_uri: str, size: int = 8, timeout: float = 30.0) -> None:
        self.config = {"AMQP_URI": amqp_uri}
        self.size = size
        self.timeout = timeout
        self._idle: list[tuple[ClusterRpcProxy, Any]] = []  # (the proxy's owner, what its start() returned)
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(size)
        self._pid = os.getpid()

    def _reset_after_fork(self) -> None:
        if os.getpid() != self._pid:
            self._idle, self._lock = [], threading.Lock()
            self._slots, self._pid = threading.BoundedSemaphore(self.size), os.getpid()

    @contextmanager
    def proxy(self, context: dict[str, Any], broken: list[bool] | None = None) -> Iterator[Any]:
        """A started cluster proxy whose calls carry ``context`` as nameko context data; it is thrown away
        after a connection error or a timeout raised inside, or when the caller puts True in ``broken``
        (a timeout it handled itself: a late reply must not reach the next user of the proxy)."""
        self._reset_after_fork()
        if not self._slots.acquire(timeout=self.timeout):
            raise Unavailable("系统繁忙，请稍后再试", code="gateway.busy")
        idle = None
        try:
            with self._lock:
                idle = self._idle.pop() if self._idle else None
            if idle is None:
                holder = ClusterRpcProxy(self.config, timeout=self.timeout)
                idle = (holder, holder.start())
            holder, cluster = idle
            holder._worker_ctx.data = dict(context)
            try:
                yield cluster
            except BROKEN:
                self._discard(holder)
                idle = None
                raise
            finally:
                if idle is not None and broken:
                    self._discard(holder)
                    idle = None
                if idle is not None:  # a remote business error leaves the proxy healthy
                    holder._worker_ctx.data = {}
                    with self._lock:
                        self._idle.append(idle)
        except UnknownService as exc:
            raise Unavailable(f"服务{exc}暂不可用", code="service_unavailable") from None
        except RpcTimeout:
            raise Unavailable("服务响应超时，请稍后再试", code="service_timeout") from None
        except (OSError, ConnectionError, BrokerError) as exc:
            raise Unavailable("消息服务器不可用", code="broker_unavailable") from exc
        finally:
            self._slots.release()

    @staticmethod
    def _discard(holder: ClusterRpcProxy) -> None:
        try:
            holder.stop()
        except Exception:  # noqa: BLE001 - it is broken already
            log.debug("stopping a broken proxy failed", exc_info=True)

    def call(self, service: str, method: str, *args: Any, context: dict[str, Any], **kwargs: Any) -> Any:
        with self.proxy(context) as rpc:
            return getattr(rpc[service], method)(*args, **kwargs)

    def call_each(self, calls: list[tuple[str, str]], *, context: dict[str, Any]) -> list[Any]:
        """``service.method()`` of each of ``calls`` at once through one proxy (all requests sent, then the
        replies collected), so a page that asks several services waits for the slowest, not for the
        sum. Each answer is the result or the exception its call raised (RemoteError, a timeout...)."""
        broken: list[bool] = []
        with self.proxy(context, broken) as rpc:
            replies = []
            for service, method in calls:
                try:
                    replies.append(getattr(rpc[service], method).call_async())
                except UnknownService as exc:
                    replies.append(exc)
            answers: list[Any] = []
            for reply in replies:
                if isinstance(reply, Exception):
                    answers.append(reply)
                    continue
                try:
                    answers.append(reply.result())
                except RpcTimeout:
                    broken.append(True)
                    answers.append(Unavailable("服务响应超时，请稍后再试", code="service_timeout"))
                except Exception as exc:  # noqa: BLE001 - handed back to the caller, one per call
                    answers.append(exc)
            return answers

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for holder, _ in idle:
            self._discard(holder)
