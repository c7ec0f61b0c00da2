"""`/tep/{media_id}` (a document, downloaded under its own name) and `/tep/{media_id}/{rendition}`
(an image at 320, 640 or 1280 pixels wide, shown inline).

The content service decides what the public may have: an image's original (which may still
carry its camera's location) is refused (403), an unknown file or rendition is a 404. A media
file never changes once uploaded, so browsers and proxies may keep it for a year; the page
cache, which holds pages only, is told to leave it alone.
"""
from __future__ import annotations

import base64
from urllib.parse import quote

from services.common.vietnamese import without_marks

IMMUTABLE = ["public", "max-age=31536000", "immutable"]


class MediaFile:
    def __init__(self, rpc):
        self.rpc = rpc

    def on_get(self, req, resp, media_id, rendition=None):
        resp.context.page_cache = False
        etag = f"{media_id}-{rendition or 'goc'}"
        with self.rpc.services() as services:
            if _revalidating(req, etag):
                # The description is enough to tell whether the copy the browser holds is still
                # served; what the public may not have goes on to open_media, which refuses it.
                media = services.content.get_media(media_id)
                if rendition in media["renditions"] or (rendition is None and media["kind"] == "document"):
                    _cacheable(resp, etag)
                    resp.status = 304
                    return
            served = services.content.open_media(media_id, rendition)
        _cacheable(resp, etag)
        resp.content_type = served["content_type"]
        resp.set_header("X-Content-Type-Options", "nosniff")  # the type is the one sniffed on upload
        resp.data = base64.b64decode(served["data_base64"])
        disposition = "inline" if served["rendition"] else "attachment"
        resp.set_header("Content-Disposition", content_disposition(disposition, served["filename"]))


def content_disposition(disposition: str, filename: str) -> str:
    """RFC 6266: the name in UTF-8 (filename*), and a readable ASCII name for old clients:
    'Quyết định.pdf' -> filename="Quyet dinh.pdf"."""
    fallback = without_marks(filename).encode("ascii", "replace").decode("ascii")
    fallback = fallback.replace("?", "_").replace('"', "_").replace("\\", "_")
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _cacheable(resp, etag: str):
    resp.cache_control = IMMUTABLE
    resp.etag = etag


def _revalidating(req, etag: str) -> bool:
    return any(tag == "*" or tag == etag for tag in req.if_none_match or ())
