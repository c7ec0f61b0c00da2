"""The operations endpoint of a nameko service, on OPS_PORT (0: none):

    GET /metrics   Prometheus text: the shared metrics of this service (metrics.py), the
                   process's own (memory, CPU, open files) and what its dependencies collect
    GET /healthz   200 while the process runs
    GET /readyz    200 once every readiness check passes; otherwise 503 and
                   {"status": "not ready", "failing": {check: why}}

A service declares `ops = Ops(MongoReachable)` with the checks it needs; the broker check is
always there, and dependencies add their own (the search engine answering) or their figures
with `OpsServer.ready_when` and `OpsServer.collect_with` from their `setup()`. The endpoint is
an eventlet WSGI server in a managed thread of the container, so it lives and dies with it.
"""
from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable

import eventlet
import eventlet.wsgi
from kombu import Connection
from nameko.events import EventHandler
from nameko.extensions import DependencyProvider, SharedExtension
from nameko.messaging import QueueConsumer
from nameko.rpc import Rpc
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from pymongo import MongoClient

from services.common.config import Settings
from services.common.ops.metrics import EVENT_DURATION, RPC_DURATION, RPC_ERRORS
from services.common.retries import RetryingEventHandler
from services.common.rpc import worker_outcome

log = logging.getLogger(__name__)

# A probe must answer well within the prober's own timeout, whatever is down behind it.
CHECK_TIMEOUT = 2.0


class NotReady(Exception):
    """A readiness check's short reason, shown to the prober."""


class OpsServer(SharedExtension):
    """The container's one endpoint, its readiness checks and its scrape-time collectors."""

    def __init__(self):
        super().__init__()
        # Filled while the container sets up, by dependencies whose setup() may run first.
        self.checks: dict[str, Callable[[], None]] = {}
        self.own_metrics = CollectorRegistry(auto_describe=False)
        self._server = None

    def setup(self):
        self.port = Settings.from_mapping(self.container.config).OPS_PORT
        self.checks["broker"] = BrokerConsuming(self.container)
        self.own_metrics.register(ParkedEvents(self.container))
        self.own_metrics.register(self)

    def ready_when(self, name: str, check: Callable[[], None]) -> None:
        """`check()` raises (NotReady, or whatever went wrong) while the service is not ready."""
        self.checks[name] = check

    def collect_with(self, collector) -> None:
        """A Prometheus collector (a `collect()` yielding metric families) read at each scrape."""
        self.own_metrics.register(collector)

    def start(self):
        if self.port:
            listener = eventlet.listen(("0.0.0.0", self.port))
            self._server = self.container.spawn_managed_thread(
                lambda: eventlet.wsgi.server(listener, self.answer, log_output=False, socket_timeout=10),
                identifier="ops-endpoint")

    def stop(self):
        if self._server is not None:
            self._server.kill()
            self._server = None
        for check in self.checks.values():
            getattr(check, "close", lambda: None)()

    def kill(self):
        self.stop()

    def failing(self) -> dict[str, str]:
        """{check: why} for each check that does not pass now; {} when ready."""
        failing = {}
        for name, check in self.checks.items():
            try:
                with eventlet.Timeout(CHECK_TIMEOUT, NotReady(f"no answer within {CHECK_TIMEOUT:g}s")):
                    check()
            except Exception as error:
                failing[name] = str(error) if isinstance(error, NotReady) else f"{type(error).__name__}: {error}"
        return failing

    def collect(self):
        """`portal_ready_check`: each readiness check, 1 passing, 0 failing, as /readyz would answer now."""
        failing = self.failing()
        family = GaugeMetricFamily("portal_ready_check", "Whether each readiness check passes (1) or not (0).",
                                   labels=["service", "check"])
        for name in self.checks:
            family.add_metric([self.container.service_name, name], 0.0 if name in failing else 1.0)
        yield family

    def answer(self, environ, start_response):
        """The endpoint's WSGI application."""
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "")
        if method not in ("GET", "HEAD"):
            return _reply(start_response, "405 Method Not Allowed", {"error": "only GET is served here"})
        if path == "/metrics":
            body = generate_latest(ServiceMetrics(self.container.service_name, self.own_metrics))
            start_response("200 OK", [("Content-Type", CONTENT_TYPE_LATEST), ("Content-Length", str(len(body)))])
            return [body]
        if path == "/healthz":
            return _reply(start_response, "200 OK", {"status": "alive"})
        if path == "/readyz":
            failing = self.failing()
            if failing:
                return _reply(start_response, "503 Service Unavailable", {"status": "not ready", "failing": failing})
            return _reply(start_response, "200 OK", {"status": "ready"})
        return _reply(start_response, "404 Not Found", {"error": f"no such route {path!r}",
                                                         "routes": ["/metrics", "/healthz", "/readyz"]})


def _reply(start_response, status: str, document: dict):
    body = json.dumps(document).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


class ServiceMetrics:
    """What one service's /metrics shows: the process's shared metrics except those labelled
    with another service (tests run several in one process), then the service's own."""

    def __init__(self, service: str, own: CollectorRegistry):
        self.service = service
        self.own = own

    def collect(self):
        for family in REGISTRY.collect():
            family.samples = [sample for sample in family.samples
                              if sample.labels.get("service", self.service) == self.service]
            yield family
        yield from self.own.collect()


class Ops(DependencyProvider):
    """Declared by every service: starts its endpoint with the given checks (classes taking the
    container's config) and times each worker into the shared metrics. Workers get the
    OpsServer (e.g. to answer a readiness RPC)."""

    server = OpsServer()

    def __init__(self, *checks):
        self.check_classes = checks

    def setup(self):
        self.service = self.container.service_name
        self.timing = Settings.from_mapping(self.container.config).METRICS
        for check_class in self.check_classes:
            self.server.ready_when(check_class.name, check_class(self.container.config))
        self.started: dict = {}

    def worker_setup(self, worker_ctx):
        if self.timing:
            self.started[worker_ctx] = time.perf_counter()

    def worker_result(self, worker_ctx, result=None, exc_info=None):
        started = self.started.pop(worker_ctx, None)
        if started is None:
            return
        elapsed = time.perf_counter() - started
        entrypoint = worker_ctx.entrypoint
        if isinstance(entrypoint, Rpc):
            RPC_DURATION.labels(self.service, entrypoint.method_name).observe(elapsed)
            if exc_info is not None:
                RPC_ERRORS.labels(self.service, entrypoint.method_name, worker_outcome(worker_ctx, exc_info)).inc()
        elif isinstance(entrypoint, EventHandler):
            EVENT_DURATION.labels(self.service, entrypoint.method_name).observe(elapsed)

    def get_dependency(self, worker_ctx):
        return self.server


class BrokerConsuming:
    """The container's consumers have started, and the broker, reached afresh, has a consumer
    on the service's RPC queue."""

    def __init__(self, container):
        self.container = container

    def __call__(self):
        consumers = [extension for extension in self.container.extensions if isinstance(extension, QueueConsumer)]
        # nameko's own flag: set once its consumers are declared on the broker.
        if not all(consumer._consumers_ready.ready() for consumer in consumers):
            raise NotReady("consumers not started")
        queue = f"rpc-{self.container.service_name}"
        try:
            with Connection(self.container.config["AMQP_URI"], connect_timeout=CHECK_TIMEOUT) as connection:
                declared = connection.default_channel.queue_declare(queue, passive=True)
        except Exception as error:
            raise NotReady(f"broker unreachable: {type(error).__name__}") from error
        if declared.consumer_count == 0:
            raise NotReady(f"nobody consumes {queue}")


class MongoReachable:
    """The service's MongoDB server answers a ping (its own client, with short timeouts)."""

    name = "mongodb"

    def __init__(self, config):
        timeout_ms = int(CHECK_TIMEOUT * 1000)
        self.client = MongoClient(Settings.from_mapping(config).MONGO_URI, serverSelectionTimeoutMS=timeout_ms,
                                  connectTimeoutMS=timeout_ms, socketTimeoutMS=timeout_ms)

    def __call__(self):
        try:
            self.client.admin.command("ping")
        except Exception as error:
            raise NotReady(f"MongoDB unreachable: {type(error).__name__}") from error

    def close(self):
        self.client.close()


class Gauges:
    """A collector of gauges read when scraped: `read()` returns {name: value} (None: no value
    now). A read that fails or takes too long (its database is down) leaves them out of that
    scrape rather than holding it up."""

    def __init__(self, documentation: dict[str, str], read: Callable[[], dict[str, float | None]]):
        self.documentation = documentation
        self.read = read

    def collect(self):
        try:
            with eventlet.Timeout(CHECK_TIMEOUT):
                values = self.read()
        except (Exception, eventlet.Timeout) as error:
            log.warning("metrics %s not read: %r", ", ".join(self.documentation), error)
            return
        for name, text in self.documentation.items():
            # Not known now (no change made yet): the family without a sample, so its name stays listed.
            yield GaugeMetricFamily(name, text, value=values.get(name))


class ParkedEvents:
    """How many events wait in each of the container's parking queues (retries.py), as the
    broker counts them: what an operator must look at, however long ago they were parked."""

    def __init__(self, container):
        self.container = container

    def collect(self):
        handlers = [entrypoint for entrypoint in self.container.entrypoints
                    if isinstance(entrypoint, RetryingEventHandler)]
        if not handlers:
            return
        family = GaugeMetricFamily("portal_events_parked", "Events waiting in a handler's parking queue.",
                                   labels=["service", "handler"])
        try:
            with eventlet.Timeout(CHECK_TIMEOUT), \
                    Connection(self.container.config["AMQP_URI"], connect_timeout=CHECK_TIMEOUT) as connection:
                for handler in handlers:
                    declared = connection.default_channel.queue_declare(handler.parking_queue.name, passive=True)
                    family.add_metric([self.container.service_name, handler.method_name], declared.message_count)
        except (Exception, eventlet.Timeout) as error:
            log.warning("parked events not counted: %r", error)
            return
        yield family
