"""The workspace's session cookie: an opaque token the content service knows (services/content/
sessions.py). HttpOnly, Secure on https, SameSite=Lax; kept by the browser until it closes, the
server ends it sooner (idle or at most a day). Its path is the whole site, so that a signed-in
person's views of public pages are not counted as visits (gateway/visits.py)."""
from __future__ import annotations

COOKIE = "phien"


def token(req) -> str | None:
    values = req.get_cookie_values(COOKIE) or ()
    return values[0] if values and values[0] else None


def start(req, resp, session: str, public_url: str = "") -> None:
    """Secure when the request came over https, or the portal's public address is https (TLS ended
    at a proxy in front of the gateway)."""
    secure = req.scheme == "https" or public_url.startswith("https://")
    resp.set_cookie(COOKIE, session, path="/", secure=secure, http_only=True, same_site="Lax")


def end(req, resp) -> None:
    resp.unset_cookie(COOKIE, path="/")
