"""`/hien-thi`: the links "Xem với cỡ chữ A- A A+" and "Tương phản cao" in every page's header.

A plain link sets the reader's choice in a cookie and sends them straight back to the page
they were on, so the options work without JavaScript and persist from page to page."""
from __future__ import annotations

from urllib.parse import quote

import falcon

from gateway import preferences
from gateway.errors import PortalHTTPError

SIZE = "co-chu"          # nho | vua | lon
CONTRAST = "tuong-phan"  # cao | thuong
RETURN_TO = "quay-lai"   # the page to go back to
CONTRASTS = {"cao": True, "thuong": False}
ONE_YEAR = 365 * 24 * 60 * 60
# Characters a path and query keep as they are in the Location header; the rest is escaped.
URL_SAFE = "/?#&=;:@!$'()*+,"


def local_path(value: str | None) -> str:
    """`value` if it is a path on this site, otherwise '/': anything that could lead a reader
    to another site (`//host`, `https://host`, and `/\\host` or `/<tab>/host`, which browsers
    read as `//host`) would make this an open redirect."""
    if not value or not value.startswith("/") or value.startswith("//"):
        return "/"
    if any(char == "\\" or not char.isprintable() for char in value):
        return "/"
    return value


class DisplayOptions:
    def on_get(self, req, resp):
        size, contrast = req.get_param(SIZE), req.get_param(CONTRAST)
        if size is None and contrast is None:
            raise PortalHTTPError(400, f"Choose {SIZE} or {CONTRAST}")
        if size is not None and size not in preferences.SIZES:
            raise PortalHTTPError(400, f"{SIZE} must be one of {', '.join(preferences.SIZES)}")
        if contrast is not None and contrast not in CONTRASTS:
            raise PortalHTTPError(400, f"{CONTRAST} must be one of {', '.join(CONTRASTS)}")

        current = preferences.from_request(req)
        chosen = preferences.Preferences(
            size=size or current.size,
            high_contrast=CONTRASTS[contrast] if contrast is not None else current.high_contrast)
        resp.set_cookie(preferences.COOKIE, chosen.cookie_value(), max_age=ONE_YEAR, path="/",
                        secure=req.forwarded_scheme == "https", http_only=True, same_site="Lax")
        resp.cache_control = ["no-store"]
        resp.status = falcon.HTTP_303
        resp.location = quote(local_path(req.get_param(RETURN_TO)), safe=URL_SAFE)
