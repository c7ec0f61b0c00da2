"""`/favicon.ico` and `/favicon.svg`: the portal's icon, a yellow star on red (gateway/static).

Browsers ask for /favicon.ico on every site whether a page links an icon or not; without it
every first visit logged a 404. The icon changes about never, so browsers and proxies may keep
it for 30 days; its ETag makes a later check cheap. It is read once, when the gateway starts.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import falcon

CACHE_CONTROL = ["public", "max-age=2592000"]  # 30 days


class SiteIcon:
    def __init__(self, path: Path, media_type: str):
        self.data = path.read_bytes()
        self.media_type = media_type
        self.etag = hashlib.blake2b(self.data, digest_size=12).hexdigest()

    def on_get(self, req, resp):
        resp.context.page_cache = False
        resp.cache_control = CACHE_CONTROL
        resp.etag = self.etag
        if req.if_none_match and any(tag == "*" or tag == self.etag for tag in req.if_none_match):
            resp.status = falcon.HTTP_304
            return
        resp.content_type = self.media_type
        resp.data = self.data

    on_head = on_get
