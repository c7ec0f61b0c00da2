"""Every request has an id, so a citizen's complaint leads to every log line behind it: the
client's X-Request-Id when it is sane (1-64 of A-Z a-z 0-9 . _ -), else a new one. It is
returned on every response, printed on error pages and in API errors, carried by every RPC the
request makes (services/common/rpc.py reads it from services/common/logs.py) and by the events
it causes, and named in each log line written for it (deploy/LOGS.md)."""
from __future__ import annotations

from services.common.logs import ROUTE_ENVIRON_KEY, new_request_id, reset_request_id, sane_request_id, use_request_id

HEADER = "X-Request-Id"


class RequestIds:
    """First in the middleware, so the id is known before anything else runs and its header is
    set on the response last, whatever answered."""

    def process_request(self, req, resp):
        req.context.request_id = sane_request_id(req.get_header(HEADER)) or new_request_id()
        req.context.request_id_token = use_request_id(req.context.request_id)

    def process_response(self, req, resp, resource, req_succeeded):
        resp.set_header(HEADER, req.context.request_id)
        # For the access log line gunicorn writes once the response is sent (logs.AccessLogFields); a
        # page answered from the cache never reached routing, and RequestMetrics looked its route up.
        req.env[ROUTE_ENVIRON_KEY] = req.context.get("route") or req.uri_template
        # gunicorn's threads serve one request after another: none inherits this one's id.
        reset_request_id(req.context.request_id_token)


def request_id_of(req) -> str | None:
    return getattr(req.context, "request_id", None)
