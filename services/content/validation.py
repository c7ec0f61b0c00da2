"""Validation at the content service's boundary: pydantic models, errors naming each field."""
from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from services.common.errors import InvalidInput
from services.common.limits import CALENDAR, LARGEST_INTEGER, in_calendar

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
MAX_PAGE = 100  # the most items one page of a list holds, unless its area says otherwise


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def validate(model: type[Input], data) -> Input:
    """Parse `data` or raise InvalidInput naming every offending field."""
    if not isinstance(data, dict):
        raise InvalidInput("Expected a JSON object", {"body": "must be an object"})
    # Read as the JSON it came as, strictly: "1" is no number and 1 no flag (pydantic's lax
    # Python mode takes both), while days, times and names of states are read from their text.
    try:
        text = json.dumps(data, default=_as_json)
    except (TypeError, ValueError) as error:
        raise InvalidInput(f"Not JSON: {error}", {"body": "must be JSON"}) from None
    try:
        return model.model_validate_json(text, strict=True)
    except ValidationError as error:
        fields = {
            ".".join(str(part) for part in issue["loc"]) or "body": issue["msg"]
            for issue in error.errors()
        }
        raise InvalidInput(f"Invalid fields: {', '.join(sorted(fields))}", fields) from None


def _as_json(value):
    """Days and times an internal caller passes as Python objects, as JSON would carry them."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def version_number(value, name: str = "version") -> int:
    """A version given as a bare argument: a whole number from 1, as MongoDB can hold it."""
    if not _whole(value) or not 1 <= value <= LARGEST_INTEGER:
        raise InvalidInput(f"{name} must be a positive integer",
                           {name: f"must be a whole number from 1 to {LARGEST_INTEGER}"})
    return value


def expected_version(value) -> int | None:
    return None if value is None else version_number(value)


# The same rule for a version checked with a model's other fields; strict, as version_number is:
# "2", 2.0 and true are no version, and the API's schema says as much.
Version = Annotated[int, Field(ge=1, le=LARGEST_INTEGER, strict=True)]


def validate_change(model: type[Input], data, version=None) -> Input:
    """A change checked with `model`, whose `version` is the version the change is based on: the
    API's body carries it among the fields, older callers pass it beside them."""
    if version is not None and isinstance(data, dict):
        data = {**data, "version": version}
    return validate(model, data)


def _day(value):
    """Dates cross the boundary as YYYY-MM-DD only; other spellings are refused, not guessed."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError("is not a real date") from None
    raise ValueError("must be a date as YYYY-MM-DD")


def _in_calendar(value: date | datetime):
    if not in_calendar(value.date() if isinstance(value, datetime) else value):
        raise ValueError(f"must be {CALENDAR}")
    return value


_MOMENT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}")


def _written_moment(value):
    """Times cross the boundary as ISO 8601 text only: pydantic would also read "1" as a Unix time."""
    if not isinstance(value, str):
        return value
    if not _MOMENT.match(value.strip()):
        raise ValueError("must be a date and time as YYYY-MM-DDTHH:MM[:SS][+HH:MM]")
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError("is not a real date and time") from None


# A date and time as ISO 8601 writes it; put before the type's own parsing.
IsoMoment = BeforeValidator(_written_moment)

# A day, or a time, anyone may name: within the platform's calendar (services.common.limits).
InCalendar = AfterValidator(_in_calendar)
Day = Annotated[date, BeforeValidator(_day), InCalendar]


def page_size(limit, maximum: int = MAX_PAGE) -> int:
    """A page size given as a bare argument: a whole number from 1 to `maximum`."""
    if not _whole(limit) or not 1 <= limit <= maximum:
        raise InvalidInput(f"limit must be between 1 and {maximum}", {"limit": f"1 to {maximum}"})
    return limit


def limit_field(default: int, maximum: int = MAX_PAGE):
    """A model's `limit`, checked with its other fields: how many items one page holds, 1 to `maximum`."""
    return Field(default=default, ge=1, le=maximum)


def _whole(value) -> bool:
    # JSON's true is no number, though Python counts a bool as an int.
    return isinstance(value, int) and not isinstance(value, bool)


# What a list RPC hands out at once: a page and one item more, by which the API tells that a
# next page exists (gateway/api/lists.py).
MAX_FETCH = MAX_PAGE + 1
MAX_SKIP = 1_000_000


class Page(Input):
    """Which part of a long list to show: `skip` items, then at most `limit`."""
    skip: int = Field(default=0, ge=0, le=MAX_SKIP)
    limit: int = limit_field(20, MAX_FETCH)
