"""Rendered pages kept in memory, revalidated by content events instead of by time.

Every page a visitor can read is cached per path, query string, display preferences (and
Vietnam's current week, for the schedule on a unit's home), and
tagged with the unit it belongs to (or none, for the platform's own pages). A content event
for a unit makes that unit's pages and the platform's pages stale; an event that changes a
unit itself (or a lost event stream) makes every page stale. Staleness is a generation count:
a page is stored with the generations it was rendered under and served only while they hold,
and one rendered while an event arrived is never stored, so no page outlives its content.

Conditional GET: each entry has a weak ETag and a Last-Modified; a matching If-None-Match
(or an If-Modified-Since not older than the entry) is answered 304. The ETag is weak because
the visit counters filled into the page at serving time may differ between two copies whose
content is the same.

A hit is the common case, so an entry keeps what serving needs ready: the body already
encoded and split where the visit counters go, and the validator headers already formatted.
Serving it joins three byte strings around the counters, whatever the page's size.
"""
from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from datetime import datetime, timezone

import falcon
from cachetools import LRUCache
from falcon.util import dt_to_http

from gateway.ops import PAGE_CACHE
from gateway.preferences import from_request
from gateway.vietnam_time import this_week

# Pages are for everyone: the API, the search page (its index follows content a moment
# later), the ranking (it moves with every unit's content, and when a month is frozen), forms
# and binaries are not cached here.
UNCACHED_PREFIXES = ("/api/", "/tim-kiem", "/static/", "/tep/", "/hien-thi", "/healthz", "/readyz", "/metrics",
                     "/dang-ky/", "/xep-hang", "/quan-tri")
CACHEABLE_TYPES = ("text/html", "application/xml", "application/rss+xml", "application/atom+xml", "text/plain")
# Where base.html leaves room for what differs on every visit (the visit counters).
PER_VISIT = b"<!--visit-counter-->"


@dataclass(frozen=True)
class Entry:
    parts: list[bytes]  # the UTF-8 body; an HTML page's split around PER_VISIT
    content_type: str
    etag: str
    last_modified: datetime
    validators: tuple[tuple[str, str], ...]  # the headers that go with it, formatted once
    generations: tuple[int, int]


class Generations:
    """How many times each unit's pages, and all pages, have been made stale."""

    def __init__(self):
        self._lock = threading.Lock()
        self._everything = 0
        self._units: dict[str | None, int] = {}

    def current(self, unit: str | None) -> tuple[int, int]:
        return self._everything, self._units.get(unit, 0)

    def unit_changed(self, unit: str) -> None:
        """A unit's content changed: its pages and the platform's own pages are stale."""
        with self._lock:
            self._units[unit] = self._units.get(unit, 0) + 1
            self._units[None] = self._units.get(None, 0) + 1

    def everything_changed(self) -> None:
        with self._lock:
            self._everything += 1


class PageCache:
    """Falcon middleware. `fill(req, resp)` counts a view of an HTML page (a 200 or a 304) and
    returns what goes in its place for PER_VISIT (the counters, UTF-8), cached or not.
    `on_request` runs first on every request (it starts the event listener after fork)."""

    def __init__(self, generations: Generations, fill, max_pages: int = 5000, on_request=lambda: None):
        self.generations = generations
        self._fill = fill
        self._on_request = on_request
        self._pages: LRUCache = LRUCache(maxsize=max_pages)
        self._lock = threading.Lock()

    def process_request(self, req, resp):
        self._on_request()
        if req.method != "GET" or req.path.startswith(UNCACHED_PREFIXES):
            return
        # The week is part of the key: a unit's home shows this week's schedule, so nothing
        # rendered last week is served once the week turns.
        key = (req.path, req.query_string, from_request(req).key, this_week()[0])
        unit = entry_unit(req.path)
        generations = self.generations.current(unit)
        req.context.page_key, req.context.page_unit, req.context.page_generations = key, unit, generations
        with self._lock:
            entry = self._pages.get(key)
        if entry is not None and entry.generations == generations:
            PAGE_CACHE.labels("hit").inc()
            self._serve(req, resp, entry)
        else:
            PAGE_CACHE.labels("miss").inc()

    def process_response(self, req, resp, resource, req_succeeded):
        if resp.context.get("served_from_cache") or resp.text is None:
            return
        parts = _parts(resp.text, resp.content_type)
        key = req.context.get("page_key")
        if key is not None and req_succeeded and self._storable(req, resp):
            entry = _entry(parts, resp.content_type, req.context.page_generations)
            # Rendered while an event arrived? Then it may already be stale: serve it once, keep none.
            if entry.generations == self.generations.current(req.context.page_unit):
                with self._lock:
                    self._pages[key] = entry
            resp.set_headers(entry.validators)
        resp.text, resp.data = None, self._body(req, resp, parts, resp.content_type)

    @staticmethod
    def _storable(req, resp) -> bool:
        if resp.status not in (falcon.HTTP_200, 200) or resp.context.get("page_cache") is False:
            return False
        if resp.headers.get("set-cookie") or "no-store" in (resp.get_header("Cache-Control") or ""):
            return False
        return (resp.content_type or "").startswith(CACHEABLE_TYPES)

    def _serve(self, req, resp, entry: Entry):
        resp.context.served_from_cache = True
        resp.complete = True  # no responder runs
        resp.set_headers(entry.validators)
        if _not_modified(req, entry):
            resp.status = falcon.HTTP_304
            resp.content_type = None  # a 304 carries no content
            if _is_html(entry.content_type):
                self._fill(req, resp)
            return
        resp.content_type = entry.content_type
        resp.data = self._body(req, resp, entry.parts, entry.content_type)

    def _body(self, req, resp, parts: list[bytes], content_type: str | None) -> bytes:
        # A page without room for the counters (the staff workspace's) is no visit and shows none.
        return self._fill(req, resp).join(parts) if _is_html(content_type) and len(parts) > 1 else parts[0]


def entry_unit(path: str) -> str | None:
    """The unit a public page belongs to: the first path segment, or None for '/' and the
    platform's own pages (which never share a first segment with a unit's slug)."""
    first = path.strip("/").split("/", 1)[0]
    return first.removesuffix(".txt").removesuffix(".xml") if first and "." not in first else None


def _is_html(content_type: str | None) -> bool:
    return (content_type or "").startswith("text/html")


def _parts(text: str, content_type: str | None) -> list[bytes]:
    body = text.encode()
    return body.split(PER_VISIT, 1) if _is_html(content_type) else [body]


def _entry(parts: list[bytes], content_type: str, generations: tuple[int, int]) -> Entry:
    """A browser (or a proxy) may keep the page but must ask again each time (no-cache): the
    gateway answers 304 while it holds, and the new page at once when content changed. The
    page differs by the reader's display choices, which live in a cookie."""
    etag = 'W/"' + hashlib.blake2b(PER_VISIT.join(parts), digest_size=12).hexdigest() + '"'
    last_modified = datetime.now(timezone.utc).replace(microsecond=0)
    validators = (("ETag", etag), ("Last-Modified", dt_to_http(last_modified)), ("Cache-Control", "no-cache"),
                  ("Vary", "Cookie"))
    return Entry(parts, content_type, etag, last_modified, validators, generations)


def _not_modified(req, entry: Entry) -> bool:
    if req.if_none_match is not None:
        return any(tag == "*" or _same(tag, entry.etag) for tag in req.if_none_match)
    try:
        since = req.if_modified_since
    except falcon.HTTPInvalidHeader:
        return False  # RFC 9110 13.1.3: a date that is not an HTTP-date is ignored, not refused
    return since is not None and since.replace(tzinfo=timezone.utc) >= entry.last_modified


def _same(tag, etag: str) -> bool:
    """Weak comparison (RFC 9110 8.8.3.2): the opaque values are equal, W/ or not."""
    return f'"{tag}"' == etag.removeprefix("W/")
