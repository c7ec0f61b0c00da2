"""Conditional GET on the API, as the pages have it: every successful read carries a strong
ETag of its body, and a request whose If-None-Match names it is answered 304 with no body.

The tag is computed from the answer itself, so it changes exactly when the answer does and
needs no cache to stay true. An answer for a named user is marked private: shared caches keep
only what anyone may read.
"""
from __future__ import annotations

import hashlib

import falcon


class ApiValidators:
    """Falcon middleware for GET and HEAD under /api/."""

    def process_response(self, req, resp, resource, req_succeeded):
        if req.method not in ("GET", "HEAD") or not req.path.startswith("/api/") or not req_succeeded:
            return
        if resp.status not in (falcon.HTTP_200, 200) or resp.stream is not None:
            return
        body = resp.render_body()
        if body is None:
            return
        etag = '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'
        resp.set_header("ETag", etag)
        if resp.get_header("Cache-Control") is None:  # a responder's own (autocomplete's minute) stands
            resp.set_header("Cache-Control", "private, no-cache" if req.get_header("Authorization") else "no-cache")
        resp.append_header("Vary", "Authorization")
        if any(tag == "*" or _weakly_equal(tag, etag) for tag in (req.if_none_match or ())):
            resp.status = falcon.HTTP_304
            resp.media = resp.text = resp.data = None
            resp.content_type = None  # a 304 carries no content
        else:
            resp.media, resp.text, resp.data = None, None, body


def _weakly_equal(tag, etag: str) -> bool:
    """If-None-Match compares weakly (RFC 9110 §13.1.2): W/"x" matches "x"."""
    return f'"{tag}"' == etag
