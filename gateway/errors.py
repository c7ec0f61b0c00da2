"""Every failure becomes a clear answer: JSON naming the problem on the API, a page elsewhere
(its words by status in error.html, in the page's language); never a stack trace."""
from __future__ import annotations

import logging

import falcon
from nameko.exceptions import RemoteError, RpcTimeout

from gateway.request_ids import request_id_of
from gateway.rpc import ServiceUnavailable
from services.common.errors import (
    Conflict,
    Forbidden,
    Gone,
    InvalidInput,
    NotFound,
    TooManyRequests,
    Unauthorized,
    Unavailable,
)

log = logging.getLogger(__name__)

class PortalHTTPError(falcon.HTTPError):
    """An HTTP error carrying the machine-readable details the API body names."""

    def __init__(self, status: int, message: str, fields: dict | None = None, **extra):
        super().__init__(falcon.code_to_http_status(status), description=message)
        self.code = status
        self.message = message
        self.fields = fields or {}
        self.extra = extra


def _translate(error: Exception) -> PortalHTTPError:
    if isinstance(error, PortalHTTPError):
        return error
    if isinstance(error, falcon.HTTPError):
        return PortalHTTPError(error.status_code, error.description or error.title or "")
    if isinstance(error, NotFound):
        return PortalHTTPError(404, error.message)
    if isinstance(error, Unauthorized):
        return PortalHTTPError(401, error.message)
    if isinstance(error, Forbidden):
        return PortalHTTPError(403, error.message)
    if isinstance(error, Gone):
        return PortalHTTPError(410, error.message)
    if isinstance(error, InvalidInput):
        return PortalHTTPError(422, error.message, error.fields)
    if isinstance(error, Conflict):
        return PortalHTTPError(409, error.message, current_version=error.current_version)
    if isinstance(error, TooManyRequests):
        return PortalHTTPError(429, error.message, retry_after=error.retry_after)
    if isinstance(error, RpcTimeout):
        return PortalHTTPError(504, "A service did not answer in time")
    if isinstance(error, Unavailable):
        return PortalHTTPError(503, error.message, retry_after=error.retry_after)
    if isinstance(error, ServiceUnavailable):
        return PortalHTTPError(503, "A service is unavailable right now")
    if isinstance(error, RemoteError):
        log.error("service error: %s", error)
        return PortalHTTPError(502, "A service failed to handle the request")
    log.exception("unhandled error")
    return PortalHTTPError(500, "Internal error")


def _say_how_to_learn_the_outcome(req, error: Exception, http_error: PortalHTTPError) -> None:
    """A write that may have reached its service before the failure may have been made: the
    answer says so, and names the key whose repeat tells the outcome, never that nothing happened."""
    key = getattr(req.context, "idempotency_key", None)
    maybe_made = isinstance(error, RpcTimeout) or (isinstance(error, ServiceUnavailable) and error.sent)
    if key is not None and maybe_made:
        http_error.message += ("; the change may have been made: repeat the request with the header "
                               f"Idempotency-Key: {key} to learn its outcome")
        http_error.extra["idempotency_key"] = key


def make_error_handler(render_page):
    """One handler for every exception: `render_page(req, status)` gives HTML, which prints the
    request's id as the API body does, for a citizen or a developer to quote."""

    def handle(req, resp, error, params):
        http_error = _translate(error)
        # The responder may have begun another answer (a CSV download): none of it is sent.
        resp.text = resp.data = None
        resp.delete_header("Content-Disposition")
        resp.status = falcon.code_to_http_status(http_error.code)
        resp.set_header("Cache-Control", "no-store")
        if http_error.code in (503, 504):
            resp.set_header("Retry-After", str(http_error.extra.get("retry_after") or 30))
        if http_error.code == 429 and http_error.extra.get("retry_after"):
            resp.set_header("Retry-After", str(http_error.extra["retry_after"]))
        _say_how_to_learn_the_outcome(req, error, http_error)
        if req.path.startswith("/api/"):
            body = {"error": {"status": http_error.code, "message": http_error.message}}
            if http_error.fields:
                body["error"]["fields"] = http_error.fields
            body["error"].update({k: v for k, v in http_error.extra.items() if v is not None})
            if request_id := request_id_of(req):
                body["error"]["request_id"] = request_id
            resp.content_type = falcon.MEDIA_JSON
            resp.media = body
        else:
            resp.content_type = falcon.MEDIA_HTML
            resp.text = render_page(req, http_error.code)

    return handle
