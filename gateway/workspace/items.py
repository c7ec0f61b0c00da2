"""What the schedule, document and question pages share: a form's values and the version it carries, another
unit's item answered as no such page, and the notice a redirect after a step carries."""
from __future__ import annotations

import re

from gateway.errors import PortalHTTPError
from services.common.errors import Forbidden, NotFound

_WHOLE_NUMBER = re.compile(r"[0-9]{1,18}")  # ASCII digits only, and no more than MongoDB holds
DONE = "xong"  # the query parameter naming the step just done, for the page's notice


def form_values(item: dict | None, fields: tuple[str, ...]) -> dict:
    """A form's fields as an item with an uploaded file holds them (empty for a new one); `file`
    is the file's media id."""
    values = {name: (item or {}).get(name) or "" for name in fields}
    values["file"] = item["file"]["media_id"] if item and item["file"] else ""
    return values


def form_version(form) -> int | None:
    """The version the form was based on (a hidden field), or None for an item not yet made."""
    raw = form.get("version").strip()
    return int(raw) if _WHOLE_NUMBER.fullmatch(raw) else None


def owned(unit: dict, what: str, read) -> dict:
    """The item `read()` gives, if it belongs to `unit`. Another unit's item, one this person
    may not read and one that does not exist are the same 404: who guesses ids learns nothing."""
    try:
        item = read()
    except (NotFound, Forbidden):
        item = None
    if item is None or item["unit"] != unit["slug"]:
        raise PortalHTTPError(404, f"No such {what} in unit {unit['slug']!r}")
    return item


def done_path(path: str, step: str) -> str:
    return f"{path}?{DONE}={step}"


def done_step(req) -> str:
    return req.get_param(DONE) or ""
