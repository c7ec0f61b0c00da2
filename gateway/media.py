"""Reading JSON request bodies with a size limit and errors that name the problem."""
import json

import falcon

from gateway.errors import PortalHTTPError


def read_json(req: falcon.Request, limit: int) -> dict:
    if req.content_length is not None and req.content_length > limit:
        raise PortalHTTPError(413, f"Body is larger than {limit} bytes")
    if req.content_type is None or not req.content_type.startswith(falcon.MEDIA_JSON):
        raise PortalHTTPError(415, "Body must be JSON (Content-Type: application/json)")
    raw = req.bounded_stream.read(limit + 1)
    if len(raw) > limit:
        raise PortalHTTPError(413, f"Body is larger than {limit} bytes")
    try:
        data = json.loads(raw or b"null")
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PortalHTTPError(400, f"Malformed JSON: {error}") from None
    if not isinstance(data, dict):
        raise PortalHTTPError(422, "Body must be a JSON object", {"body": "must be an object"})
    return data


def optional_version(data: dict) -> int | None:
    """The `version` an editor's change is based on, if given."""
    version = data.get("version")
    if version is None:
        return None
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise PortalHTTPError(422, "version must be a positive integer", {"version": "must be a positive integer"})
    return version
