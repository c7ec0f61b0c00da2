"""Validation at the content service's boundary: pydantic models, errors naming each field."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, ValidationError

from services.common.errors import InvalidInput

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


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
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise InvalidInput("version must be a positive integer", {"version": "must be a positive integer"})
    return value
