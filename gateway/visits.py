"""The visit counter block on every page: "Thống kê truy cập — Tổng truy cập N — Hiện tại N khách".

Page views are counted without an RPC per request: each gateway process collects them and
hands them to the ranking service in batches (`ranking.record_visits`) at most every
`interval` seconds, and learns each unit's counters back from the same call. A page shows
the unit's last known figures plus the views this process has not yet sent, so a reader's
own view is always counted. Only the first view of a unit in a process asks the ranking
service straight away, to have figures to show; if the ranking service cannot answer, the
page is served all the same and the block says the figures are unavailable. Views that
could not be sent are kept (up to `max_pending`) and sent when the service is back. Each batch
has a name and goes again as it was until it is answered, so the ranking service counts it once
even when an earlier sending, whose answer did not come in time, was counted after all.

Staff's own views are not visits: a request with an Authorization header (a staff API token)
or the staff session cookie is neither sent nor added to the figures; its page still shows
them. Bots are told apart by the ranking service, which keeps their views apart.
With VISIT_COUNTING off nothing is counted and the block is left out.
"""
from __future__ import annotations

import logging
import threading
import uuid
from collections import Counter

from nameko.exceptions import RemoteError, RpcTimeout

from gateway.background import Background
from gateway.i18n import language_of_path
from gateway.ops import VISITS_PENDING
from gateway.rpc import ServiceUnavailable
from gateway.workspace import session

log = logging.getLogger(__name__)

PORTAL = "_cong-thong-tin"  # the platform's own pages, which belong to no unit
FAILURES = (ServiceUnavailable, RpcTimeout, RemoteError)
VIEWED = ("200 OK", "304 Not Modified", 200, 304)


def is_staff(req) -> bool:
    # get_cookie_values reuses the cookies parsed for the display preferences.
    return req.auth is not None or session.token(req) is not None


class VisitCounters:
    def __init__(self, rpc, block, interval: float = 1.0, max_pending: int = 100_000, counting: bool = True):
        """`block(counters, lang)`: the block's HTML for the counters, or for None (unavailable), in
        the page's language.
        `max_pending`: how many distinct readers' views are kept while ranking is away.
        `counting`: False counts nothing and leaves the block out (VISIT_COUNTING)."""
        self._counting = counting
        self._rpc = rpc
        self._block = block
        self._interval = interval
        self._max_pending = max_pending
        self._lock = threading.Lock()
        # Views not yet sent, by (unit, client address, user agent): one reader's many views
        # travel as one entry with their number.
        self._pending: Counter = Counter()
        self._unanswered: tuple[str, Counter] | None = None  # a batch's name and views, until answered
        self._flushing = threading.Lock()  # one batch in flight at a time
        self._unsent: Counter = Counter()
        self._known: dict[str, dict] = {}
        self._stopped = threading.Event()
        self._background = Background(self._run, "visit-counters")

    def on_page(self, req, resp) -> bytes:
        """Count a page view (200 or 304) unless staff's; the block with the page's counters, UTF-8."""
        if not self._counting:
            return b""
        unit = req.context.get("page_unit") or PORTAL
        if resp.status not in VIEWED:
            counters = self.shown(unit)
        elif is_staff(req):
            counters = self.looked_up(unit)
        else:
            counters = self.record(unit, req.context.client or "", req.user_agent or "")
        return self._block(counters, language_of_path(req.path)).encode()

    def record(self, unit: str, address: str, user_agent: str) -> dict | None:
        self._background.start()
        with self._lock:
            known = self._known.get(unit)
            if known is not None:
                self._queue(unit, address, user_agent)
                return self._shown(unit, known)
        return self._ask(unit, lambda ranking: ranking.record_visit(unit, address, user_agent),
                         lambda: self._queue(unit, address, user_agent))

    def looked_up(self, unit: str) -> dict | None:
        """The figures without counting a view: asked of the ranking service if none are known."""
        return self.shown(unit) or self._ask(unit, lambda ranking: ranking.visit_counters(unit))

    def _ask(self, unit: str, call, on_failure=lambda: None) -> dict | None:
        try:
            with self._rpc.services() as services:
                counters = call(services.ranking)
        except FAILURES as error:
            log.warning("visit counters unavailable: %s", error)
            with self._lock:
                on_failure()
            return None
        with self._lock:
            self._known[unit] = counters
            return self._shown(unit, counters)

    def shown(self, unit: str) -> dict | None:
        with self._lock:
            known = self._known.get(unit)
            return self._shown(unit, known) if known else None

    def flush(self) -> bool:
        """Send what was collected, after a batch left unanswered (as it was); False if the
        ranking service could not take it."""
        with self._flushing:
            for _ in range(2):  # the batch left unanswered, if any, then what came since
                with self._lock:
                    if self._unanswered is None:
                        if not self._pending:
                            return True
                        self._unanswered, self._pending = (uuid.uuid4().hex, self._pending), Counter()
                    name, batch = self._unanswered
                    VISITS_PENDING.set(batch.total() + self._pending.total())
                try:
                    with self._rpc.services() as services:
                        counters = services.ranking.record_visits(
                            [[*visitor, views] for visitor, views in batch.items()], name)
                except FAILURES as error:
                    log.warning("%d page views kept for later: %s", batch.total(), error)
                    return False
                with self._lock:
                    self._unanswered = None
                    VISITS_PENDING.set(self._pending.total())
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
