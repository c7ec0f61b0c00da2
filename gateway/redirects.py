"""Redirects that a person may see: a page's redirect (303 after a form, 301 for a moved unit,
302 to this week's schedule) carries a short HTML page linking to where it goes, for the
client that does not follow it, as HTTP (RFC 9110 15.4) suggests; the API's stay bodiless JSON.
Responders only set the status and Location, here or by raising Falcon's redirects."""
from __future__ import annotations

import falcon

API_PREFIX = "/api/"


class RedirectPages:
    """Falcon middleware: fills the body of every page redirect that has none."""

    def __init__(self, templates):
        self._template = templates.get_template("redirect.html")

    def process_response(self, req, resp, resource, req_succeeded):
        if not _is_redirect(resp) or req.path.startswith(API_PREFIX):
            return
        if resp.text is not None or resp.data is not None:
            return
        resp.content_type = falcon.MEDIA_HTML
        resp.text = self._template.render(status=resp.status_code, location=resp.location)


def _is_redirect(resp) -> bool:
    # 304 Not Modified is no redirect and carries no body.
    return 300 <= resp.status_code < 400 and resp.status_code != 304 and bool(resp.location)
