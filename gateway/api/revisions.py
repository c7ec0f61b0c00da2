"""What the revision routes of every versioned kind share: the two versions a diff compares."""
from __future__ import annotations

from gateway.api.operations import Param
from gateway.errors import PortalHTTPError
from gateway.resources.base import whole_number

# whole_number reads at most nine digits; the document says so rather than promise more.
_VERSION = {"type": "integer", "minimum": 1, "maximum": 999_999_999}
FROM_TO = (Param("from", _VERSION, "the older version", required=True),
           Param("to", _VERSION, "the newer version", required=True))


def versions_compared(req) -> tuple[int, int]:
    """`?from=` and `?to=`; a 422 naming each that is missing or no whole number."""
    problems, versions = {}, []
    for name in ("from", "to"):
        try:
            value = whole_number(req, name)
        except PortalHTTPError:
            value = None
        if value is None:
            problems[name] = "required: a version, a whole number from 1"
        versions.append(value)
    if problems:
        raise PortalHTTPError(422, f"Invalid parameters: {', '.join(sorted(problems))}", problems)
    return versions[0], versions[1]
