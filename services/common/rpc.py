"""RPC as every service uses it: requests that expire with their caller's patience, and replies
that never take a service down with them.

- `rpc`, the entrypoint: errors raised on purpose for the caller (PortalError) are logged as
  expected outcomes, not as crashes. A reply that cannot be sent (the broker link dropped while
  the worker ran) is logged and dropped instead of ending the container, as nameko's own
  entrypoint does; the request stays unacknowledged, so the broker hands it out again and the
  caller, or a repeat of its request, learns the outcome (writes are idempotent by request,
  services/content/outcomes.py). A request whose caller has already given up is not run at all.
- `RpcProxy`, for one service calling another: each call carries a deadline, expires in the
  broker when the deadline passes, and raises RpcTimeout instead of waiting forever.
- Request ids (services/common/logs.py): every worker of a service logs with the id of the
  request it serves, and ends with one line saying what it served; every call carries the id on.
"""
from __future__ import annotations

import logging
import time
from typing import NamedTuple

import eventlet
from nameko.exceptions import RpcTimeout
from nameko.extensions import DependencyProvider
from nameko.rpc import MethodProxy, Rpc, RpcConsumer, ServiceProxy
from nameko.rpc import RpcProxy as NamekoRpcProxy
from nameko.timer import Timer

from services.common.config import Settings
from services.common.errors import PortalError
from services.common.logs import REQUEST_ID, current_request_id, sane_request_id, use_worker

log = logging.getLogger(__name__)

# Context data (AMQP headers) that describe one request, not the work it leads to: events sent
# while serving a request must not carry them on to their handlers.
DEADLINE = "deadline"  # seconds since the epoch after which the caller no longer waits
IDEMPOTENCY_KEY = "idempotency_key"  # the caller's name for this one request
REQUEST_SCOPED = (DEADLINE, IDEMPOTENCY_KEY)


def deadline_of(context: dict) -> float | None:
    value = context.get(DEADLINE)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def remaining(context: dict) -> float | None:
    """Seconds left before the request's caller gives up (None: it did not say)."""
    deadline = deadline_of(context)
    return None if deadline is None else deadline - time.time()


class _ReplyingRpcConsumer(RpcConsumer):
    def handle_result(self, message, result, exc_info):
        try:
            return super().handle_result(message, result, exc_info)
        except Exception as error:  # the broker link dropped: nameko would end the container here
            log.warning("could not reply to %s (%r); the broker will hand the request out again",
                        message.delivery_info.get("routing_key"), error)
            return result, exc_info


class _WorkerLog(DependencyProvider):
    """Before each worker's method, in its own greenthread: the request id in its context data
    names the worker's log lines until it ends. After it: one line naming what was served (and
    the event handled), how it ended and how long it took (not for timers: they run every second)."""

    def setup(self):
        self.started = {}

    def worker_setup(self, worker_ctx):
        use_worker(worker_ctx.service_name, worker_ctx.data.get(REQUEST_ID))
        self.started[worker_ctx] = time.monotonic()

    def worker_result(self, worker_ctx, result=None, exc_info=None):
        started = self.started.pop(worker_ctx, None)
        if started is None or isinstance(worker_ctx.entrypoint, Timer):
            return
        outcome = worker_outcome(worker_ctx, exc_info)
        served, seconds = f"{worker_ctx.service_name}.{worker_ctx.entrypoint.method_name}", time.monotonic() - started
        fields = {"entrypoint": served, "outcome": outcome, "duration_seconds": round(seconds, 6)}
        if event := getattr(worker_ctx.entrypoint, "event_type", None):
            fields["event"] = event
        log.info("%s %s in %.1f ms", served, outcome, seconds * 1000, extra=fields)


def worker_outcome(worker_ctx, exc_info) -> str:
    """How a worker ended: 'ok'; 'refused', with an error its caller is meant to get (the
    entrypoint's expected exceptions: PortalError for an RPC); 'failed' otherwise. Its log line
    and its metrics say the same."""
    if exc_info is None:
        return "ok"
    return "refused" if isinstance(exc_info[1], worker_ctx.entrypoint.expected_exceptions) else "failed"


def _log_workers(container) -> None:
    """Every worker of `container` (RPC, event handler, timer) logs with its request's id. nameko
    runs nothing in a worker's greenthread before its method but dependency providers', so one
    is added to the container, once."""
    if not any(isinstance(provider, _WorkerLog) for provider in container.dependencies):
        container.dependencies.add(_WorkerLog().bind(container, "_worker_log"))


class _Rpc(Rpc):
    rpc_consumer = _ReplyingRpcConsumer()

    def bind(self, container, method_name):
        _log_workers(container)
        return super().bind(container, method_name)

    def handle_message(self, body, message):
        context = self.unpack_message_headers(message)
        left = remaining(context)
        if left is not None and left <= 0:
            log.info("dropped %s: its caller stopped waiting %.1fs ago", message.delivery_info.get("routing_key"),
                     -left, extra={REQUEST_ID: sane_request_id(context.get(REQUEST_ID))})
            self.rpc_consumer.queue_consumer.ack_message(message)
            return
        super().handle_message(body, message)


rpc = _Rpc.decorator(expected_exceptions=PortalError)


class ExpiringMethodProxy(MethodProxy):
    """One call that carries its deadline (`timeout` seconds from when it is sent) and dies in
    the broker if no service has taken it by then."""

    def __init__(self, worker_ctx, service_name, method_name, reply_listener, timeout: float, **options):
        self.timeout = timeout
        super().__init__(worker_ctx, service_name, method_name, reply_listener, expiration=timeout, **options)

    def get_message_headers(self, worker_ctx):
        headers = super().get_message_headers(worker_ctx)
        headers[self._get_header_name(DEADLINE)] = time.time() + self.timeout
        # The request being served: the gateway's, or the one an event handled here was caused by.
        if request_id := current_request_id():
            headers[self._get_header_name(REQUEST_ID)] = request_id
        return headers


class ExpiringServiceProxy(ServiceProxy):
    method_proxy = ExpiringMethodProxy

    def __init__(self, worker_ctx, service_name, reply_listener, timeout: float, **options):
        super().__init__(worker_ctx, service_name, reply_listener, **options)
        self.timeout = timeout

    def __getattr__(self, name):
        return self.method_proxy(self.worker_ctx, self.service_name, name, self.reply_listener, self.timeout,
                                 **self.options)


class _TimedMethodProxy(ExpiringMethodProxy):
    def __call__(self, *args, **kwargs):
        reply = self._call(*args, **kwargs)
        with eventlet.Timeout(self.timeout, RpcTimeout(f"{self.service_name}.{self.method_name}")):
            return reply.result()


class _TimedServiceProxy(ExpiringServiceProxy):
    method_proxy = _TimedMethodProxy


class RpcProxy(NamekoRpcProxy):
    """nameko's RpcProxy, except that a call waits at most RPC_TIMEOUT, or what is left of the
    request being served if that is less, and dies in the broker when its caller gives up."""

    def setup(self):
        super().setup()
        self.timeout = Settings.from_mapping(self.container.config).RPC_TIMEOUT

    def get_dependency(self, worker_ctx):
        left = remaining(worker_ctx.data)
        timeout = self.timeout if left is None else max(min(self.timeout, left), 0.001)
        return _TimedServiceProxy(worker_ctx, self.target_service, self.rpc_reply_listener, timeout, **self.options)


class Request(NamedTuple):
    """What the caller said about the request being served."""
    deadline: float | None
    idempotency_key: str | None


class RequestContext(DependencyProvider):
    """Gives a worker the request it serves: its deadline and its idempotency key, if any."""

    def get_dependency(self, worker_ctx):
        key = worker_ctx.data.get(IDEMPOTENCY_KEY)
        return Request(deadline_of(worker_ctx.data), key if isinstance(key, str) and key else None)
