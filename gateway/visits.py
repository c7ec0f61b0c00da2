"""The visit counter block on every page: "Thống kê truy cập — Tổng truy cập N — Hiện tại N khách".

Page views are counted without an RPC per request: each gateway process collects them and
hands them to the ranking service in batches (`ranking.record_visits`) at most every
`interval` seconds, and learns each unit's counters back from the same call. A page shows
the unit's last known figures plus the views this process has not yet sent, so a reader's
own view is always counted. Only the first view of a unit in a process asks the ranking
service straight away, to have figures to show; if the ranking service cannot answer, the
page is served all the same and the block says the figures are unavailable. Views that
could not be sent are kept (up to `max_pending`) and sent when the service is back.
"""
from __future__ import annotations

import logging
import threading
from collections import Counter

from nameko.exceptions import RemoteError, RpcTimeout

from gateway.background import Background
from gateway.rpc import ServiceUnavailable

log = logging.getLogger(__name__)

PORTAL = "_cong-thong-tin"  # the platform's own pages, which belong to no unit
FAILURES = (ServiceUnavailable, RpcTimeout, RemoteError)
VIEWED = ("200 OK", "304 Not Modified", 200, 304)


class VisitCounters:
    def __init__(self, rpc, block, interval: float = 1.0, max_pending: int = 100_000):
        """`block(counters)`: the block's HTML for the counters, or for None (unavailable).
        `max_pending`: how many distinct readers' views are kept while ranking is away."""
        self._rpc = rpc
        self._block = block
        self._interval = interval
        self._max_pending = max_pending
        self._lock = threading.Lock()
        # Views not yet sent, by (unit, client address, user agent): one reader's many views
        # travel as one entry with their number.
        self._pending: Counter = Counter()
        self._unsent: Counter = Counter()
        self._known: dict[str, dict] = {}
        self._stopped = threading.Event()
        self._background = Background(self._run, "visit-counters")

    def on_page(self, req, resp) -> bytes:
        """Count a page view (200 or 304); the block with the page's counters, UTF-8."""
        unit = req.context.get("page_unit") or PORTAL
        if resp.status in VIEWED:
            counters = self.record(unit, req.remote_addr or "", req.user_agent or "")
        else:
            counters = self.shown(unit)
        return self._block(counters).encode()

    def record(self, unit: str, address: str, user_agent: str) -> dict | None:
        self._background.start()
        with self._lock:
            known = self._known.get(unit)
            if known is not None:
                self._queue(unit, address, user_agent)
                return self._shown(unit, known)
        try:
            with self._rpc.services() as services:
                counters = services.ranking.record_visit(unit, address, user_agent)
        except FAILURES as error:
            log.warning("visit counters unavailable: %s", error)
            with self._lock:
                self._queue(unit, address, user_agent)
            return None
        with self._lock:
            self._known[unit] = counters
            return self._shown(unit, counters)

    def shown(self, unit: str) -> dict | None:
        with self._lock:
            known = self._known.get(unit)
            return self._shown(unit, known) if known else None

    def flush(self) -> bool:
        """Send what was collected; False if the ranking service could not take it."""
        with self._lock:
            batch, self._pending = self._pending, Counter()
        if not batch:
            return True
        try:
            with self._rpc.services() as services:
                counters = services.ranking.record_visits([[*visitor, views] for visitor, views in batch.items()])
        except FAILURES as error:
            log.warning("%d page views kept for later: %s", batch.total(), error)
            with self._lock:
                self._pending.update(batch)
            return False
        with self._lock:
            for (unit, _, _), views in batch.items():
                self._unsent[unit] -= views
            self._known.update(counters)
        return True

    def stop(self):
        self._stopped.set()
        self._background.join()
        self.flush()

    def _queue(self, unit, address, user_agent):
        visitor = (unit, address, user_agent)
        if visitor in self._pending or len(self._pending) < self._max_pending:
            self._pending[visitor] += 1
            self._unsent[unit] += 1

    def _shown(self, unit: str, known: dict) -> dict:
        return {"total": known["total"] + max(self._unsent[unit], 0), "online": max(known["online"], 1)}

    def _run(self):
        while not self._stopped.wait(self._interval):
            self.flush()
