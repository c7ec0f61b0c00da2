"""Validation at the content service's boundary: pydantic models, errors naming each field."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from services.common.errors import InvalidInput

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
MAX_PAGE = 100  # the most items one page of a list holds, unless its area says otherwise


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def validate(model: type[Input], data) -> Input:
    """Parse `data` or raise InvalidInput naming every offending field."""
    if not isinstance(data, dict):
        raise InvalidInput("Expected a JSON object", {"body": "must be an object"})
    try:
        return model.model_validate(data)
    except ValidationError as error:
        fields = {
            ".".join(str(part) for part in issue["loc"]) or "body": issue["msg"]
            for issue in error.errors()
        }
        raise InvalidInput(f"Invalid fields: {', '.join(sorted(fields))}", fields) from None


def expected_version(value) -> int | None:
    if value is None:
        return None
    if not _whole(value) or value < 1:
        raise InvalidInput("version must be a positive integer", {"version": "must be a positive integer"})
    return value


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


class Page(Input):
    """Which part of a long public list to show: `skip` items, then at most `limit`."""
    skip: int = Field(default=0, ge=0, le=100_000)
    limit: int = limit_field(20)
