"""RPC from the gateway to the services: a pool of long-lived nameko proxies per worker.

The gateway does not run under eventlet. A standalone ClusterRpcProxy is not thread-safe
and costs ~10 ms to open, so each gthread worker keeps a small pool, made lazily after
fork, and a request checks one proxy out for its whole duration.

Every call carries its deadline (RPC_TIMEOUT from when it is sent) and expires in the broker
then, so no service starts work the gateway has stopped waiting for; a write carries the
request's idempotency key, so a repeat of it is answered with its first outcome.
"""
from __future__ import annotations

import queue
import threading
import time
from contextlib import contextmanager

from kombu import Connection
from kombu.exceptions import OperationalError
from nameko.exceptions import RemoteError, RpcTimeout, UnknownService
from nameko.standalone.rpc import ClusterProxy, StandaloneProxyBase

from services.common.rpc import IDEMPOTENCY_KEY, ExpiringServiceProxy


class ServiceUnavailable(Exception):
    """RabbitMQ or the service behind it cannot be reached right now. `sent`: the request may
    have reached the service before that was found (so its outcome is unknown), rather than
    being refused before it left."""

    def __init__(self, message: str, sent: bool = False):
        super().__init__(message)
        self.sent = sent


# What a broken connection looks like from a proxy; the proxy is thrown away, not reused.
CONNECTION_ERRORS = (OSError, OperationalError, ConnectionError, UnknownService)


class ServiceHealth:
    """Which services are known to be down, so that pages needing them answer 503 at once
    instead of each waiting out the RPC timeout.

    A stopped nameko service leaves its durable `rpc-<service>` queue behind, so a call to it
    is not refused: it waits for a reply that never comes. When a call times out, the queue's
    consumer count tells whether anyone is listening; if nobody is, the service is down. While
    it is down, calls fail fast, and at most every `probe_interval` seconds one call looks
    again, so the gateway recovers on its own once the service is back.
    """

    def __init__(self, amqp_uri: str, probe_interval: float = 1.0):
        self._amqp_uri = amqp_uri
        self._probe_interval = probe_interval
        self._down: dict[str, float] = {}  # service -> when it was last seen down
        self._lock = threading.Lock()

    def check(self, service: str) -> None:
        """Raise ServiceUnavailable if `service` is known to be down and has not come back."""
        with self._lock:
            seen = self._down.get(service)
            if seen is None:
                return
            if time.monotonic() - seen < self._probe_interval:
                raise ServiceUnavailable(f"the {service} service is down")
            self._down[service] = time.monotonic()  # this caller probes; the others keep failing fast
        if self.listening(service):
            with self._lock:
                self._down.pop(service, None)
        else:
            raise ServiceUnavailable(f"the {service} service is down")

    def timed_out(self, service: str) -> bool:
        """After a timeout: True (and remembered) if nobody consumes the service's RPC queue."""
        if self.listening(service):
            return False
        with self._lock:
            self._down[service] = time.monotonic()
        return True

    def listening(self, service: str) -> bool:
        try:
            with Connection(self._amqp_uri, connect_timeout=2) as connection:
                declared = connection.default_channel.queue_declare(f"rpc-{service}", passive=True)
                return declared.consumer_count > 0
        except Exception:  # no such queue, or the broker itself is unreachable
            return False


class RpcPool:
    def __init__(self, config: dict, size: int, timeout: float):
        self._config = config
        self._size = size
        self._timeout = timeout
        self._idle: queue.LifoQueue = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(size)
        self.health = ServiceHealth(config["AMQP_URI"])

    @contextmanager
    def services(self, idempotency_key: str | None = None):
        """`with pool.services() as s: s.content.get_unit(...)`; a write names its request's
        `idempotency_key`."""
        if not self._slots.acquire(timeout=self._timeout):
            raise ServiceUnavailable("every RPC connection is busy")
        proxy = None
        try:
            proxy = self._checkout()
            proxy.context.pop(IDEMPOTENCY_KEY, None)
            if idempotency_key is not None:
                proxy.context[IDEMPOTENCY_KEY] = idempotency_key
            yield _Guarded(proxy.services, self.health)
        except RpcTimeout as timeout:
            self._discard(proxy)
            proxy = None
            service = getattr(timeout, "service", None)
            if service is not None and self.health.timed_out(service):
                raise ServiceUnavailable(f"the {service} service is down", sent=True) from timeout
            raise
        except CONNECTION_ERRORS as error:
            self._discard(proxy)
            proxy = None
            raise ServiceUnavailable(str(error), sent=True) from error
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


class _Guarded:
    """`services.content.get_unit(...)`, refused at once while the content service is known down,
    and a timeout tagged with the service it came from."""

    def __init__(self, services, health: ServiceHealth):
        self._services = services
        self._health = health

    def __getattr__(self, service: str):
        self._health.check(service)
        return _GuardedService(service, getattr(self._services, service))


class _GuardedService:
    def __init__(self, name: str, proxy):
        self._name = name
        self._proxy = proxy

    def __getattr__(self, method: str):
        call = getattr(self._proxy, method)

        def guarded(*args, **kwargs):
            try:
                return call(*args, **kwargs)
            except RpcTimeout as timeout:
                timeout.service = self._name
                raise

        return guarded


class _Proxy(StandaloneProxyBase):
    """A standalone cluster proxy whose calls expire with their timeout, and whose `context`
    (AMQP headers every call carries) is set per request."""

    def __init__(self, config: dict, timeout: float):
        self.context = {}
        super().__init__(config, context_data=self.context, timeout=timeout)
        self._proxy = _ExpiringClusterProxy(self._worker_ctx, self._reply_listener, timeout)
        try:
            self.services = self.start()
        except CONNECTION_ERRORS as error:
            raise ServiceUnavailable(str(error)) from error

    def stop(self):
        try:
            super().stop()
        except Exception:  # the connection is already gone; nothing left to release
            pass


class _ExpiringClusterProxy(ClusterProxy):
    def __init__(self, worker_ctx, reply_listener, timeout: float):
        super().__init__(worker_ctx, reply_listener)
        self._timeout = timeout

    def __getattr__(self, name):
        if name not in self._proxies:
            self._proxies[name] = ExpiringServiceProxy(self._worker_ctx, name, self._reply_listener, self._timeout)
        return self._proxies[name]


__all__ = ["RpcPool", "ServiceUnavailable", "RemoteError", "RpcTimeout"]
