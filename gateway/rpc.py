"""RPC from the gateway to the services: a pool of long-lived nameko proxies per worker.

The gateway does not run under eventlet. A standalone ClusterRpcProxy is not thread-safe
and costs ~10 ms to open, so each gthread worker keeps a small pool, made lazily after
fork, and a request checks one proxy out for its whole duration.
"""
from __future__ import annotations

import queue
import threading
from contextlib import contextmanager

from kombu.exceptions import OperationalError
from nameko.exceptions import RemoteError, RpcTimeout, UnknownService
from nameko.standalone.rpc import ClusterRpcProxy


class ServiceUnavailable(Exception):
    """RabbitMQ or the service behind it cannot be reached right now."""


# What a broken connection looks like from a proxy; the proxy is thrown away, not reused.
CONNECTION_ERRORS = (OSError, OperationalError, ConnectionError, UnknownService)


class RpcPool:
    def __init__(self, config: dict, size: int, timeout: float):
        self._config = config
        self._size = size
        self._timeout = timeout
        self._idle: queue.LifoQueue = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(size)

    @contextmanager
    def services(self):
        """`with pool.services() as s: s.content.get_unit(...)`"""
        if not self._slots.acquire(timeout=self._timeout):
            raise ServiceUnavailable("every RPC connection is busy")
        proxy = None
        try:
            proxy = self._checkout()
            yield proxy.services
        except RpcTimeout:
            self._discard(proxy)
            proxy = None
            raise
        except CONNECTION_ERRORS as error:
            self._discard(proxy)
            proxy = None
            raise ServiceUnavailable(str(error)) from error
        # Typed service errors and RemoteError leave the proxy healthy: it goes back.
        finally:
            if proxy is not None:
                self._idle.put(proxy)
            self._slots.release()

    def close(self):
        while not self._idle.empty():
            self._discard(self._idle.get_nowait())

    def _checkout(self) -> "_Proxy":
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            return _Proxy(self._config, self._timeout)

    @staticmethod
    def _discard(proxy):
        if proxy is not None:
            proxy.stop()


class _Proxy:
    def __init__(self, config: dict, timeout: float):
        self._cluster = ClusterRpcProxy(config, timeout=timeout)
        try:
            self.services = self._cluster.start()
        except CONNECTION_ERRORS as error:
            raise ServiceUnavailable(str(error)) from error

    def stop(self):
        try:
            self._cluster.stop()
        except Exception:  # the connection is already gone; nothing left to release
            pass


__all__ = ["RpcPool", "ServiceUnavailable", "RemoteError", "RpcTimeout"]
