"""HTML forms that work without JavaScript: their bodies, their protection against cross-site
request forgery, and signed values a redirect can carry.

Protection is a double submit: the page with the form sets a cookie holding a random value
and puts the same value in a hidden field, each signed (with GATEWAY_SECRET) and dated; a
POST is accepted only when both signatures hold, neither has expired and the values match.
Another site can make a browser send the cookie, but can neither read it nor forge a field
that matches it. Nothing is kept on the server, so any gateway process accepts the form.

A form on a page every visitor shares (a unit's home, kept by the page cache) cannot hold a
visitor's own token; there `sent_from_this_site` stands in for it: browsers name the page a
POST comes from in headers no other site's page can set.
"""
from __future__ import annotations

import hmac
import logging
import secrets
from urllib.parse import parse_qs, urlsplit

import falcon
from itsdangerous import BadData, URLSafeTimedSerializer

from gateway.errors import PortalHTTPError
from services.common.config import Settings
from services.common.errors import TooManyRequests

log = logging.getLogger(__name__)

CSRF_COOKIE = "ma-bieu-mau"
CSRF_FIELD = "ma_bieu_mau"
CSRF_MAX_AGE = 2 * 60 * 60  # seconds a form may stay open before it must be loaded again
FORM_TYPE = "application/x-www-form-urlencoded"
# A field hidden from people and screen readers alike (see site.css): only a robot fills it in.
HONEYPOT = "trang_web"


class Signer:
    """Signs a JSON-able value for one purpose; `loads` gives it back, or None when it was
    altered, signed for another purpose or is older than `max_age` seconds."""

    def __init__(self, secret: str, purpose: str, max_age: int):
        self._serializer = URLSafeTimedSerializer(secret, salt=purpose)
        self.max_age = max_age

    def dumps(self, value) -> str:
        return self._serializer.dumps(value)

    def loads(self, signed: str | None):
        if not signed:
            return None
        try:
            return self._serializer.loads(signed, max_age=self.max_age)
        except BadData:
            return None


class CsrfGuard:
    def __init__(self, secret: str):
        if secret == Settings.defaults()["GATEWAY_SECRET"]:
            log.warning("GATEWAY_SECRET is the default: set it, or anyone can forge the portal's form tokens")
        self._cookie = Signer(secret, "csrf-cookie", CSRF_MAX_AGE)
        self._field = Signer(secret, "csrf-field", CSRF_MAX_AGE)

    def issue(self, req, resp) -> str:
        """The hidden field's token for a form on this page, and the cookie it must match.

        A valid cookie keeps its value (renewed), so forms open in several tabs all work; the
        page is personal from now on, so it is never stored by any cache."""
        value = self._cookie_value(req) or secrets.token_urlsafe(24)
        resp.set_cookie(CSRF_COOKIE, self._cookie.dumps(value), max_age=CSRF_MAX_AGE, path="/",
                        secure=req.scheme == "https", http_only=True, same_site="Lax")
        resp.cache_control = ["no-store"]
        return self._field.dumps(value)

    def accepts(self, req, submitted: str | None) -> bool:
        expected, given = self._cookie_value(req), self._field.loads(submitted)
        return isinstance(expected, str) and isinstance(given, str) and hmac.compare_digest(expected, given)

    def _cookie_value(self, req) -> str | None:
        for signed in req.get_cookie_values(CSRF_COOKIE) or ():
            value = self._cookie.loads(signed)
            if isinstance(value, str):
                return value
        return None


def read_form(req, limit: int) -> dict[str, str]:
    """A POSTed form's fields (the first value of each), at most `limit` bytes of it."""
    if req.content_length is not None and req.content_length > limit:
        raise PortalHTTPError(413, f"Body is larger than {limit} bytes")
    if req.content_type is None or not req.content_type.startswith(FORM_TYPE):
        raise PortalHTTPError(415, f"Body must be a form ({FORM_TYPE})")
    raw = req.bounded_stream.read(limit + 1)
    if len(raw) > limit:
        raise PortalHTTPError(413, f"Body is larger than {limit} bytes")
    try:
        fields = parse_qs(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError:
        raise PortalHTTPError(400, "The form is not UTF-8") from None
    return {name: values[0] for name, values in fields.items()}


def see_other(resp, location: str):
    """After a POST that worked: the browser GETs `location`, and reloading it sends nothing again."""
    resp.status = falcon.HTTP_303
    resp.location = location
    resp.cache_control = ["no-store"]


def sent_from_this_site(req) -> bool:
    """Whether the browser says this POST comes from one of the portal's own pages: the Fetch
    Metadata header every current browser sends (Sec-Fetch-Site), or else an Origin header
    naming this host. A request carrying neither proves nothing and is not taken for one."""
    site = req.get_header("Sec-Fetch-Site")
    if site is not None:
        return site == "same-origin"
    origin = req.get_header("Origin")
    return bool(origin) and origin != "null" and urlsplit(origin).netloc == req.get_header("Host")


def too_many_requests(resp, error: TooManyRequests) -> int:
    """A form the service refused for being sent too often: 429, kept by no cache, with
    Retry-After when the service said when. The minutes to wait, for the page to name."""
    resp.status = falcon.HTTP_429
    resp.cache_control = ["no-store"]
    if error.retry_after:
        resp.set_header("Retry-After", str(error.retry_after))
    return -(-(error.retry_after or 3600) // 60)
