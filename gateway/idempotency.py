"""The Idempotency-Key of a write: the client's, or one of the gateway's own for each request.

A client that repeats a write with the same key (after a timeout, a 503, a dropped connection)
gets the first outcome instead of a second change or a false 409; the content service keeps
outcomes for a day (services/content/outcomes.py). A request without a key still gets one, so
that the broker handing it out again after a crash cannot apply it twice.
"""
from __future__ import annotations

import re
import uuid

from gateway.errors import PortalHTTPError

HEADER = "Idempotency-Key"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# As Stripe and the IETF draft use it: an opaque string a client makes unique, such as a UUID.
_VALID = re.compile(r"[\x21-\x7e]{1,255}")


def idempotency_key(req) -> str | None:
    """The key a write request carries to the services; None for a read. Kept on the request, so
    an answer that cannot tell the outcome can name the key that will (gateway/errors.py)."""
    if req.method not in WRITE_METHODS:
        return None
    given = req.get_header(HEADER)
    if given is not None and not _VALID.fullmatch(given):
        raise PortalHTTPError(400, f"{HEADER} must be 1 to 255 visible ASCII characters, such as a UUID",
                              {HEADER: "1 to 255 visible ASCII characters"})
    req.context.idempotency_key = given or uuid.uuid4().hex
    return req.context.idempotency_key
