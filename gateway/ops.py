"""What an operator sees of the gateway (deploy/RUNBOOK.md): its metrics and its readiness.

    GET /metrics   Prometheus text. Under gunicorn every worker writes its figures to files in
                   PROMETHEUS_MULTIPROC_DIR (deploy/gunicorn.conf.py sets it) and any worker
                   answers for all of them; without it (tests, one process) the process's own.
    GET /readyz    200 when the broker is reachable, the content events are heard, and the
                   content service (with its MongoDB) says it is ready; otherwise 503 and
                   {"status": "not ready", "failing": {part: why}}. Search is asked too, but
                   pages do not need it (the search page says it is unavailable): without it
                   the gateway stays ready, {"status": "ready", "degraded": {"search": why}},
                   rather than take every page out of rotation.
    GET /healthz   200 while the process answers (gateway/resources/pages.py).

Requests are timed per route template (`/{unit}/tin-tuc/{slug}`, never the raw path) and
status class, so the labels stay few whatever is asked.
"""
from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor

import falcon
from kombu import Connection
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram, generate_latest, multiprocess
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from gateway.rpc import RemoteError, RpcPool, RpcTimeout, ServiceUnavailable
from services.common.ops.metrics import DURATION_BUCKETS

# Read once, as prometheus_client itself decides at import whether values go to files.
MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
PROBE_TIMEOUT = 3.0
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

REQUEST_DURATION = Histogram(
    "portal_http_request_duration_seconds", "Time the gateway took to answer, by route template, method and "
    "status class (2xx …); 'unmatched' for paths no route serves.", ["route", "method", "status"],
    buckets=DURATION_BUCKETS)
PAGE_CACHE = Counter("portal_page_cache_lookups_total",
                     "Cacheable page requests, by whether a kept page answered ('hit') or not ('miss').", ["result"])
SEARCH_ANSWERS = Counter("portal_search_answer_lookups_total",
                         "Searches, by whether a kept answer served ('hit') or the search service was asked ('miss').",
                         ["result"])
VISITS_PENDING = Gauge("portal_visit_views_pending",
                       "Page views collected but not yet counted by the ranking service (all gateway workers).",
                       multiprocess_mode="livesum")


class RequestMetrics:
    """Times every request (first in the middleware, so it sees cached answers too)."""

    def __init__(self, router):
        self._router = router
        # Each (route, method, status class)'s series, looked up once: labels() costs as much as
        # the observation itself, on every page (the labels are few, so this stays small).
        self._series: dict[tuple[str, str, str], Histogram] = {}

    def process_request(self, req, resp):
        req.context.started = time.perf_counter()

    def process_response(self, req, resp, resource, req_succeeded):
        started = req.context.get("started")
        if started is None:
            return
        # A page served from the cache never reached routing: its template is looked up here.
        route = req.context.route = req.uri_template or self._template(req.path)  # the access line's too
        labels = (route, req.method if req.method in METHODS else "other", f"{resp.status_code // 100}xx")
        series = self._series.get(labels)
        if series is None:
            series = self._series[labels] = REQUEST_DURATION.labels(*labels)
        series.observe(time.perf_counter() - started)

    def _template(self, path: str) -> str:
        found = self._router.find(path)
        return found[3] if found else "unmatched"


class Metrics:
    def on_get(self, req, resp):
        registry = REGISTRY
        if MULTIPROCESS:
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
        resp.data = generate_latest(registry)
        resp.content_type = CONTENT_TYPE_LATEST
        resp.cache_control = ["no-store"]


class Readiness:
    def __init__(self, config: dict, listening):
        """`listening()`: whether the content events are heard (gateway/invalidation.py)."""
        self._amqp_uri = config["AMQP_URI"]
        self._listening = listening
        # Its own pool and a short timeout: a probe must not wait behind pages, nor for long.
        self._rpc = RpcPool(config, 2, PROBE_TIMEOUT)
        self._checks = ThreadPoolExecutor(max_workers=3, thread_name_prefix="readiness")

    def on_get(self, req, resp):
        # The checks at once, each within PROBE_TIMEOUT: the answer comes within a probe's own
        # timeout (Kubernetes: 5 s) even when every one of them waits it out.
        broker, content, search = (self._checks.submit(check) for check in (
            self._broker_unreachable, lambda: self._not_ready("content"), lambda: self._not_ready("search")))
        failing = {**broker.result(), **content.result()}
        if not self._listening():
            failing["content events"] = "not heard yet"
        degraded = search.result()
        resp.cache_control = ["no-store"]
        if failing:
            resp.status = falcon.HTTP_503
            resp.media = {"status": "not ready", "failing": failing, **({"degraded": degraded} if degraded else {})}
        else:
            resp.media = {"status": "ready", **({"degraded": degraded} if degraded else {})}

    def _broker_unreachable(self) -> dict[str, str]:
        """{"broker": why} unless a connection opens (one attempt)."""
        try:
            with Connection(self._amqp_uri, connect_timeout=PROBE_TIMEOUT) as connection:
                connection.connect()
        except Exception as error:
            return {"broker": f"unreachable: {type(error).__name__}"}
        return {}

    def _not_ready(self, service: str) -> dict[str, str]:
        """{service: why} unless the service says it is ready."""
        try:
            with self._rpc.services() as services:
                not_ready = getattr(services, service).readiness()
        except (ServiceUnavailable, RpcTimeout, RemoteError) as error:
            not_ready = f"no answer: {type(error).__name__}"
        return {service: not_ready} if not_ready else {}
