"""One rule for a query parameter given empty (`?status=`) anywhere in the API: it is refused and
named, as a value that fits no parameter's schema. Read as absent by one route and as a value by
another, the same request would mean two things; a client that means "none" leaves it out."""
from __future__ import annotations

from gateway.errors import PortalHTTPError


class NoBlankParameters:
    """Falcon middleware for the routes under /api/ (after routing: an unknown address stays a 404)."""

    def process_resource(self, req, resp, resource, params):
        if not req.path.startswith("/api/"):
            return
        blank = sorted(name for name, value in req.params.items()
                       if any(not item.strip() for item in (value if isinstance(value, list) else [value])))
        if blank:
            raise PortalHTTPError(422, f"Empty parameters: {', '.join(blank)}",
                                  {name: "must not be empty: leave it out instead" for name in blank})
