"""Reading JSON request bodies: bounded in size and depth, with errors that name the problem.

Python's json module takes what no service could: it fails on nesting a thousand levels deep
and on integer literals over 4,300 digits, reads NaN and Infinity (which are not JSON) and
escaped lone surrogates (which are not Unicode). Each is refused here, before any service is
called."""
from __future__ import annotations

import json
import math

import falcon

from gateway.errors import PortalHTTPError
from services.common.limits import LARGEST_INTEGER, SMALLEST_INTEGER, storable

MAX_DEPTH = 32  # the deepest body the API takes nests 3 levels (a user's roles)
_DIGITS = len(str(LARGEST_INTEGER))


class _TooLarge:
    """Stands for an integer literal beyond 8 bytes until its field is named."""


def read_json(req: falcon.Request, limit: int) -> dict:
    if req.content_length is not None and req.content_length > limit:
        raise PortalHTTPError(413, f"Body is larger than {limit} bytes")
    if req.content_type is None or not req.content_type.startswith(falcon.MEDIA_JSON):
        raise PortalHTTPError(415, "Body must be JSON (Content-Type: application/json)")
    raw = req.bounded_stream.read(limit + 1)
    if len(raw) > limit:
        raise PortalHTTPError(413, f"Body is larger than {limit} bytes")
    try:
        data = json.loads(raw or b"null", parse_int=_integer, parse_constant=_not_json)
    except RecursionError:
        raise _too_deep() from None
    except (UnicodeDecodeError, ValueError) as error:
        raise PortalHTTPError(400, f"Malformed JSON: {error}") from None
    if not isinstance(data, dict):
        raise PortalHTTPError(422, "Body must be a JSON object", {"body": "must be an object"})
    problems = dict(_unusable(data, ()))
    if problems:
        raise PortalHTTPError(422, f"Invalid fields: {', '.join(sorted(problems))}", problems)
    return data


def _integer(literal: str):
    # Checked by length first: int() itself refuses literals over 4,300 digits.
    if len(literal.lstrip("-")) > _DIGITS or not storable(number := int(literal)):
        return _TooLarge()
    return number


def _not_json(constant: str):
    raise ValueError(f"{constant} is not a JSON value")


def _too_deep() -> PortalHTTPError:
    return PortalHTTPError(400, f"JSON nested deeper than {MAX_DEPTH} levels")


def _unusable(value, path: tuple):
    """(field, problem) for each value inside `value` that no service could take."""
    if len(path) > MAX_DEPTH:
        raise _too_deep()
    if isinstance(value, dict):
        for key, item in value.items():
            if not _unicode(key):
                yield _field(path + (key,)), "name is not Unicode text (a lone surrogate)"
            yield from _unusable(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _unusable(item, path + (index,))
    elif isinstance(value, _TooLarge) or (isinstance(value, float) and not math.isfinite(value)):
        yield _field(path), f"must be a number from {SMALLEST_INTEGER} to {LARGEST_INTEGER}"
    elif isinstance(value, str) and not _unicode(value):
        yield _field(path), "is not Unicode text (a lone surrogate)"


def _unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _field(path: tuple) -> str:
    """The field as the services name them ('entries.0.start'), printable even when its name is not Unicode."""
    name = ".".join(str(part) for part in path)
    return name.encode("utf-8", "backslashreplace").decode("utf-8")
