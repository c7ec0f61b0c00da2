"""Validation of what editors send, at the content service's boundary."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from services.common.errors import InvalidInput

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class UnitInput(_Input):
    slug: str = Field(pattern=SLUG_PATTERN, max_length=80)
    name: str = Field(min_length=2, max_length=200)
    name_en: str = Field(default="", max_length=200)
    # Levels are data (the district level was abolished in 2025), so any short label is allowed.
    level: str = Field(pattern=SLUG_PATTERN, max_length=40)
    parent: str | None = Field(default=None, pattern=SLUG_PATTERN, max_length=80)


class ArticleInput(_Input):
    title: str = Field(min_length=3, max_length=300)
    summary: str = Field(default="", max_length=2000)
    body_html: str = Field(min_length=1, max_length=500_000)
    author: str = Field(default="", max_length=200)
    slug: str | None = Field(default=None, pattern=SLUG_PATTERN, max_length=120)


def validate(model: type[_Input], data) -> _Input:
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
